import ArgumentParser
import FrameCryptCore
import FrameCryptKit

extension FrameCrypt.Keys {
    /// `framecrypt keys add keys.json --index 1`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a rotation key at a key-ring index, keeping the file's other keys.",
            discussion: """
                The new key has the size and encoding of the file's keys. A key file with a single key \
                is rewritten in list form, that key at index 0. \(ExitStatusDocs.sentence(.keysAdd))
                """
        )

        @Argument(help: "The key file to change.")
        var file: String

        @Option(help: ArgumentHelp("The key-ring index of the new key.", valueName: "n"))
        var index: Int

        @Option(
            help: ArgumentHelp(
                "The participant the key is for (a new id adds that participant); none for the room key.",
                valueName: "id"
            )
        )
        var participant: String?

        @Flag(help: "Replace a key already at that index.")
        var force = false

        @Flag(help: "Accept a key file that group or others may read.")
        var allowSharedKeyFile = false

        @Flag(help: "Print the file's new summary as JSON.")
        var json = false

        func run() throws {
            let summary = try runReportingErrors { () throws(FrameCryptError) in
                if !allowSharedKeyFile {
                    try KeyFileCustody.requirePrivate(file)
                }
                return try KeyGeneration.addKey(to: file, index: index, participant: participant, replace: force)
            }
            try printSummary(summary, json: json)
        }
    }
}
