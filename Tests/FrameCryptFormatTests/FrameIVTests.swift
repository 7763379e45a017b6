import Testing

@testable import FrameCryptFormat

@Suite("IV")
struct FrameIVTests {
    @Test("SSRC, RTP timestamp and timestamp minus send count, big-endian")
    func layout() {
        let iv = FrameIV(ssrc: 0x1234_5678, rtpTimestamp: 0x0001_0000, sendCount: 3)
        var bytes: [UInt8] = []
        iv.append(to: &bytes)
        #expect(bytes == [0x12, 0x34, 0x56, 0x78, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFD])
        #expect(FrameIV(bytes: bytes[...]) == iv)
        #expect(iv.impliedSendCount == 3)
    }

    @Test("the send count wraps at 0xFFFF and the subtraction at 2^32")
    func wrapping() {
        #expect(FrameIV(ssrc: 1, rtpTimestamp: 100, sendCount: 0xFFFF).countedTimestamp == 100)
        #expect(FrameIV(ssrc: 1, rtpTimestamp: 100, sendCount: 0x1_0000).countedTimestamp == 99)
        #expect(FrameIV(ssrc: 1, rtpTimestamp: 2, sendCount: 5).countedTimestamp == UInt32.max - 2)
    }

    @Test("only 12 bytes make an IV")
    func length() {
        #expect(FrameIV(bytes: [UInt8](repeating: 0, count: 11)[...]) == nil)
        #expect(FrameIV(bytes: [UInt8](repeating: 0, count: 13)[...]) == nil)
    }
}
