/// How many leading bytes of a frame a FrameCryptor sender leaves unencrypted (they become the AAD).
///
/// framecrypt's profile (`framecrypt-profile.md` §1): audio 1 byte; VP8 10 bytes on key frames and 3
/// on delta frames; VP9 and other video 0; H.264/H.265 everything before the first slice NAL unit
/// plus 2 bytes, with no 8-bit wrap; AV1 0 (the whole frame is sealed, as the native sender does).
public enum ClearPrefix {
    /// Clear bytes at the start of a VP8 key frame: frame tag, start code and dimensions.
    public static let vp8KeyFrame = 10
    /// Clear bytes at the start of a VP8 delta frame: the frame tag.
    public static let vp8DeltaFrame = 3

    /// The clear prefix length of `frame` under `codec`'s rule, never more than the frame's length.
    ///
    /// The same computation serves sender and receiver: every byte it reads stays clear.
    public static func length(of frame: ArraySlice<UInt8>, codec: FrameCodec) -> Int {
        min(ruleLength(of: frame, codec: codec), frame.count)
    }

    /// The clear prefix LiveKit's native sender uses: the rule's length in an 8-bit counter, so an
    /// H.264/H.265 prefix of 256 bytes or more wraps (635 → 123) and the slice header is sealed.
    /// Receivers cannot derive the wrapped count from the frame; framecrypt's sender reproduces it
    /// only when asked to (`--sender native`).
    public static func nativeSenderLength(of frame: ArraySlice<UInt8>, codec: FrameCodec) -> Int {
        ruleLength(of: frame, codec: codec) & 0xFF
    }

    /// The clear prefix length `codec`'s rule asks of `frame`, which may exceed a short frame's length.
    ///
    /// A sender must not encrypt a non-empty frame shorter than this: the receiver reads the rule
    /// from the longer sealed frame, takes sealed bytes for clear ones, and can never open it.
    /// (libwebrtc's sender copies the clear bytes without a bounds check and would read past the end.)
    public static func ruleLength(of frame: ArraySlice<UInt8>, codec: FrameCodec) -> Int {
        switch codec {
        case .opus, .aac, .otherAudio: 1
        case .vp8: isVP8KeyFrame(frame) ? vp8KeyFrame : vp8DeltaFrame
        case .h264, .h265: NALUnitScanner.firstSliceHeaderOffset(in: frame, codec: codec).map { $0 + 2 } ?? 0
        case .vp9, .av1, .otherVideo: 0
        }
    }

    /// True when the VP8 frame tag marks a key frame (bit 0 of the first byte is 0, RFC 6386 §9.1).
    ///
    /// The bitstream decides, not a container flag, because this is what a receiver can see.
    public static func isVP8KeyFrame(_ frame: ArraySlice<UInt8>) -> Bool {
        guard let first = frame.first else { return false }
        return first & 0x01 == 0
    }
}
