import FrameCryptCrypto

/// Where keys come from when they are a whole key file: a file, a program that prints one
/// (`--key-command`), or a key service that serves one (`--key-url`). One value names one source,
/// so a batch fetches each distinct source once.
package enum KeySource: Hashable, Sendable, CustomStringConvertible {
    /// A key file on disk.
    case file(String)
    /// A command line run without a shell; its standard output is a key file's JSON.
    case command(String)
    /// An `https://` (or loopback `http://`) URL that answers with a key file's JSON.
    case url(String)

    /// The source as errors and reports name it: the path, the command, or only the URL's host
    /// (its path and query may carry tokens).
    package var description: String {
        switch self {
        case .file(let path): path
        case .command(let line): "key command '\(line)'"
        case .url(let url): "key service \(KeyServiceURL.host(of: url))"
        }
    }

    /// The text a batch's completion records digest: the source's identity, never its keys.
    package var identity: String {
        switch self {
        case .file(let path): "file:\(path)"
        case .command(let line): "command:\(line)"
        case .url(let url): "url:\(url)"
        }
    }

    /// Reads the keys. Before anything is read the process stops being dumpable
    /// (``SecretCustody``).
    ///
    /// - Throws: ``FrameCryptError``: `.inputMissing` for a missing key file, `.malformedInput` for
    ///   a key file readable by others (unless allowed) or for JSON that is not a key file,
    ///   `.keyFailure` when a command or a key service fails, `.invalidArgument` for a URL or header
    ///   that breaks the rules.
    package func load(_ settings: KeySourceSettings) throws(FrameCryptError) -> KeySet {
        SecretCustody.holdSecrets()
        switch self {
        case .file(let path):
            if !settings.allowSharedKeyFile {
                try KeyFileCustody.requirePrivate(path)
            }
            return try KeyFile.load(path: path)
        case .command(let line):
            return try KeyCommand(line: line, settings: settings).keys()
        case .url(let url):
            return try KeyServiceURL(url, settings: settings).keys()
        }
    }
}

/// How key sources are read, the same for every source of a run.
package struct KeySourceSettings: Sendable, Hashable {
    /// Accept key files that group or others may read (`--allow-shared-key-file`).
    package var allowSharedKeyFile: Bool
    /// The deadline for a key command or a key service, in seconds.
    package var timeoutSeconds: Double
    /// A PEM file of certificate authorities for key services, instead of the system's.
    package var certificateAuthorities: String?
    /// Headers for key services, `Name: value`; a value written `$VAR` is read from the environment.
    package var headers: [String]

    /// The deadline as messages show it: `30 s`, `2.5 s`.
    var timeoutText: String {
        (timeoutSeconds == timeoutSeconds.rounded() ? String(Int(timeoutSeconds)) : String(timeoutSeconds)) + " s"
    }

    /// The largest key file a command or a key service may answer with.
    package static let maximumAnswerBytes = 1 << 20

    package init(
        allowSharedKeyFile: Bool = false,
        timeoutSeconds: Double = 30,
        certificateAuthorities: String? = nil,
        headers: [String] = []
    ) {
        self.allowSharedKeyFile = allowSharedKeyFile
        self.timeoutSeconds = timeoutSeconds
        self.certificateAuthorities = certificateAuthorities
        self.headers = headers
    }
}
