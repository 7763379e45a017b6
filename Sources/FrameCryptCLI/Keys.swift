import ArgumentParser
import FrameCryptCore
import FrameCryptKit

extension FrameCrypt {
    /// `framecrypt keys`: make, rotate and describe key files.
    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate, rotate and show key files (never printing a key).",
            discussion: """
                Keys come from OpenSSL's random generator; files are written whole with mode 0600 (a \
                temporary file renamed into place), and only fingerprints are printed: the first 8 hex \
                digits of the SHA-256 of the AES key a frame is sealed with, as inspect and verify-keys \
                reports show them.
                """,
            subcommands: [Generate.self, Add.self, Show.self]
        )
    }
}

/// Prints a key file's summary as text or JSON.
func printSummary(_ summary: KeyFileSummary, json: Bool) throws {
    if json {
        try printJSON(summary)
    } else {
        summary.text.forEach { print($0) }
    }
}
