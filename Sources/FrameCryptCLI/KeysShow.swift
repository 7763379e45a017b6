import ArgumentParser
import FrameCryptCore
import FrameCryptKit

extension FrameCrypt.Keys {
    /// `framecrypt keys show keys.json`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a key file's participants, ring indices, KDF, salt and key fingerprints.",
            discussion: """
                Reads keys from any key source (a file, --key-command or --key-url) and prints what they \
                are, never the keys. \(ExitStatusDocs.sentence(.keysShow))
                """
        )

        @Argument(help: "The key file (or give --key-command or --key-url).")
        var file: String?

        @OptionGroup(title: "Keys")
        var keys: KeySourceOptions

        @Flag(help: "Print the summary as JSON.")
        var json = false

        func validate() throws {
            guard (file == nil ? 0 : 1) + keys.count == 1 else {
                throw ValidationError("Give one key file, or one of --key-file, --key-command and --key-url.")
            }
        }

        func run() throws {
            let source = file.map { KeySource.file($0) } ?? keys.source
            let summary = try runReportingErrors { () throws(FrameCryptError) in
                guard let source else {
                    throw FrameCryptError(.invalidArgument, "no key file given")
                }
                return try KeyFileSummary(file: "\(source)", keys: try source.load(keys.settings))
            }
            try printSummary(summary, json: json)
        }
    }
}
