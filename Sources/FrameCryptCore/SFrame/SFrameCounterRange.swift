/// The SFrame counters one encrypt job may use.
///
/// A file on its own counts from the start up to 2^64−1. The jobs of a batch share the start
/// (`--counter-start`) and may share a key and KID (a key file with explicit KIDs), so each job
/// gets 2^32 counters of its own, in the order of the jobs: job `p` counts from `start + p·2^32`
/// and stops before job `p + 1`'s first counter. That partition is the only thing keeping two
/// jobs from sealing frames under the same (key, KID, CTR).
package struct SFrameCounterRange: Sendable, Equatable {
    /// The first counter.
    package let start: UInt64
    /// The first counter the job may not use; nil for none below 2^64.
    package let end: UInt64?

    /// The counters each job of a batch gets.
    package static let jobSpan: UInt64 = 1 << 32

    /// The counters of a single file: from `start` up.
    package static func single(start: UInt64) -> SFrameCounterRange {
        SFrameCounterRange(start: start, end: nil)
    }

    /// The counters of the job at `position` (from 0) in a batch whose counters begin at `start`.
    ///
    /// - Throws: ``FrameCryptError`` `.invalidArgument` when the job's range would pass 2^64−1.
    package static func batchJob(position: Int, start: UInt64) throws(FrameCryptError) -> SFrameCounterRange {
        let job = UInt64(max(position, 0))
        let (offset, offsetOverflows) = job.multipliedReportingOverflow(by: jobSpan)
        let (first, firstOverflows) = start.addingReportingOverflow(offset)
        guard !offsetOverflows, !firstOverflows else {
            throw FrameCryptError(
                .invalidArgument,
                "counter start \(start) leaves no SFrame counters for job \(job + 1) of the batch (each job takes 2^32 counters after the start)"
            )
        }
        let (end, endOverflows) = first.addingReportingOverflow(jobSpan)
        return SFrameCounterRange(start: first, end: endOverflows ? nil : end)
    }
}
