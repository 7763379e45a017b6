/// framecrypt's exit statuses (sysexits.h numbering where one fits), shared by the command line and
/// the per-job statuses of a batch report.
package enum ExitStatus {
    /// A check, key or frame failed; in a batch, at least one job failed.
    package static let failure: Int32 = 1
    /// A usage error (`EX_USAGE`).
    package static let usage: Int32 = 64
    /// Malformed input (`EX_DATAERR`).
    package static let malformedInput: Int32 = 65
    /// An input file is missing or unreadable (`EX_NOINPUT`).
    package static let inputMissing: Int32 = 66
    /// A codec or container that cannot be handled as asked (`EX_UNAVAILABLE`).
    package static let unsupported: Int32 = 69
    /// An internal error (`EX_SOFTWARE`).
    package static let internalError: Int32 = 70
    /// The output cannot be created (`EX_CANTCREAT`).
    package static let outputFailure: Int32 = 73
    /// Writing the output failed: disk full, file size limit, I/O error (`EX_IOERR`).
    package static let writeFailure: Int32 = 74
    /// The output exists and `--force` was not given (framecrypt's own code).
    package static let outputExists: Int32 = 80

    /// The status for a failure of the given kind.
    package static func status(for kind: FrameCryptError.Kind) -> Int32 {
        switch kind {
        case .inputMissing: inputMissing
        case .malformedInput: malformedInput
        case .keyFailure: failure
        case .invalidArgument: usage
        case .internalFailure: internalError
        case .outputExists: outputExists
        case .outputFailure: outputFailure
        case .writeFailure: writeFailure
        case .unsupported: unsupported
        }
    }
}
