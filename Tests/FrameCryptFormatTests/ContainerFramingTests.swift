import FrameCryptFormat
import Testing

/// The framing other containers and tools put around frames, read byte for byte against the
/// specifications' layouts.
@Suite("Container framing and clear bitstreams")
struct ContainerFramingTests {
    @Test("ADTS: header length, frame length and the AudioSpecificConfig of AAC-LC 48 kHz stereo")
    func adts() throws {
        // FF F1: MPEG-4, no CRC; 4C: LC, 48 kHz (index 3); 80: stereo; frame length 0x0A6 = 166.
        let header = try #require(ADTSHeader([0xFF, 0xF1, 0x4C, 0x80, 0x14, 0xDF, 0xFC][...]))
        #expect(header.length == 7)
        #expect(header.frameLength == 166)
        #expect(header.sampleRate == 48_000 && header.channels == 2)
        #expect(header.audioSpecificConfig == [0x11, 0x90])
        // With a CRC (protection_absent 0) the header is 9 bytes.
        #expect(ADTSHeader([0xFF, 0xF0, 0x4C, 0x80, 0x14, 0xDF, 0xFC, 0, 0][...])?.length == 9)
        #expect(ADTSHeader([0xFF, 0xF1, 0x50, 0x80, 0x14, 0xDF, 0xFC][...])?.sampleRate == 44_100)
        // A raw AAC frame is no ADTS header.
        #expect(ADTSHeader([0x21, 0x10, 0x04, 0x60, 0x8C, 0x1C, 0x00][...]) == nil)
    }

    @Test("Opus in MPEG-TS: the control header's length with size bytes, trims and an extension")
    func opusControlHeader() {
        // 7F E0, au size 0x20: 3 bytes.
        #expect(OpusTSControlHeader.length(of: [0x7F, 0xE0, 0x20, 0xFC][...]) == 3)
        // A size of 300 takes FF then 2D; start and end trims 2 bytes each.
        #expect(OpusTSControlHeader.length(of: [0x7F, 0xF8, 0xFF, 0x2D, 0, 1, 0, 2, 0xFC][...]) == 8)
        // An extension: its length byte and that many bytes.
        #expect(OpusTSControlHeader.length(of: [0x7F, 0xE4, 0x10, 0x02, 0xAA, 0xBB, 0xFC][...]) == 6)
        // A plain Opus packet (TOC FC) has none.
        #expect(OpusTSControlHeader.length(of: [0xFC, 0xFF, 0xFE][...]) == nil)
    }

    @Test("Opus TOC durations in 48 kHz samples (RFC 6716 §3.1); code 3 is not read")
    func opusDurations() {
        #expect(OpusTOC.samples(toc: 0xFC) == 960)  // config 31: CELT FB 20 ms, code 0
        #expect(OpusTOC.samples(toc: 0x78) == 960)  // config 15: Hybrid FB 20 ms
        #expect(OpusTOC.samples(toc: 0x70) == 480)  // config 14: Hybrid FB 10 ms
        #expect(OpusTOC.samples(toc: 0x08) == 960)  // config 1: SILK NB 20 ms
        #expect(OpusTOC.samples(toc: 0x19) == 2 * 2880)  // config 3: SILK NB 60 ms, code 1
        #expect(OpusTOC.samples(toc: 0x80) == 120)  // config 16: CELT NB 2.5 ms
        #expect(OpusTOC.samples(toc: 0xFB) == nil)  // code 3: the count is in byte 2
    }

    @Test("AV1: the sequence header OBU behind a temporal delimiter; none in a sealed frame or an empty one")
    func av1SequenceHeader() {
        let sequenceHeader: [UInt8] = [0x0A, 0x03, 0x00, 0x00, 0x00]
        let frame: [UInt8] = [0x12, 0x00] + sequenceHeader + [0x32, 0x02, 0xAA, 0xBB]
        #expect(AV1SequenceHeader.find(in: frame[...]).map(Array.init) == sequenceHeader)
        // framecrypt's storage envelope of a key frame: an empty sequence header, then the sealed body.
        #expect(AV1SequenceHeader.find(in: [0x0A, 0x00, 0x32, 0x02, 0x00, 0x99][...]) == nil)
        // A size running past the frame.
        #expect(AV1SequenceHeader.find(in: [0x0A, 0x09, 0x00][...]) == nil)
    }

