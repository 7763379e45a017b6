import Foundation
import FrameCryptShared
import FrameCryptTestSupport
import Testing

@testable import FrameCryptBatch
@testable import FrameCryptCore
@testable import FrameCryptKit

/// The batch runner in-process, with real encrypt jobs on real files: reports in plan order, a
/// failing job alone failing, and resuming by completion records under the same or other settings.
@Suite("Batch runner")
struct BatchRunnerTests {
    /// `count` inputs (copies of a fixture, the one at `broken` cut short) and their jobs.
    static func jobs(_ count: Int, in folder: ScratchFolder, broken: Int? = nil) throws -> [BatchJob] {
        try FileManager.default.createDirectory(atPath: folder.path("in"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.path("out"), withIntermediateDirectories: true)
        let source = try Data(contentsOf: URL(fileURLWithPath: Fixtures.media("vp8-opus.webm")))
        return try (0..<count).map { index in
            let input = folder.path("in/clip-\(index).webm")
            try (index == broken ? source.prefix(600) : source).write(to: URL(fileURLWithPath: input))
            return BatchJob(input: input, output: folder.path("out/clip-\(index).webm"), origin: input)
        }
    }

    static func plan(_ jobs: [BatchJob], settings: String = "s", force: Bool = false) throws -> BatchPlan {
        try BatchPlan(
            operation: .encrypt,
            jobs: jobs,
            requiresOutputs: true,
            shard: nil,
            concurrency: 2,
            force: force,
            settings: settings
        )
    }

    /// Encrypts a job's input into its output with the demo key.
    static let work: BatchRunner.Work = { (job, progress) throws(FrameCryptError) in
        let keys = try KeyFile.load(path: Fixtures.keys("shared.json"))
        let report = try MediaEncryption.run(
            EncryptRequest(
                files: FileJob(input: job.input, output: job.output ?? "", overwrite: job.overwrite),
                keys: keys
            ),
            progress: progress
        )
        return BatchJobOutcome(report)
    }

    @Test("reports come in plan order; the broken input fails alone with its own exit status and leaves nothing")
    func failures() throws {
        let folder = try ScratchFolder()
        let jobs = try Self.jobs(5, in: folder, broken: 2)
        let started = Guarded<[Int]>([])
        let report = BatchRunner.run(try Self.plan(jobs), work: Self.work) { event in
            if case .started(let index) = event { started.withLock { $0.append(index) } }
        }
        #expect(report.results.map(\.input) == jobs.map(\.input))
        #expect(report.results.map(\.status) == [.ok, .ok, .failed, .ok, .ok])
        #expect(report.results[2].exitStatus == ExitStatus.malformedInput)
        #expect(started.withLock { $0.sorted() } == [0, 1, 2, 3, 4])
        #expect(!FileManager.default.fileExists(atPath: jobs[2].output ?? ""))
        #expect((report.succeeded, report.failed) == (4, 1))
    }

    @Test(
        "a rerun skips what its records vouch for, redoes an edited output, and redoes everything under other settings"
    )
    func resume() throws {
        let folder = try ScratchFolder()
        let jobs = try Self.jobs(3, in: folder)
        #expect(BatchRunner.run(try Self.plan(jobs), work: Self.work) { _ in }.succeeded == 3)
        // The same bytes at the same size, one changed: the CRC-32C no longer matches.
        let edited = URL(fileURLWithPath: jobs[1].output ?? "")
        var bytes = try Data(contentsOf: edited)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: edited)
        let again = BatchRunner.run(try Self.plan(jobs), work: Self.work) { _ in }
        #expect(again.results.map(\.status) == [.skipped, .ok, .skipped])
        let other = BatchRunner.run(try Self.plan(jobs, settings: "other"), work: Self.work) { _ in }
        #expect(other.results.map(\.status) == [.ok, .ok, .ok])
    }
}
