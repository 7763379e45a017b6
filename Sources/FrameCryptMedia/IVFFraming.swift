internal import CFFmpeg

/// IVF's file and frame headers (the format libvpx and libaom write), for writing IVF without
/// FFmpeg's muxer: FFmpeg 5.1's IVF muxer always runs `vp9_superframe` on VP9 and `av1_metadata` on
/// AV1, which merge or rewrite frames, and encrypted frames must be stored exactly as they are.
enum IVFFraming {
    /// The 32-byte file header for `codecpar` at `timeBase`, with room for the frame count at byte 24.
    ///
    /// - Throws: ``FFmpegError`` (`EINVAL`) for a codec IVF has no FourCC for.
    static func fileHeader(_ codecpar: UnsafePointer<AVCodecParameters>, timeBase: AVRational, frames: UInt32)
        throws(FFmpegError) -> [UInt8]
    {
        let fourCC: String
        switch codecpar.pointee.codec_id {
        case AV_CODEC_ID_VP8: fourCC = "VP80"
        case AV_CODEC_ID_VP9: fourCC = "VP90"
        case AV_CODEC_ID_AV1: fourCC = "AV01"
        default:
            throw FFmpegError(
                code: CFFmpeg_AVERROR(EINVAL),
                operation: "ivf header",
                detail: "IVF holds VP8, VP9 or AV1 only"
            )
        }
        var header = Array("DKIF".utf8)
        header += littleEndian(0, bytes: 2) + littleEndian(32, bytes: 2) + Array(fourCC.utf8)
        header += littleEndian(Int(codecpar.pointee.width), bytes: 2)
        header += littleEndian(Int(codecpar.pointee.height), bytes: 2)
        header += littleEndian(Int(timeBase.den), bytes: 4) + littleEndian(Int(timeBase.num), bytes: 4)
        header += littleEndian(Int(frames), bytes: 4) + littleEndian(0, bytes: 4)
        return header
    }

    /// Offset of the frame count in the file header.
    static let frameCountOffset: Int64 = 24

    /// The 12-byte header in front of each frame: its size and presentation timestamp.
    static func frameHeader(size: Int, pts: Int64) -> [UInt8] {
        littleEndian(size, bytes: 4) + littleEndian(Int(truncatingIfNeeded: pts), bytes: 8)
    }

    static func littleEndian(_ value: Int, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
