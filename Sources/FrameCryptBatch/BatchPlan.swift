import Foundation
package import FrameCryptCore
import FrameCryptKit

/// A batch ready to run: its jobs (after `--shard`), how many at once, and what decides whether an
/// existing output is kept.
package struct BatchPlan: Sendable {
    /// `encrypt`, `decrypt`, `inspect` or `verify-keys`.
    package let operation: JobOperation
    /// The jobs of this run, in list order.
    package let jobs: [BatchJob]
    /// Jobs in the whole list, before sharding.
    package let listed: Int
    package let shard: BatchShard?
    /// Jobs run at the same time.
    package let concurrency: Int
    /// Redo every job and replace its output, even one that is complete.
    package let force: Bool
    /// The options that shape every output, as text (never key material): a completed output is
    /// kept only when they are unchanged.
    package let settings: String

    /// Checks the whole list, then keeps this shard's jobs.
    ///
    /// - Throws: ``FrameCryptError`` `.inputMissing` for an empty list, `.invalidArgument` when two
    ///   jobs write the same output, an output would replace an input, a job that must write has
    ///   no output (`requiresOutputs`), or `concurrency` < 1.
    package init(
        operation: JobOperation,
        jobs listedJobs: [BatchJob],
        requiresOutputs: Bool,
        shard: BatchShard?,
        concurrency: Int,
        force: Bool,
        settings: String
    ) throws(FrameCryptError) {
        var jobs = listedJobs
        for index in jobs.indices {
            jobs[index].position = index
        }
        guard !jobs.isEmpty else {
            throw FrameCryptError(.inputMissing, "no media files to \(operation)")
        }
        guard concurrency >= 1 else {
            throw FrameCryptError(.invalidArgument, "a batch runs 1 or more jobs at a time")
        }
        let inputs = Set(jobs.map { BatchInputs.canonical($0.input) })
        var outputs: [String: String] = [:]
        for job in jobs {
            guard let output = job.output else {
                if requiresOutputs {
                    throw FrameCryptError(
                        .invalidArgument,
                        "\(job.origin): no output",
                        remedy: .giveOutputFolder
                    )
                }
                continue
            }
            let key = BatchInputs.canonical(output)
            if let other = outputs[key] {
                throw FrameCryptError(
                    .invalidArgument,
                    "\(job.origin) and \(other) would both write \(output)",
                    remedy: .changeOutputNames
                )
            }
            guard !inputs.contains(key) else {
                throw FrameCryptError(.invalidArgument, "\(job.origin): the output \(output) is an input of the batch")
            }
            outputs[key] = job.origin
        }
        self.operation = operation
        self.jobs = shard?.select(jobs) ?? jobs
        listed = jobs.count
        self.shard = shard
        self.concurrency = concurrency
        self.force = force
        self.settings = settings
    }
}
