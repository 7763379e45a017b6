internal import CFFmpeg

/// The FFmpeg libraries framecrypt runs against, as loaded at run time.
public enum MediaLibraries {
    /// `name major.minor.micro` for libavformat, libavcodec and libavutil, in that order.
    ///
    /// The corresponding C functions are `avformat_version`, `avcodec_version` and `avutil_version`.
    public static var versions: [String] {
        [
            "libavformat \(dotted(avformat_version()))",
            "libavcodec \(dotted(avcodec_version()))",
            "libavutil \(dotted(avutil_version()))",
        ]
    }

    /// FFmpeg packs versions as `major << 16 | minor << 8 | micro` (`AV_VERSION_INT`).
    private static func dotted(_ version: UInt32) -> String {
        "\(version >> 16).\((version >> 8) & 0xFF).\(version & 0xFF)"
    }
}
