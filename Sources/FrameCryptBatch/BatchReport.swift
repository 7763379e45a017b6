package import FrameCryptCore
package import FrameCryptKit

/// What a batch did: one entry per job of this run (or shard), and the totals.
package struct BatchReport: Sendable, Encodable {
    /// `encrypt`, `decrypt`, `inspect` or `verify-keys`.
    package let operation: JobOperation
    /// `I/N` when the run was one shard of the list.
    package let shard: String?
    /// Jobs in the whole list, before sharding.
    package let listed: Int
    /// Jobs in this run.
    package let jobs: Int
    package let succeeded: Int
    /// Outputs found complete and verified, not redone.
    package let skipped: Int
    package let failed: Int
    package let seconds: Double
    package let results: [BatchJobReport]

    /// True when no job failed.
    package var ok: Bool {
        failed == 0
    }
}

/// One job's result: status, exit status and error, and what it read and wrote.
package struct BatchJobReport: Sendable, Codable {
    package enum Status: String, Sendable, Codable {
        case ok
        /// Its output was already complete and verified.
        case skipped
        case failed
    }

    package let input: String
    package var output: String?
    /// The manifest line or the input as given.
    package let origin: String
    package var status: Status
    /// The exit status the job alone would have had (0, or the documented status of its error).
    package let exitStatus: Int32
    /// Why it failed, in one line.
    package let error: String?
    /// Frames read (encrypt, decrypt, inspect) or checked (verify-keys).
    package let frames: Int
    package let bytesIn: Int64
    package let bytesOut: Int64
    package var seconds: Double
    /// inspect: the number of findings.
    package let findings: Int?
    /// verify-keys: each stream's status (`ok`, `wrong-key`…), in stream order.
    package let keyStatus: [String]?
    /// What the user can do about the error, for the command line to word; not in the JSON.
    package private(set) var remedy: FrameCryptError.Remedy?

    private enum CodingKeys: String, CodingKey {
        case input, output, origin, status, exitStatus, error, frames, bytesIn, bytesOut, seconds, findings
        case keyStatus
    }

    init(job: BatchJob, outcome: BatchJobOutcome, bytesIn: Int64, bytesOut: Int64, seconds: Double) {
        input = job.input
        output = job.output
        origin = job.origin
        status = outcome.failure == nil ? .ok : .failed
        exitStatus = outcome.failure == nil ? 0 : ExitStatus.failure
        error = outcome.failure
        frames = outcome.frames
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.seconds = seconds
        findings = outcome.findings
        keyStatus = outcome.keyStatus
    }

    init(job: BatchJob, error: FrameCryptError, seconds: Double) {
        input = job.input
        output = job.output
        origin = job.origin
        status = .failed
        exitStatus = ExitStatus.status(for: error.kind)
        self.error = error.message
        remedy = error.remedy
        frames = 0
        bytesIn = FileStatus(job.input)?.size ?? 0
        bytesOut = 0
        self.seconds = seconds
        findings = nil
        keyStatus = nil
    }
}

/// What one job's work produced, before the runner adds its sizes, time and status.
package struct BatchJobOutcome: Sendable {
    package var frames: Int
    package var findings: Int?
    package var keyStatus: [String]?
    /// Set when the job ran to the end but its check failed (keys that do not decrypt, findings
    /// under `--check`): the job counts as failed with exit status 1.
    package var failure: String?

    /// The outcome of an encrypt or decrypt job.
    package init(_ report: ProcessingReport) {
        frames = report.streams.reduce(0) { $0 + $1.frames }
    }

    /// The outcome of an inspection; with `check`, findings fail the job.
    package init(_ report: InspectionReport, check: Bool) {
        frames = report.streams.reduce(0) { $0 + $1.frames }
        findings = report.findings.count
        if check, let first = report.findings.first {
            failure = "\(report.file): \(report.findings.count) findings, the first \(first.code.rawValue)"
        }
    }

    /// The outcome of a key check; keys that do not decrypt every stream fail the job.
    package init(_ report: KeyVerificationReport, input: String) {
        frames = report.streams.reduce(0) { $0 + $1.framesChecked }
        keyStatus = report.streams.map(\.status.rawValue)
        if !report.ok {
            let failing = report.streams.filter { !$0.status.decrypts }
            failure =
                "\(input): keys do not decrypt every stream ("
                + failing.map { "stream \($0.index) \($0.status.rawValue)" }.joined(separator: ", ") + ")"
        }
    }
}
