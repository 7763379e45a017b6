import FrameCryptFormat

/// How the JS SDK's receiver reads an H.264/H.265 frame's clear prefix (client-sdk-js
/// `worker/naluUtils.ts`, `FrameCryptor.getUnencryptedBytes`): the codec rule when the frame begins
/// with a start code and holds a slice; otherwise its parser throws and it falls back to VP8's clear
/// bytes by the frame's type (10 on key frames, 3 otherwise), without emulation prevention. A frame
/// a sender sealed without knowing the codec (Safari's) opens that way; one sealed under the rule
/// with no slice (native's 0 clear bytes) does not.
enum JSClearPrefix {
    /// The clear bytes JS reads, and the codec whose framing (escaping or not) it applies.
    static func reading(of frame: ArraySlice<UInt8>, codec: FrameCodec, keyFrame: Bool) -> (
        clearBytes: Int, as: FrameCodec
    ) {
        if startsWithStartCode(frame), let slice = NALUnitScanner.firstSliceHeaderOffset(in: frame, codec: codec) {
            return (slice + 2, codec)
        }
        return (keyFrame ? ClearPrefix.vp8KeyFrame : ClearPrefix.vp8DeltaFrame, .vp8)
    }

    /// True when only zero bytes come before the frame's first `00 00 01` (JS throws "byte stream
    /// contains leading data" otherwise).
    private static func startsWithStartCode(_ frame: ArraySlice<UInt8>) -> Bool {
        var zeros = 0
        for byte in frame {
            if byte == 0 {
                zeros += 1
            } else {
                return byte == 1 && zeros >= 2
            }
        }
        return false
    }
}
