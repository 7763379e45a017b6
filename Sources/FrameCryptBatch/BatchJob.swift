package import FrameCryptCore
import FrameCryptKit

/// One file of a batch: what to read, what to write, and the keys and participants when they differ
/// from the batch's own.
package struct BatchJob: Sendable {
    /// The media file to read.
    package var input: String
    /// The file to write (the media for encrypt and decrypt, the JSON report for inspect and
    /// verify-keys); nil when the job writes nothing.
    package var output: String?
    /// Keys for this job alone (a manifest line's `keyFile`, `keyCommand` or `keyUrl`).
    package var keySource: KeySource?
    /// Which participant sent which stream, for this job alone (from a manifest line).
    package var participants: ParticipantAssignment?
    /// Where the job came from, for messages: `jobs.jsonl:12`, or the input as given.
    package var origin: String
    /// The job's place in the whole list (before sharding), from 0; it gives SFrame jobs disjoint
    /// counter ranges.
    package internal(set) var position = 0
    /// Whether the job may replace an existing output; the runner decides it from `--force` and
    /// the completion records.
    package internal(set) var overwrite = false

    package init(
        input: String,
        output: String?,
        keySource: KeySource? = nil,
        participants: ParticipantAssignment? = nil,
        origin: String
    ) {
        self.input = input
        self.output = output
        self.keySource = keySource
        self.participants = participants
        self.origin = origin
    }
}

extension BatchJob {
    /// Writes `report` as JSON to the job's output, when it has one (inspect and verify-keys
    /// batches with an output folder).
    ///
    /// - Throws: ``FrameCryptError`` `.outputExists` or `.outputFailure`.
    package func writeReport(_ report: some Encodable) throws(FrameCryptError) {
        guard let output else { return }
        try JSONOutput.write(try JSONOutput.encode(report), to: output, overwrite: overwrite)
    }
}
