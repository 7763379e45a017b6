internal import CFFmpeg
public import FrameCryptFormat

extension StreamType {
    /// The type of FFmpeg's media type.
    init(_ type: AVMediaType) {
        switch type {
        case AVMEDIA_TYPE_VIDEO: self = .video
        case AVMEDIA_TYPE_AUDIO: self = .audio
        case AVMEDIA_TYPE_SUBTITLE: self = .subtitle
        case AVMEDIA_TYPE_DATA: self = .data
        case AVMEDIA_TYPE_ATTACHMENT: self = .attachment
        default: self = .unknown
        }
    }
}

/// One metadata entry (a tag) of a file or stream; entries keep the container's order.
public struct MetadataEntry: Sendable, Hashable {
    /// The tag's name, as the container spells it.
    public let key: String
    /// The tag's value.
    public let value: String

    /// A tag `key` = `value`.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A stream's disposition flags (default, forced, attached picture…), carried over unchanged.
public struct StreamDisposition: Sendable, Hashable {
    let rawValue: Int32

    /// The stream is a cover picture rather than a video (`AV_DISPOSITION_ATTACHED_PIC`).
    public var isAttachedPicture: Bool {
        rawValue & AV_DISPOSITION_ATTACHED_PIC != 0
    }
}

/// A demuxed stream: a pointer-free snapshot of what the container says about it, plus an owned copy
/// of its codec parameters.
public struct MediaStream {
    /// The stream's index in its file.
    public let index: Int
    /// What the stream carries.
    public let type: StreamType
    /// FFmpeg's codec name (`h264`, `vp9`, `opus`…).
    public let codecName: String
    /// False when the container names no codec FFmpeg knows (codec name `none`): an unknown or
    /// damaged codec id.
    public let namesCodec: Bool
    /// The time base of the stream's packet timestamps.
    public let timeBase: Rational
    /// Average and base frame rates the container declares (0/0 when unknown); Matroska writes the
    /// frame duration from them.
    public let averageFrameRate: Rational
    /// The base frame rate the container declares (0/0 when unknown).
    public let baseFrameRate: Rational
    /// The pixel aspect ratio the container declares (0/1 when unknown).
    public let sampleAspectRatio: Rational
    /// The stream's tags, in the container's order. A caller may rewrite them, as framecrypt does to
    /// put back labels that a container keeps at file level.
    public var metadata: [MetadataEntry]
    /// The stream's disposition flags (default, attached picture…).
    public let disposition: StreamDisposition
    /// The stream's side data (a rotation's display matrix…), copied to outputs as it is.
    public let sideData: [StreamSideData]
    /// The codec parameters, taken from the container (never from decoding).
    public let parameters: CodecParameters

    init(_ stream: UnsafeMutablePointer<AVStream>) throws(FFmpegError) {
        guard let codecpar = stream.pointee.codecpar else { throw outOfMemory("AVStream.codecpar") }
        index = Int(stream.pointee.index)
        type = StreamType(codecpar.pointee.codec_type)
        codecName = String(cString: avcodec_get_name(codecpar.pointee.codec_id))
        namesCodec = codecpar.pointee.codec_id != AV_CODEC_ID_NONE
        timeBase = Rational(stream.pointee.time_base)
        averageFrameRate = Rational(stream.pointee.avg_frame_rate)
        baseFrameRate = Rational(stream.pointee.r_frame_rate)
        sampleAspectRatio = Rational(stream.pointee.sample_aspect_ratio)
        metadata = MetadataDictionary.entries(stream.pointee.metadata)
        disposition = StreamDisposition(rawValue: stream.pointee.disposition)
        sideData = StreamSideData.all(of: stream)
        parameters = try CodecParameters(copying: codecpar)
    }
}

/// Conversions between `AVDictionary` and ``MetadataEntry`` lists.
enum MetadataDictionary {
    /// The entries of `dictionary`, in order. The corresponding C function is `av_dict_get`.
    static func entries(_ dictionary: OpaquePointer?) -> [MetadataEntry] {
        var entries: [MetadataEntry] = []
        var entry: UnsafeMutablePointer<AVDictionaryEntry>? = nil
        while let next = av_dict_get(dictionary, "", entry, AV_DICT_IGNORE_SUFFIX) {
            entries.append(
                MetadataEntry(key: String(cString: next.pointee.key), value: String(cString: next.pointee.value))
            )
            entry = next
        }
        return entries
    }

    /// Adds `entries` to `dictionary`. The corresponding C function is `av_dict_set`.
    static func set(_ entries: [MetadataEntry], in dictionary: inout OpaquePointer?) throws(FFmpegError) {
        for entry in entries {
            try ff({ av_dict_set(&dictionary, entry.key, entry.value, 0) }, "av_dict_set")
        }
    }
}
