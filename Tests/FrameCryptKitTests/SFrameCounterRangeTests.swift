import Foundation
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// The partition of SFrame counters between a batch's jobs: the only guard against two jobs sealing
/// frames under one (key, KID, CTR) when a key file gives explicit KIDs.
@Suite("SFrame counter ranges")
struct SFrameCounterRangeTests {
    @Test("a batch's jobs get adjacent, disjoint ranges of 2^32 counters after the start")
    func jobsAreDisjoint() throws {
        let start: UInt64 = (1 << 33) - 5
        let ranges = try (0..<64).map { try SFrameCounterRange.batchJob(position: $0, start: start) }
        for (position, range) in ranges.enumerated() {
            #expect(range.start == start + UInt64(position) << 32)
            #expect(range.end == range.start + SFrameCounterRange.jobSpan)
            if position > 0 {
                #expect(ranges[position - 1].end == range.start)
            }
        }
        #expect(SFrameCounterRange.single(start: 9) == SFrameCounterRange(start: 9, end: nil))
    }

    @Test("a range that would pass 2^64−1 is refused, and the last job before it runs to 2^64−1")
    func overflowIsRefused() throws {
        #expect(throws: FrameCryptError.self) { try SFrameCounterRange.batchJob(position: 1, start: .max) }
        #expect(throws: FrameCryptError.self) { try SFrameCounterRange.batchJob(position: Int.max, start: 0) }
        let last = try SFrameCounterRange.batchJob(position: 0, start: .max - 3)
        #expect(last == SFrameCounterRange(start: .max - 3, end: nil))
    }

    @Test("a counter stops at its range's end instead of running into the next job's counters")
    func counterStopsAtEnd() {
        let counter = SFrameCounter(range: SFrameCounterRange(start: 10, end: 13))
        #expect([counter.take(), counter.take(), counter.take(), counter.take()] == [10, 11, 12, nil])
        let top = SFrameCounter(start: .max)
        #expect([top.take(), top.take()] == [.max, nil])
    }

    /// A batch with an explicit KID, encrypted through the CLI: the counters each file used.
    private func counters(in folder: ScratchFolder, counterStart: UInt64) throws -> (CommandResult, [String: [UInt64]])
    {
        let keys = folder.path("kid.json")
        try Data(#"{"scheme": "sframe", "sharedKey": {"hex": "00112233445566778899aabbccddeeff", "kid": 5}}"#.utf8)
            .write(to: URL(fileURLWithPath: keys))
        try FileManager.default.createDirectory(atPath: folder.path("in"), withIntermediateDirectories: true)
        for name in ["a", "b", "c"] {
            try FileManager.default.copyItem(atPath: Fixtures.media("opus.ogg"), toPath: folder.path("in/\(name).ogg"))
        }
        let result = try CommandRunner.framecrypt(
            ["encrypt", folder.path("in"), "-O", folder.path("out"), "--key-file", keys]
                + ["--counter-start", String(counterStart), "-q"]
        )
        var used: [String: [UInt64]] = [:]
        for name in ["a", "b", "c"] where FileManager.default.fileExists(atPath: folder.path("out/\(name).ogg")) {
            let inspect = try CommandRunner.framecrypt([
                "inspect", folder.path("out/\(name).ogg"), "--frames", "--json",
            ])
            let frames = try #require(try ReportJSON.decode(ReportJSON.Inspection.self, from: inspect).frames)
            used[name] = frames.compactMap(\.ctr)
        }
        return (result, used)
    }

    @Test("jobs of a batch sharing one key and KID never repeat a counter, even from a start near a range boundary")
    func batchNeverRepeats() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let start: UInt64 = (1 << 32) - 2
        let (result, used) = try counters(in: folder, counterStart: start)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(used.count == 3)
        var all: Set<UInt64> = []
        for (position, name) in ["a", "b", "c"].enumerated() {
            let counters = try #require(used[name])
            #expect(counters.first == start + UInt64(position) << 32)
            for counter in counters {
                #expect(all.insert(counter).inserted, "counter \(counter) used twice")
            }
        }
    }

    @Test("a counter start that leaves a later job no counters fails that job clearly instead of crashing")
    func startNearTheTop() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let (result, used) = try counters(in: folder, counterStart: .max - (1 << 32))
        #expect(result.status == 1, "\(result.standardError)")
        #expect(!result.standardError.contains("Swift runtime failure"))
        #expect(
            result.standardError.contains("leaves no SFrame counters for job 3 of the batch"),
            "\(result.standardError)"
        )
        // Job 2 starts at 2^64−1 itself: one frame, then its counters are spent.
        #expect(result.standardError.contains("has used its last counter"), "\(result.standardError)")
        #expect(Set(used.keys) == ["a"])
        #expect(!FileManager.default.fileExists(atPath: folder.path("out/c.ogg")))
    }
}
