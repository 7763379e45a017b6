import ArgumentParser
import Foundation
import FrameCryptCore
import FrameCryptKit

extension FrameCrypt.Keys {
    /// `framecrypt keys generate -o keys.json`.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new key file: one room key or one key per participant.",
            discussion: """
                A text key is random base64url characters (one per 6 bits), passed to the KDF as \
                setSharedKey("…") passes a passphrase; hex and base64 keys are random bytes. \(ExitStatusDocs.sentence(.keysGenerate))
                """
        )

        @Option(name: .shortAndLong, help: ArgumentHelp("The key file to write.", valueName: "path"))
        var output: String

        @Flag(help: "One shared room key (the default).")
        var shared = false

        @Option(
            help: ArgumentHelp("One key per participant instead of a room key.", valueName: "id,id,…"),
            transform: { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        )
        var participants: [String]?

        @Option(help: ArgumentHelp("Key size: 128 or 256.", valueName: "bits"))
        var keyBits = 128

        @Option(help: "How keys are written: text, hex or base64.")
        var encoding: KeyEncoding = .text

        @Option(help: ArgumentHelp("webrtc-framecryptor (default) or sframe.", valueName: "scheme"))
        var scheme: EncryptionScheme = .webrtcFrameCryptor

        @Option(help: "Key derivation the file names (webrtc-framecryptor only).")
        var kdf: KeyDerivationFunction = .pbkdf2

        @Flag(help: "Replace an existing file.")
        var force = false

        @Flag(help: "Print the new file's summary as JSON.")
        var json = false

        func validate() throws {
            if shared && participants != nil {
                throw ValidationError("Use --shared or --participants, not both.")
            }
            guard keyBits == 128 || keyBits == 256 else {
                throw ValidationError("--key-bits must be 128 or 256.")
            }
            if let participants, participants.isEmpty || participants.contains(where: \.isEmpty) {
                throw ValidationError("--participants takes a comma-separated list of ids.")
            }
            if scheme == .sframe && kdf != .pbkdf2 {
                throw ValidationError("--kdf applies to the webrtc-framecryptor scheme, not sframe.")
            }
        }

        func run() throws {
            let generation = KeyGeneration(
                holders: participants.map { .participants($0) } ?? .shared,
                keyBits: keyBits,
                encoding: encoding,
                scheme: scheme,
                kdf: kdf
            )
            let summary = try runReportingErrors { () throws(FrameCryptError) in
                try generation.write(to: output, overwrite: force)
            }
            try printSummary(summary, json: json)
        }
    }
}
