import ArgumentParser
import Foundation
import FrameCryptBatch
import FrameCryptCore
import FrameCryptCrypto
import FrameCryptFormat
import FrameCryptKit

/// How keys reach framecrypt: a key file, a key command or a key service that supplies one, or one
/// shared key from an environment variable or stdin. Keys never travel on the command line.
struct KeyOptions: ParsableArguments {
    @OptionGroup
    var sources: KeySourceOptions

    @Option(help: ArgumentHelp("Read the shared room key from this environment variable.", valueName: "name"))
    var sharedKeyEnv: String?

    @Flag(help: "Read the shared room key from standard input (one trailing newline is ignored).")
    var sharedKeyStdin = false

    @Option(
        help: ArgumentHelp(
            "The encryption scheme: webrtc-framecryptor (LiveKit/VideoSDK FrameCryptor, the default) or sframe (RFC 9605). A key file may set it with \"scheme\".",
            valueName: "scheme"
        )
    )
    var scheme: EncryptionScheme?

    @Option(
        help: ArgumentHelp(
            "SFrame cipher suite for a key from the environment or stdin (name or number; default AES_128_GCM_SHA256_128, or the stream's label when decrypting).",
            valueName: "suite"
        )
    )
    var cipherSuite: SFrameCipherSuite?

    @Option(help: "How a key from the environment or stdin is written: text (as setSharedKey(\"…\")), hex or base64.")
    var keyEncoding: KeyEncoding = .text

    @Option(help: "Key derivation for a key from the environment or stdin (a key file sets its own).")
    var kdf: KeyDerivationFunction = .pbkdf2

    @Option(help: ArgumentHelp("Ratchet salt for a key from the environment or stdin.", valueName: "text"))
    var ratchetSalt: String = KeyDerivationParameters.defaultRatchetSalt

    @Option(help: ArgumentHelp("Key ring size for a key from the environment or stdin (1-255).", valueName: "n"))
    var keyRingSize: Int = KeyRing.defaultSize

    @Option(help: ArgumentHelp("AES key size for a key from the environment or stdin: 128 or 256.", valueName: "bits"))
    var keyBits: Int = 128

    @Option(help: ArgumentHelp("The participant who sent every stream.", valueName: "id"))
    var participant: String?

    @Option(
        name: .customLong("map"),
        help: ArgumentHelp(
            "The participant who sent one stream, for files with several participants' tracks (repeatable); for a capture, SSRC=ID (decimal or 0x hex).",
            valueName: "stream=id"
        )
    )
    var streamParticipants: [StreamParticipant] = []

    func validate() throws {
        guard sourceCount <= 1 else {
            throw ValidationError("Use only one of \(Self.sourceNames).")
        }
        if wholeFileSource != nil {
            let sharedKeyOnly = [
                ("--key-encoding", keyEncoding != .text), ("--kdf", kdf != .pbkdf2),
                ("--ratchet-salt", ratchetSalt != KeyDerivationParameters.defaultRatchetSalt),
                ("--key-ring-size", keyRingSize != KeyRing.defaultSize), ("--key-bits", keyBits != 128),
                ("--cipher-suite", cipherSuite != nil),
            ]
            if let (name, _) = sharedKeyOnly.first(where: { $0.1 }) {
                throw ValidationError(
                    "\(name) applies to --shared-key-env and --shared-key-stdin; set it in the key file."
                )
            }
        }
        if scheme == .sframe {
            let frameCryptorOnly = [
                ("--kdf", kdf != .pbkdf2),
                ("--ratchet-salt", ratchetSalt != KeyDerivationParameters.defaultRatchetSalt),
                ("--key-bits", keyBits != 128),
            ]
            if let (name, _) = frameCryptorOnly.first(where: { $0.1 }) {
                throw ValidationError("\(name) applies to the webrtc-framecryptor scheme, not sframe.")
            }
        } else if cipherSuite != nil && wholeFileSource == nil {
            throw ValidationError("--cipher-suite applies to the sframe scheme; add --scheme sframe.")
        }
        let mapped = streamParticipants.map(\.stream)
        if Set(mapped).count != mapped.count {
            throw ValidationError("--map names a stream twice.")
        }
    }

