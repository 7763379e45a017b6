/// Whether a stream carries sound or pictures; the clear-byte rules differ between the two.
public enum MediaKind: String, Sendable, Hashable, CaseIterable {
    case audio
    case video
}

/// The codec of a stream, as far as the FrameCryptor format cares.
///
/// Codecs the format has no special rule for keep their name, so reports can still show it.
public enum FrameCodec: Sendable, Hashable {
    case opus
    case aac
    case vp8
    case vp9
    case av1
    case h264
    case h265
    /// An audio codec with no rule of its own: it gets the audio rule (1 clear byte).
    case otherAudio(String)
    /// A video codec with no rule of its own: it gets no clear bytes.
    case otherVideo(String)

    /// Maps a codec name (FFmpeg's or the vector files' spelling) of a stream of the given kind.
    public init(kind: MediaKind, name: String) {
        switch (kind, name.lowercased()) {
        case (.audio, "opus"): self = .opus
        case (.audio, "aac"): self = .aac
        case (.video, "vp8"): self = .vp8
        case (.video, "vp9"): self = .vp9
        case (.video, "av1"): self = .av1
        case (.video, "h264"), (.video, "avc"): self = .h264
        case (.video, "h265"), (.video, "hevc"): self = .h265
        case (.audio, let other): self = .otherAudio(other)
        case (.video, let other): self = .otherVideo(other)
        }
    }

    /// The codec's name in lower case, as reports print it.
    public var name: String {
        switch self {
        case .opus: "opus"
        case .aac: "aac"
        case .vp8: "vp8"
        case .vp9: "vp9"
        case .av1: "av1"
        case .h264: "h264"
        case .h265: "h265"
        case .otherAudio(let name), .otherVideo(let name): name
        }
    }

    /// Whether the codec carries sound or pictures.
    public var kind: MediaKind {
        switch self {
        case .opus, .aac, .otherAudio: .audio
        case .vp8, .vp9, .av1, .h264, .h265, .otherVideo: .video
        }
    }

    /// True for H.264 and H.265, whose encrypted tail is protected by emulation prevention.
    public var isH26x: Bool {
        self == .h264 || self == .h265
    }
}
