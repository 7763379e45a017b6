import ArgumentParser
import Foundation
import FrameCryptKit

/// framecrypt's exit statuses (sysexits.h numbering where one fits).
enum ExitStatus {
    /// A check, key or frame failed.
    static let failure: Int32 = 1
    /// Malformed input (`EX_DATAERR`).
    static let malformedInput: Int32 = 65
    /// An input file is missing or unreadable (`EX_NOINPUT`).
    static let inputMissing: Int32 = 66
    /// A codec or container that cannot be handled as asked (`EX_UNAVAILABLE`).
    static let unsupported: Int32 = 69
    /// An internal error (`EX_SOFTWARE`).
    static let internalError: Int32 = 70
    /// The output cannot be created or written (`EX_CANTCREAT`).
    static let outputFailure: Int32 = 73
    /// The output exists and `--force` was not given (framecrypt's own code).
    static let outputExists: Int32 = 80

    /// The status for a failure of the given kind.
    static func status(for kind: FrameCryptError.Kind) -> Int32 {
        switch kind {
        case .inputMissing: inputMissing
        case .malformedInput: malformedInput
        case .keyFailure: failure
        case .invalidArgument: ExitCode.validationFailure.rawValue
        case .internalFailure: internalError
        case .outputExists: outputExists
        case .outputFailure: outputFailure
        case .unsupported: unsupported
        }
    }
}

/// Runs `body`; a ``FrameCryptError`` becomes one line on stderr and the exit status of its kind.
func runReportingErrors<Result>(_ body: () throws(FrameCryptError) -> Result) throws -> Result {
    do {
        return try body()
    } catch {
        printError("error: \(error.message)")
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
