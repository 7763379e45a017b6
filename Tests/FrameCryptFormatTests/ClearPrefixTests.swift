import Testing

@testable import FrameCryptFormat

@Suite("Clear prefix per codec")
struct ClearPrefixTests {
    private let startCode: [UInt8] = [0, 0, 0, 1]

    private func prefix(_ frame: [UInt8], _ codec: FrameCodec) -> Int {
        ClearPrefix.length(of: frame[...], codec: codec)
    }

    @Test("audio leaves one byte clear", arguments: [FrameCodec.opus, .aac, .otherAudio("pcm_s16le")])
    func audio(codec: FrameCodec) {
        #expect(prefix([0x78, 1, 2, 3], codec) == 1)
    }

    @Test("VP8 leaves 10 bytes of a key frame and 3 of a delta frame clear, judged by the bitstream")
    func vp8() {
        let keyFrame: [UInt8] = [0x50, 0x42, 0, 0x9D, 0x01, 0x2A, 0xA0, 0, 0x60, 0, 0xAA, 0xBB]
        var delta = keyFrame
        delta[0] |= 1
        #expect(prefix(keyFrame, .vp8) == 10)
        #expect(prefix(delta, .vp8) == 3)
        #expect(prefix([0x50, 0x42], .vp8) == 2)
    }

    @Test(
        "VP9, AV1 and unknown video codecs leave nothing clear",
        arguments: [FrameCodec.vp9, .av1, .otherVideo("mpeg4")]
    )
    func noClearBytes(codec: FrameCodec) {
        #expect(prefix([0x82, 0x49, 0x83, 0x42], codec) == 0)
    }

    @Test("H.264 keeps everything before the first slice plus two bytes")
    func h264ParameterSetsBeforeIDR() {
        let sps: [UInt8] = [0x67, 0x42, 0xC0, 0x1F]
        let pps: [UInt8] = [0x68, 0xCE, 0x3C, 0x80]
        let idr: [UInt8] = [0x65, 0x88, 0x84, 0x0A, 0xF2]
        let frame = startCode + sps + startCode + pps + startCode + idr
        #expect(prefix(frame, .h264) == 4 + 4 + 4 + 4 + 4 + 2)
        #expect(NALUnitScanner.firstSliceHeaderOffset(in: frame[...], codec: .h264) == 20)
    }

    @Test("H.264 with three-byte start codes and a non-IDR slice")
    func h264ThreeByteStartCodes() {
        let frame: [UInt8] = [0, 0, 1, 0x09, 0xF0, 0, 0, 1, 0x41, 0x9A, 0x3B, 0x13]
        #expect(prefix(frame, .h264) == 10)
    }

    @Test("a frame with no slice NAL unit has no clear bytes")
    func noSlice() {
        let frame = startCode + [0x67, 0x42, 0xC0] + startCode + [0x68, 0xCE]
        #expect(prefix(frame, .h264) == 0)
        #expect(prefix([0xDE, 0xAD, 0xBE, 0xEF], .h265) == 0)
    }

    @Test("a clear prefix over 253 bytes is kept whole, without libwebrtc's 8-bit wrap")
    func longPrefixDoesNotWrap() {
        let sei = [0x06, 0x05] + [UInt8](repeating: 0xAB, count: 298)
        let frame = startCode + sei + startCode + [0x65, 0x88, 0x84, 0x00, 0x10]
        let expected = 4 + 300 + 4 + 2
        #expect(expected > 253)
        #expect(prefix(frame, .h264) == expected)
        #expect(prefix(frame, .h264) != expected % 256)
    }

    @Test(
        "H.265 slice types are 0–9 and 16–21",
        arguments: [
            (UInt8(0), true), (1, true), (9, true), (10, false), (15, false), (16, true), (19, true), (21, true),
            (22, false), (32, false), (33, false), (34, false), (39, false),
        ]
    )
    func h265SliceTypes(type: UInt8, isSlice: Bool) {
        let header = type << 1
        #expect(NALUnitScanner.isSlice(header, codec: .h265) == isSlice)
        let frame = startCode + [0x40, 0x01, 0x0C] + startCode + [header, 0x01, 0xAF, 0x19]
        #expect(prefix(frame, .h265) == (isSlice ? 4 + 3 + 4 + 2 : 0))
    }

    @Test("H.264 slice types are 1 and 5 only", arguments: Array(UInt8(0)...31))
    func h264SliceTypes(type: UInt8) {
        #expect(NALUnitScanner.isSlice(0x60 | type, codec: .h264) == (type == 1 || type == 5))
    }

    @Test("the prefix never exceeds the frame")
    func clampedToFrame() {
        #expect(prefix(startCode + [0x65], .h264) == 5)
        #expect(prefix([], .opus) == 0)
    }
}
