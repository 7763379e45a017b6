/// Frames an SFU injects into an E2EE stream in clear, marked by a room-specific trailer (SIF).
///
/// LiveKit's server sends blank frames (when a track starts or is muted) with the room's trailer
/// appended. A receiver strips the trailer and forwards the frame only when what remains is one of
/// the known blank payloads; anything else with the trailer is dropped, since a forged trailer must
/// not smuggle clear media into an encrypted stream. The payloads are those of livekit/livekit
/// `pkg/sfu/downtrack.go`; their SHA-256 digests are pinned by client-sdk-js `sifPayload.ts` and
/// checked by `framecrypt vectors verify` against `framecryptor-published.json`.
public enum ServerInjectedFrames {
    /// The VP8 8×8 blank key frame.
    public static let vp8KeyFrame: [UInt8] = [
        0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x08, 0x00, 0x08, 0x00, 0x00, 0x47, 0x08, 0x85, 0x85, 0x88,
        0x85, 0x84, 0x88, 0x02, 0x02, 0x00, 0x0C, 0x0D, 0x60, 0x00, 0xFE, 0xFF, 0xAB, 0x50, 0x80,
    ]
    /// The sequence parameter set of the H.264 2×2 blank key frame.
    public static let h264SPS: [UInt8] = [
        0x67, 0x42, 0xC0, 0x1F, 0x0F, 0xD9, 0x1F, 0x88, 0x88, 0x84, 0x00, 0x00, 0x03, 0x00, 0x04, 0x00,
        0x00, 0x03, 0x00, 0xC8, 0x3C, 0x60, 0xC9, 0x20,
    ]
    /// The picture parameter set of the H.264 2×2 blank key frame.
    public static let h264PPS: [UInt8] = [0x68, 0x87, 0xCB, 0x83, 0xCB, 0x20]
    /// The IDR slice of the H.264 2×2 blank key frame.
    public static let h264IDR: [UInt8] = [0x65, 0x88, 0x84, 0x0A, 0xF2, 0x62, 0x80, 0x00, 0xA7, 0xBE]
    /// 20 ms of Opus silence: `F8 FF FE` and 77 zero bytes.
    public static let opusSilence: [UInt8] = [0xF8, 0xFF, 0xFE] + [UInt8](repeating: 0, count: 77)
    /// 20 ms of G.711 µ-law silence.
    public static let pcmuSilence = [UInt8](repeating: 0xFF, count: 160)
    /// 20 ms of G.711 A-law silence.
    public static let pcmaSilence = [UInt8](repeating: 0xD5, count: 160)

    /// The payloads whose SHA-256 digests the SDKs pin, by the names `framecryptor-published.json` uses.
    public static let pinnedPayloads: [(name: String, bytes: [UInt8])] = [
        ("vp8", vp8KeyFrame), ("h264_sps", h264SPS), ("h264_pps", h264PPS), ("h264_idr", h264IDR),
        ("opus", opusSilence),
    ]

    /// True when `payload` (trailer already removed) is a blank frame a receiver may forward.
    ///
    /// Accepted: the VP8 key frame; Opus silence, alone or behind a RED header byte whose F bit is 0;
    /// µ-law and A-law silence; an H.264 IDR, alone or behind SPS and PPS, each after a 4-byte start code.
    public static func isKnownBlankPayload(_ payload: ArraySlice<UInt8>) -> Bool {
        if payload.elementsEqual(vp8KeyFrame) || payload.elementsEqual(opusSilence)
            || payload.elementsEqual(pcmuSilence) || payload.elementsEqual(pcmaSilence)
        {
            return true
        }
        if let red = payload.first, red & 0x80 == 0, payload.dropFirst().elementsEqual(opusSilence) {
            return true
        }
        return payload.elementsEqual(h264BlankIDR) || payload.elementsEqual(h264BlankKeyFrame)
    }

    /// The blank frame (frame form) a LiveKit SFU injects into a `codec` stream, or nil for codecs
    /// it sends none for: the VP8 key frame, the H.264 SPS, PPS and IDR, and Opus silence.
    public static func blankFrame(for codec: FrameCodec) -> [UInt8]? {
        switch codec {
        case .vp8: vp8KeyFrame
        case .h264: h264BlankKeyFrame
        case .opus: opusSilence
        default: nil
        }
    }

    /// Splits a received frame that ends with `trailer` into its payload; nil when it does not end
    /// with it (or `trailer` is empty).
    public static func payload(of frame: ArraySlice<UInt8>, trailer: [UInt8]) -> ArraySlice<UInt8>? {
        guard !trailer.isEmpty, frame.count >= trailer.count, frame.suffix(trailer.count).elementsEqual(trailer)
        else { return nil }
        return frame.dropLast(trailer.count)
    }

    /// For a frame that starts with a known blank payload and has more bytes after it, the length of
    /// those bytes (the room's trailer, unknown to the caller); nil for any other frame.
    ///
    /// This lets forensic tools count server-injected frames without being told the trailer.
    public static func unknownTrailerLength(of frame: ArraySlice<UInt8>) -> Int? {
        for blank in blankForms where frame.count > blank.count && frame.starts(with: blank) {
            return frame.count - blank.count
        }
        if let red = frame.first, red & 0x80 == 0, frame.count > 1 + opusSilence.count,
            frame.dropFirst().starts(with: opusSilence)
        {
            return frame.count - 1 - opusSilence.count
        }
        return nil
    }

    private static let startCode: [UInt8] = [0, 0, 0, 1]
    /// Blank payloads recognisable without the trailer. G.711 silence is left out: a longer silent
    /// G.711 frame starts with the same bytes.
    private static let blankForms = [vp8KeyFrame, opusSilence, h264BlankKeyFrame, h264BlankIDR]
    private static let h264BlankIDR = startCode + h264IDR
    private static let h264BlankKeyFrame = startCode + h264SPS + startCode + h264PPS + startCode + h264IDR
}
