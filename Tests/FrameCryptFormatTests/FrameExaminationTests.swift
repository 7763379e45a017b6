import FrameCryptFormat
import Testing

/// Judging frames without a key (`framecrypt-profile.md` §5): trailer, IV structure, clear header.
@Suite("Frame examination")
struct FrameExaminationTests {
    /// A VP8 delta frame tag, `bodyLength` bytes that stand in for ciphertext and tag, the IV of the
    /// `sendCount`-th frame, then `trailerByte` and the key index.
    static func frame(bodyLength: Int = 40, sendCount: UInt64 = 5, trailerByte: UInt8 = 12, keyIndex: UInt8 = 3)
        -> [UInt8]
    {
        var bytes: [UInt8] = [0x31, 0x02, 0x00]
        bytes += (0..<bodyLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        FrameIV(ssrc: 0xDEAD_BEEF, rtpTimestamp: 90_000, sendCount: sendCount).append(to: &bytes)
        return bytes + [trailerByte, keyIndex]
    }

    @Test("a sealed frame: key index, IV, clear bytes and 30 bytes of overhead")
    func sealed() {
        let examination = FrameExamination(Self.frame()[...], codec: .vp8)
        #expect(examination.shape == .sealed)
        #expect(examination.keyIndex == 3)
        #expect(examination.iv == FrameIV(ssrc: 0xDEAD_BEEF, rtpTimestamp: 90_000, sendCount: 5))
        #expect(examination.clearPrefixLength == 3)
        #expect(examination.overheadBytes == 30)
        #expect(examination.header.keyFrame == false)
        #expect(examination.header.problem == nil)
    }

    @Test("a clear frame that happens to end in 0C is clear: its IV words do not differ by a send count")
    func clearEndingInTrailerByte() {
        var bytes: [UInt8] = [0x31, 0x02, 0x00] + (0..<60).map { UInt8(truncatingIfNeeded: $0 &* 91 &+ 7) }
        bytes += [0x0C, 0x01]
        #expect(FrameExamination(bytes[...], codec: .vp8).shape == .clear)
    }

    @Test("the IV structure with another trailer byte is a bad trailer; too few bytes is too short")
    func badTrailerAndTooShort() {
        #expect(FrameExamination(Self.frame(trailerByte: 0x0B)[...], codec: .vp8).shape == .badTrailer)
        #expect(FrameExamination(Self.frame(bodyLength: 10)[...], codec: .vp8).shape == .tooShort)
        #expect(FrameExamination([][...], codec: .vp8).shape == .empty)
    }

    @Test("an H.264 IV that needed escaping is flagged; an unescaped one is not")
    func ivEscaping() {
        for (ssrc, escaped) in [(UInt32(0x8400_0002), true), (0x8412_3456, false)] {
            var tail: [UInt8] = (0..<40).map { UInt8(truncatingIfNeeded: $0 | 0x10) }
            FrameIV(ssrc: ssrc, rtpTimestamp: 90_000, sendCount: 0).append(to: &tail)
            tail += [0x0C, 0x00]
            var frame: [UInt8] = [0, 0, 0, 1, 0x65, 0x88]
            EmulationPrevention.escape(tail[...], appendingTo: &frame)
            let examination = FrameExamination(frame[...], codec: .h264)
            #expect(examination.shape == .sealed)
            #expect(examination.iv?.ssrc == ssrc)
            #expect(examination.ivNeedsEscaping == escaped)
            #expect(examination.escapeBytes == (escaped ? 1 : 0))
            #expect(examination.header.nalUnitTypes == [5])
        }
    }

    @Test("clear headers that do not parse as the codec's are named")
    func clearHeaderProblems() {
        let vp8Key: [UInt8] = [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00]
        #expect(ClearHeader(vp8Key[...], codec: .vp8).problem == nil)
        #expect(ClearHeader(vp8Key[...], codec: .vp8).keyFrame == true)
        var broken = vp8Key
        broken[3] = 0
        #expect(ClearHeader(broken[...], codec: .vp8).problem?.contains("start code") == true)
        let h264: [UInt8] = [0, 0, 0, 1, 0xE5, 0x88]
        #expect(ClearHeader(h264[...], codec: .h264).problem?.contains("forbidden") == true)
    }

    @Test("a known blank frame followed by an unknown trailer is recognised; the blank frame alone is not")
    func serverInjectedWithoutTrailer() {
        let frame = ServerInjectedFrames.opusSilence + Array("secret".utf8)
        #expect(ServerInjectedFrames.unknownTrailerLength(of: frame[...]) == 6)
        #expect(ServerInjectedFrames.unknownTrailerLength(of: ServerInjectedFrames.opusSilence[...]) == nil)
    }
}