    @Test(
        "A clear bitstream reads as one; a trailer inside a NAL unit, also before zero bytes, is re-framed ciphertext"
    )
    func clearBitstream() {
        let idrSlice: [UInt8] = [0, 0, 0, 1, 0x65, 0x88, 0x84, 0x21]
        let sps: [UInt8] = [0, 0, 0, 1, 0x67, 0x42, 0xC0, 0x1E]
        #expect(ClearBitstream.assess((sps + idrSlice)[...], codec: .h264, sealed: false) == .plausible)
        // Parameter sets alone: no picture.
        #expect(ClearBitstream.assess(sps[...], codec: .h264, sealed: false) == .malformed)
        // A slice that ends with a FrameCryptor trailer (IV: SSRC, RTP, RTP minus send count 2;
        // then 12 and key index 0), followed by another slice: two frames merged.
        let iv: [UInt8] = [0x01, 0x92, 0x7B, 0xCD, 0xF7, 0x6D, 0xBA, 0xD1, 0xF7, 0x6D, 0xBA, 0xCF]
        let sealedSlice: [UInt8] = [0, 0, 0, 1, 0x41, 0x9A] + [UInt8](repeating: 0x5A, count: 24) + iv + [12, 0]
        let merged = sealedSlice + [0, 0, 0, 1, 0x41, 0x9B, 0x11, 0x22]
        #expect(ClearBitstream.assess(merged[...], codec: .h264, sealed: false) == .embeddedTrailer)
        #expect(ClearBitstream.assess((sealedSlice + [0])[...], codec: .h264, sealed: false) == .embeddedTrailer)
        // The same slice as a sealed frame's last unit is the frame's own trailer.
        #expect(ClearBitstream.assess((sps + sealedSlice)[...], codec: .h264, sealed: true) == .plausible)
        // VP8: a key frame (tag 30 00 00: shown, first partition 1 byte) needs its start code and a
        // first partition inside the frame; VP9 its frame marker; AV1 valid OBUs.
        #expect(
            ClearBitstream.assess([0x30, 0, 0, 0x9D, 0x01, 0x2A, 0, 0, 0, 0, 0][...], codec: .vp8, sealed: false)
                == .plausible
        )
        #expect(
            ClearBitstream.assess([0x30, 0, 0, 0x9D, 0x00, 0x2A, 0, 0, 0, 0, 0][...], codec: .vp8, sealed: false)
                == .malformed
        )
        #expect(
            ClearBitstream.assess([0x50, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0, 0, 0, 0, 0][...], codec: .vp8, sealed: false)
                == .malformed
        )
        #expect(ClearBitstream.assess([0x82, 0x49][...], codec: .vp9, sealed: false) == .plausible)
        #expect(ClearBitstream.assess([0x42, 0x49][...], codec: .vp9, sealed: false) == .malformed)
        #expect(ClearBitstream.assess([0x12, 0x00, 0x32, 0x01, 0xAA][...], codec: .av1, sealed: false) == .plausible)
        #expect(ClearBitstream.assess([0x12, 0x00, 0x32, 0x09, 0xAA][...], codec: .av1, sealed: false) == .malformed)
    }

    @Test("A MOV handler name read back with its length byte in front still yields the label and the source's handler")
    func movHandlerNameWithLengthByte() throws {
        let label = StreamLabel(
            scheme: StreamLabel.frameCryptorScheme,
            keyMode: "per-participant",
            participant: "alice"
        )
        let written = label.handlerName(keeping: "VideoHandler")
        for stray in ["\u{FFFD}", ","] {
            let parsed = try #require(StreamLabel.parse(handlerName: stray + written))
            #expect(parsed.label == label)
            #expect(parsed.originalHandler == "VideoHandler")
        }
        #expect(StreamLabel.parse(handlerName: "xx" + written) == nil)
        #expect(StreamLabel.parse(handlerName: label.text)?.label == label)
    }
}
