import Foundation
import FrameCryptCore
import FrameCryptKit

/// What a batch writes beside each output (`.NAME.framecrypt-batch.json`), so that a rerun can tell
/// an output that is complete and verified from one it must redo.
///
/// A record without a result is written before the job starts: it marks the output as the batch's
/// own, so an output renamed into place just before the process was killed is redone, not refused.
///
/// It holds sizes, times and digests, never keys: the settings are kept as a digest of the
/// options that shape the output (key sources by name or path, not their contents).
struct CompletionRecord: Codable {
    /// 2: the output is vouched for by CRC-32C (version 1 used SHA-256, whose reading cost a batch
    /// about 0.1 s of CPU per 120 MB output). An older record is not trusted: its job is redone once.
    static let currentVersion = 2

    let version: Int
    let operation: JobOperation
    /// SHA-256 of the job's settings text.
    let settings: String
    let input: String
    let inputSize: Int64
    /// The input's modification time, in seconds since 1970.
    let inputModified: Double
    /// The output's size and CRC-32C, and the job's report, once it finished. A checksum, not a
    /// cryptographic digest: it tells a complete output from a truncated, half-copied or edited
    /// one, as a storage system's checksums do; it is no defence against someone who may also
    /// rewrite the record.
    let outputSize: Int64?
    let outputCRC32C: String?
    let result: BatchJobReport?

    /// Where the record of `output` is kept.
    static func path(for output: String) -> String {
        let url = URL(fileURLWithPath: output)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).framecrypt-batch.json")
            .path
    }

    /// The record beside `output`, if there is one that can be read.
    static func load(for output: String) -> CompletionRecord? {
        guard let data = FileManager.default.contents(atPath: path(for: output)) else { return nil }
        return try? JSONDecoder().decode(CompletionRecord.self, from: data)
    }

    /// Records a job about to start (`result` nil) or finished.
    static func write(
        for job: BatchJob,
        output: String,
        operation: JobOperation,
        settings: String,
        result: BatchJobReport?
    ) throws(FrameCryptError) {
        let input = FileStatus(job.input)
        let written = result == nil ? nil : FileStatus(output)
        let record = CompletionRecord(
            version: currentVersion,
            operation: operation,
            settings: settings,
            input: job.input,
            inputSize: input?.size ?? 0,
            inputModified: input?.modified ?? 0,
            outputSize: written?.size,
            outputCRC32C: try written.map { _ throws(FrameCryptError) in try FileDigest.crc32c(ofFile: output) },
            result: result
        )
        try JSONOutput.write(try JSONOutput.encode(record), to: path(for: output))
    }

    /// True when this record vouches for `output` as the finished result of `job` under these
    /// settings: same input (size and modification time), same settings, and the output's size
    /// and CRC-32C unchanged since it was written.
    func vouches(for job: BatchJob, output: String, operation: JobOperation, settings: String) -> Bool {
        guard let outputSize, let outputCRC32C, version == Self.currentVersion, self.operation == operation,
            self.settings == settings,
            input == job.input, let inputStatus = FileStatus(job.input), inputStatus.size == inputSize,
            inputStatus.modified == inputModified, let outputStatus = FileStatus(output),
            outputStatus.size == outputSize
        else { return false }
        return (try? FileDigest.crc32c(ofFile: output)) == outputCRC32C
    }
}
