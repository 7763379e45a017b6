import FrameCryptFormat
import Testing

/// Each corruption flips exactly the byte it names, read after emulation prevention is removed.
@Suite("Frame corruption")
struct FrameCorruptionTests {
    /// A VP8 delta frame: 3 clear bytes, 4 ciphertext bytes, tag, IV, trailer (0x0C, key index 2).
    static let vp8: [UInt8] =
        [0x31, 0x0F, 0x00] + [1, 2, 3, 4] + Array(repeating: 0xAA, count: 16)
        + Array(repeating: 0xBB, count: 12) + [0x0C, 0x02]

    @Test(
        "VP8: the named byte and only it changes",
        arguments: [
            (FrameCorruption.ciphertext, 3, UInt8(0)), (.tag, 22, 0xAB), (.iv, 34, 0xBA), (.ivLength, 35, 0x0D),
            (.keyIndex, 36, 0x03),
        ]
    )
    func vp8(part: FrameCorruption, offset: Int, value: UInt8) {
        var frame = Self.vp8
        #expect(part.apply(to: &frame, codec: .vp8))
        #expect(frame.count == Self.vp8.count)
        #expect(frame[offset] == value)
        #expect(zip(frame, Self.vp8).enumerated().filter { $1.0 != $1.1 }.map(\.offset) == [offset])
    }

    @Test("H.264: the tail is unescaped, damaged and escaped again")
    func h264() {
        let prefix: [UInt8] = [0, 0, 0, 1, 0x41, 0x9A]
        let tail: [UInt8] =
            [0, 0, 3, 1, 9] + Array(repeating: 0xAA, count: 16) + Array(repeating: 0xBB, count: 12) + [0x0C, 0]
        var frame = prefix + tail
        #expect(FrameCorruption.ciphertext.apply(to: &frame, codec: .h264))
        #expect(frame == prefix + [1, 0, 1, 9] + tail.dropFirst(5))
    }

    @Test("a frame without the part is left alone")
    func missingPart() {
        var empty: [UInt8] = [0x31, 0x0F, 0x00] + Array(Self.vp8.suffix(30))
        let before = empty
        #expect(!FrameCorruption.ciphertext.apply(to: &empty, codec: .vp8))
        #expect(empty == before)
        var clear: [UInt8] = [0x31, 0x0F, 0x00, 9, 9, 9]
        #expect(!FrameCorruption.tag.apply(to: &clear, codec: .vp8))
    }
}
