import ArgumentParser
import Foundation
import FrameCryptCore
import FrameCryptKit

/// Runs `body`; a ``FrameCryptError`` becomes one line on stderr and the exit status of its kind.
func runReportingErrors<Result>(_ body: () throws(FrameCryptError) -> Result) throws -> Result {
    do {
        return try body()
    } catch {
        printError("error: " + RemedyText.line(error.message, remedy: error.remedy))
        throw ExitCode(ExitStatus.status(for: error.kind))
    }
}

/// Writes `framecrypt: message` as one line on stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("framecrypt: \(message)\n".utf8))
}

/// Prints `value` as sorted, indented JSON on stdout.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