    private static let sourceNames = "--key-file, --key-command, --key-url, --shared-key-env and --shared-key-stdin"

    private var sourceCount: Int {
        sources.count + [sharedKeyEnv != nil, sharedKeyStdin].filter { $0 }.count
    }

    /// The source of a whole key file, when the keys come from one.
    private var wholeFileSource: KeySource? {
        sources.source
    }

    /// The key file given with --key-file.
    var keyFile: String? {
        sources.keyFile
    }

    /// Refuses a run with no key source; a batch manifest may instead name a key source per job
    /// (`perJobKeys`).
    func requireSource(unless perJobKeys: Bool) throws {
        if sourceCount == 0 && !perJobKeys {
            throw ValidationError("Give the keys with one of \(Self.sourceNames).")
        }
    }

    /// The keys and participants of a single-file run.
    func assignment(keyIndex: Int) throws(FrameCryptError) -> JobAssignment {
        JobAssignment(keys: try keySet(keyIndex: keyIndex), participants: assignment)
    }

    /// The keys for a batch: the command's own (none when only the manifest names key files) and
    /// the scheme that applies to per-job key files.
    func batchKeys(keyIndex: Int) throws(FrameCryptError) -> BatchKeys {
        BatchKeys(
            shared: sourceCount == 0 ? nil : try keySet(keyIndex: keyIndex),
            scheme: scheme,
            settings: sources.settings
        )
    }

    /// Which participant sent which stream.
    var assignment: ParticipantAssignment {
        ParticipantAssignment(
            defaultParticipant: participant,
            byStream: Dictionary(uniqueKeysWithValues: streamParticipants.map { ($0.stream, $0.participant) })
        )
    }

    /// Loads the keys; a key from the environment or stdin goes into ring slot `keyIndex`.
    func keySet(keyIndex: Int) throws(FrameCryptError) -> KeySet {
        if let source = wholeFileSource {
            return try source.load(sources.settings).using(scheme: scheme, cipherSuite: nil)
        }
        SecretCustody.holdSecrets()
        let text: String
        if let sharedKeyEnv {
            guard let value = ProcessInfo.processInfo.environment[sharedKeyEnv] else {
                throw FrameCryptError(.keyFailure, "environment variable \(sharedKeyEnv) is not set")
            }
            text = value
        } else {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            var value = String(decoding: data, as: UTF8.self)
            if value.hasSuffix("\n") {
                value.removeLast()
            }
            text = value
        }
        let parameters = try KeyDerivationParameters(
            function: kdf,
            ratchetSalt: Array(ratchetSalt.utf8),
            keyBits: keyBits
        )
        return try KeySet.sharedKey(
            text: text,
            encoding: keyEncoding,
            at: keyIndex,
            parameters: parameters,
            ringSize: keyRingSize
        ).using(scheme: scheme, cipherSuite: cipherSuite)
    }
}

/// `STREAM=ID` from `--map` (for captures `SSRC=ID`, the SSRC decimal or `0x` hex).
struct StreamParticipant: ExpressibleByArgument, CustomStringConvertible {
    let stream: Int
    let participant: String

    var description: String {
        "\(stream)=\(participant)"
    }

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "=") else { return nil }
        let number = argument[..<equals].lowercased()
        guard let stream = number.hasPrefix("0x") ? Int(number.dropFirst(2), radix: 16) : Int(number), stream >= 0
        else {
            return nil
        }
        let participant = String(argument[argument.index(after: equals)...])
        guard !participant.isEmpty else { return nil }
        self.stream = stream
        self.participant = participant
    }
}
