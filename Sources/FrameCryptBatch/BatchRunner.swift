import Foundation
package import FrameCryptCore
import FrameCryptCrypto
package import FrameCryptKit
import FrameCryptShared
import Synchronization

/// What a running batch tells its display, from any of its worker threads.
package enum BatchEvent: Sendable {
    /// Job `index` (in ``BatchPlan/jobs``) began.
    case started(index: Int)
    case progress(index: Int, JobProgress)
    case finished(index: Int, BatchJobReport)
}

/// Runs a batch's jobs on worker threads, each job alone: one that fails never stops or touches
/// the others.
///
/// Before a job with an output runs, temporary files abandoned by killed writers are removed and
/// the output's completion record is read: an output the record vouches for is skipped, one it
/// does not vouch for is redone, and an output with no record is never replaced without `force`.
/// After success a new record is written beside the output.
package enum BatchRunner {
    /// One job's work: the command's own operation on `job`, reporting progress as it goes.
    package typealias Work =
        @Sendable (BatchJob, _ progress: (JobProgress) -> Void) throws(FrameCryptError) ->
        BatchJobOutcome

    /// Worker threads get the stack size of a main thread, as FFmpeg's decoders expect.
    private static let stackSize = 8 << 20

    /// Runs every job of `plan` and returns their reports in plan order.
    package static func run(
        _ plan: BatchPlan,
        work: @escaping Work,
        events: @escaping @Sendable (BatchEvent) -> Void
    ) -> BatchReport {
        let started = ContinuousClock.now
        let next = Atomic<Int>(0)
        let results = Guarded<[BatchJobReport?]>(Array(repeating: nil, count: plan.jobs.count))
        let done = DispatchGroup()
        for _ in 0..<min(plan.concurrency, plan.jobs.count) {
            done.enter()
            let worker = Thread {
                while case let index = next.add(1, ordering: .relaxed).oldValue, index < plan.jobs.count {
                    events(.started(index: index))
                    let report = perform(index, plan: plan, work: work, events: events)
                    results.withLock { $0[index] = report }
                    events(.finished(index: index, report))
                }
                CryptoLibrary.releaseThreadState()
                done.leave()
            }
            worker.stackSize = stackSize
            worker.start()
        }
        done.wait()
        let reports = results.withLock { $0.compactMap { $0 } }
        return BatchReport(
            operation: plan.operation,
            shard: plan.shard?.description,
            listed: plan.listed,
            jobs: reports.count,
            succeeded: reports.count { $0.status == .ok },
            skipped: reports.count { $0.status == .skipped },
            failed: reports.count { $0.status == .failed },
            seconds: seconds(since: started),
            results: reports
        )
    }

    /// One job, from the resume decision to its completion record.
    private static func perform(
        _ index: Int,
        plan: BatchPlan,
        work: Work,
        events: @escaping @Sendable (BatchEvent) -> Void
    ) -> BatchJobReport {
        let started = ContinuousClock.now
        var job = plan.jobs[index]
        let settings = settingsDigest(plan.settings, job)
        do throws(FrameCryptError) {
            if let output = job.output {
                if var kept = try prepare(&job, output: output, plan: plan, settings: settings) {
                    kept.seconds = seconds(since: started)
                    return kept
                }
            }
            let outcome = try work(job) { events(.progress(index: index, $0)) }
            let report = BatchJobReport(
                job: job,
                outcome: outcome,
                bytesIn: FileStatus(job.input)?.size ?? 0,
                bytesOut: job.output.flatMap(FileStatus.init)?.size ?? 0,
                seconds: seconds(since: started)
            )
            if let output = job.output, FileStatus(output) != nil {
                try CompletionRecord.write(
                    for: job,
                    output: output,
                    operation: plan.operation,
                    settings: settings,
                    result: report
                )
            }
            return report
        } catch {
            return BatchJobReport(job: job, error: error, seconds: seconds(since: started))
        }
    }

    /// Clears the way for `job`'s output; returns the recorded report when the output is complete
    /// and may be kept.
    private static func prepare(
        _ job: inout BatchJob,
        output: String,
        plan: BatchPlan,
        settings: String
    ) throws(FrameCryptError) -> BatchJobReport? {
        let folder = URL(fileURLWithPath: output).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FrameCryptError(.outputFailure, "\(output): folder \(folder) cannot be created")
        }
        OutputFile.removeAbandonedTemporaries(of: output)
        OutputFile.removeAbandonedTemporaries(of: CompletionRecord.path(for: output))
        let record = CompletionRecord.load(for: output)
        if !plan.force, let record, var kept = record.result, kept.status == .ok,
            record.vouches(for: job, output: output, operation: plan.operation, settings: settings)
        {
            kept.status = .skipped
            return kept
        }
        job.overwrite = plan.force || record != nil
        if !job.overwrite && FileManager.default.fileExists(atPath: output) {
            throw FrameCryptError(
                .outputExists,
                "\(output): already exists and was not written by a batch",
                remedy: .overwrite
            )
        }
        try CompletionRecord.write(for: job, output: output, operation: plan.operation, settings: settings, result: nil)
        return nil
    }

    /// The digest kept in completion records: the batch's settings plus the job's own key source
    /// and participants.
    private static func settingsDigest(_ settings: String, _ job: BatchJob) -> String {
        var text = settings
        text += "\nkeys=\(job.keySource?.identity ?? "")"
        if let participants = job.participants {
            text += "\nparticipant=\(participants.defaultParticipant ?? "")"
            text +=
                "\nmap="
                + participants.byStream.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: ",")
        }
        // The text may hold a key service URL's query (a token): only its digest is ever written.
        // Should hashing fail, a value no record matches makes the job run again.
        return (try? FileDigest.sha256(of: Array(text.utf8))) ?? "no digest \(UInt64.random(in: 0...UInt64.max))"
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
