import Testing

@testable import FrameCryptFormat

/// The in-place rewrite against the copying conversion it stands in for.
@Suite("NAL framing in place")
struct NALFramingInPlaceTests {
    private func frames() -> [[UInt8]] {
        let code: [UInt8] = [0, 0, 0, 1]
        var generator = SystemRandomNumberGenerator()
        func random(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in UInt8.random(in: 1...255, using: &generator) }
        }
        return [
            code + [0x67, 0x42] + code + [0x68] + code + [0x65] + random(300),
            code + [0x41] + random(70_000),
            code + [0x41, 0x9A, 0x00] + code + [0x41, 0x00, 0x00],  // units ending in zeros
            code + [0x06, 0x05] + code + random(64) + [0x00, 0x00, 0x01] + random(5),  // a 3-byte start code
            code + [0x41] + code + code + [0x41],  // an empty unit
            [0, 0, 1, 0x41, 0x9A],  // a 3-byte first start code
            code,  // nothing after the start code
            [],
            random(40),
        ]
    }

    @Test("the rewrite is byte for byte what appendLengthPrefixed writes with 4-byte lengths, or fails alike")
    func sameAsCopy() {
        var starts: [Int] = []
        for frame in frames() {
            var copied: [UInt8] = []
            let copiedOK = NALFraming.appendLengthPrefixed(ofAnnexB: frame, lengthSize: 4, to: &copied)
            var rewritten = frame
            let rewrittenOK = NALFraming.replaceStartCodesWithLengths(in: &rewritten, unitStarts: &starts)
            #expect(rewrittenOK == copiedOK, "\(frame.prefix(12))")
            #expect(rewritten == (copiedOK ? copied : frame), "\(frame.prefix(12))")
        }
    }

    @Test("a length written in place that looks like a start code does not split the next unit")
    func lengthLookingLikeStartCode() {
        // A 256-byte unit gets the length 00 00 01 00, which reads as a start code once written.
        let frame: [UInt8] = [0, 0, 0, 1] + [0x41] + Array(repeating: 0x77, count: 255) + [0, 0, 0, 1, 0x41, 0x22]
        var copied: [UInt8] = []
        #expect(NALFraming.appendLengthPrefixed(ofAnnexB: frame, lengthSize: 4, to: &copied))
        var rewritten = frame
        var starts: [Int] = []
        #expect(NALFraming.replaceStartCodesWithLengths(in: &rewritten, unitStarts: &starts))
        #expect(rewritten == copied)
        #expect(Array(rewritten.prefix(4)) == [0, 0, 1, 0])
    }
}
