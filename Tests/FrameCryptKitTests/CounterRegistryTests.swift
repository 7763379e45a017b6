import FrameCryptFormat
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// SFrame counter bookkeeping at the ends of the 64-bit range (found by FuzzContainer:
/// Fuzz/regressions/FuzzContainer/sframe-counter-gap-2-64.mp4).
@Suite("SFrame counter registry")
struct CounterRegistryTests {
    @Test("a gap wider than Int.max is reported, not a crash")
    func hugeGap() {
        var registry = SFrameCounterRegistry()
        for counter: UInt64 in [0, 1, .max - 1, .max] {
            registry.record(scope: "shared", header: SFrameHeader(keyID: 7, counter: counter), stream: 0, frame: 0)
        }
        let findings = registry.findings(complete: true)
        #expect(findings.map(\.code) == [.counterGap])
        #expect(
            findings.first?.message.contains(
                "skips 18446744073709551612 counters in 1 gap (first: 2-18446744073709551613)"
            ) == true
        )
    }

    @Test("a one-counter gap is named by its counter alone")
    func oneCounterGap() {
        var registry = SFrameCounterRegistry()
        for counter: UInt64 in [0, 2] {
            registry.record(scope: "shared", header: SFrameHeader(keyID: 7, counter: counter), stream: 0, frame: 0)
        }
        #expect(
            registry.findings(complete: true).first?.message.contains("skips 1 counter in 1 gap (first: 1)") == true
        )
    }
}
