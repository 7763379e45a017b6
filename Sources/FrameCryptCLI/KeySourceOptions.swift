import ArgumentParser
import FrameCryptCore
import FrameCryptKit

/// Where a whole key file comes from: a file, a command that prints one, or a key service that
/// serves one; and how those are read (custody, deadline, trust, headers).
struct KeySourceOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Read keys from a JSON key file (see framecrypt(1) and docs/KEYS.md); it must not be readable by group or others.",
            valueName: "path"
        )
    )
    var keyFile: String?

    @Option(
        help: ArgumentHelp(
            "Run this command (no shell; quote words as in sh) and read a key file's JSON from its standard output.",
            valueName: "command"
        )
    )
    var keyCommand: String?

    @Option(
        help: ArgumentHelp(
            "Fetch a key file's JSON from a key service: https://, or http:// to a loopback address only.",
            valueName: "url"
        )
    )
    var keyUrl: String?

    @Option(
        help: ArgumentHelp(
            "Trust these certificate authorities (PEM) for --key-url instead of the system's.",
            valueName: "path"
        )
    )
    var keyUrlCa: String?

    @Option(
        help: ArgumentHelp(
            "A header for --key-url, e.g. 'Authorization: Bearer $TOKEN' ($VAR is read from the environment; repeatable).",
            valueName: "header"
        )
    )
    var keyUrlHeader: [String] = []

    @Option(help: ArgumentHelp("Seconds a key command or key service may take.", valueName: "seconds"))
    var keyTimeout: Double = 30

    @Flag(help: "Accept a key file that group or others may read.")
    var allowSharedKeyFile = false

    func validate() throws {
        guard keyTimeout > 0 && keyTimeout <= 3600 else {
            throw ValidationError("--key-timeout must be more than 0 and at most 3600 seconds.")
        }
        guard count <= 1 else {
            throw ValidationError("Use only one of --key-file, --key-command and --key-url.")
        }
    }

    /// How many of the sources are given.
    var count: Int {
        [keyFile != nil, keyCommand != nil, keyUrl != nil].filter { $0 }.count
    }

    /// The source given, if any.
    var source: KeySource? {
        keyFile.map { .file($0) } ?? keyCommand.map { .command($0) } ?? keyUrl.map { .url($0) }
    }

    /// How key files, commands and services are read.
    var settings: KeySourceSettings {
        KeySourceSettings(
            allowSharedKeyFile: allowSharedKeyFile,
            timeoutSeconds: keyTimeout,
            certificateAuthorities: keyUrlCa,
            headers: keyUrlHeader
        )
    }
}
