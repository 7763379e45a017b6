import Testing

@testable import FrameCryptFormat

/// The vectorised zero-pair search against a byte-by-byte reference, at every position of the
/// 64-byte blocks it tests and across their edges.
@Suite("Zero-pair search")
struct ZeroPairSearchTests {
    /// The reference: the first `00 00 x` with `third(x)` starting at or after `start` and ending before `end`.
    private func reference(_ bytes: [UInt8], from start: Int, before end: Int, third: (UInt8) -> Bool) -> Int? {
        var index = max(start, 0)
        while index + 2 < end {
            if bytes[index] == 0 && bytes[index + 1] == 0 && third(bytes[index + 2]) { return index }
            index += 1
        }
        return nil
    }

    /// Nonzero bytes except lone zeros every 37 bytes, which never form a pair.
    private func background(_ count: Int) -> [UInt8] {
        (0..<count).map { $0 % 37 == 36 ? 0 : UInt8(truncatingIfNeeded: $0 % 251 + 4) }
    }

    @Test("a pattern at every offset of buffers up to three blocks long is found where the reference finds it")
    func everyOffset() {
        for count in [0, 1, 2, 3, 63, 64, 65, 66, 127, 128, 129, 130, 200] {
            for offset in 0..<max(count, 1) {
                for third: UInt8 in [1, 3, 9] {
                    var bytes = background(count)
                    let pattern: [UInt8] = [0, 0, third]
                    let end = min(offset + 3, count)
                    if offset < end { bytes.replaceSubrange(offset..<end, with: pattern[..<(end - offset)]) }
                    let found = ZeroByteSearch.firstPattern(endingWith: third, in: bytes.span, from: 0)
                    let expected = reference(bytes, from: 0, before: count) { $0 == third }
                    #expect(found == expected, "count \(count), offset \(offset), third \(third)")
                    #expect(expected == (offset + 3 <= count ? offset : nil))
                    let escaping = ZeroByteSearch.firstPattern(in: bytes.span, from: 0) { $0 <= 3 }
                    #expect(escaping == reference(bytes, from: 0, before: count) { $0 <= 3 })
                }
            }
        }
    }

    @Test("pairs whose third byte does not match are passed over, and start and end bounds hold")
    func boundsAndSkips() {
        var bytes = background(300)
        // 00 00 09 (no match), 00 00 00 01 (a match at 131), then a match past `end`.
        bytes.replaceSubrange(70..<73, with: [0, 0, 9])
        bytes.replaceSubrange(130..<134, with: [0, 0, 0, 1])
        bytes.replaceSubrange(250..<253, with: [0, 0, 1])
        for start in [0, 69, 70, 71, 130, 131, 132, 200, 251, 299] {
            for end in [100, 133, 134, 252, 253, 300] {
                let found = ZeroByteSearch.firstPattern(endingWith: 1, in: bytes.span, from: start, before: end)
                #expect(found == reference(bytes, from: start, before: end) { $0 == 1 }, "start \(start), end \(end)")
            }
        }
        var escaped: [UInt8] = []
        EmulationPrevention.escape(bytes[...], appendingTo: &escaped)
        var restored: [UInt8] = []
        EmulationPrevention.unescape(escaped[...], appendingTo: &restored)
        #expect(restored == bytes)
        #expect(EmulationPrevention.escapeCount(escaped[...]) == 2)  // before the 00 at 132 and the 01 at 252
    }
}
