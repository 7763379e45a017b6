import Foundation
import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// The container families framecrypt writes.
package enum OutputFormat: String, Sendable, CaseIterable, Codable {
    case mp4
    case mov
    case mkv
    case webm
    case ogg
    /// MPEG-TS, as HLS segment egress and H.264 track egress write it. Keeps no stream tags, so no
    /// label: decrypting takes the scheme and participant from the keys and options.
    case ts
    /// IVF, as VP8/VP9/AV1 track egress writes it. Keeps no tags at all.
    case ivf

    /// FFmpeg's muxer name.
    var muxerName: String {
        switch self {
        case .mp4: "mp4"
        case .mov: "mov"
        case .mkv: "matroska"
        case .webm: "webm"
        case .ogg: "ogg"
        case .ts: "mpegts"
        case .ivf: "ivf"
        }
    }

    /// MP4 keeps no free-form stream tags, so labels travel in the handler name there.
    var labelsInHandlerName: Bool {
        self == .mp4
    }

    /// MOV keeps no free-form stream tags either, and FFmpeg reads a MOV handler name of 128 bytes
    /// or more back with its length byte in front; labels travel in file tags there, one a stream.
    var labelsInFileTags: Bool {
        self == .mov
    }

    /// Formats in the order they are suggested when another cannot hold a file's streams.
    static let suggestionOrder: [OutputFormat] = [.mkv, .mp4, .webm, .mov, .ogg, .ts, .ivf]

    /// Why this format cannot carry `streams` as framecrypt writes them, beyond what FFmpeg's muxer
    /// checks; nil when it can.
    ///
    /// - MPEG-TS carries H.264/H.265 as Annex B with parameter sets in key frames; frames from MP4
    ///   or Matroska are length-prefixed with parameter sets in the configuration record, and
    ///   converting them would change the bytes a sender encrypts. Only H.264, H.265, AAC and Opus
    ///   have an MPEG-TS mapping FFmpeg reads back.
    func refusal(for streams: [MediaStream]) -> String? {
        switch self {
        case .ts:
            for stream in streams {
                guard let kind = MediaEncryption.mediaKind(of: stream) else { continue }
                guard ["h264", "hevc", "aac", "opus"].contains(stream.codecName) else {
                    return "MPEG-TS has no mapping for \(stream.codecName) (stream \(stream.index))"
                }
                let codec = FrameCodec(kind: kind, name: stream.codecName)
                if codec.isH26x, stream.parameters.nalLengthSize(codec: codec) != nil {
                    return
                        "stream \(stream.index) (\(stream.codecName)) is length-prefixed with its parameter sets in the container, while MPEG-TS needs Annex B with parameter sets in the frames; converting would change the bytes a sender encrypts"
                }
            }
            return nil
        default:
            return nil
        }
    }

    /// The muxer's private options for output streams with these time bases.
    ///
    /// MP4 and MOV get a movie timescale that every stream's time base divides: FFmpeg's default of
    /// 1000 rounds the start of an edit list down to a whole millisecond, which moves a stream that
    /// starts between two (GStreamer's fragmented MP4 starts video with composition offsets at
    /// 200/3000 s, read back as 0.066 s). MOV also stores file tags as `mdta` keys, which hold the
    /// stream labels there (see ``StreamTags``).
    func muxerOptions(timeBases: [Rational]) -> [String: String] {
        if self == .ts {
            // One audio frame per PES packet, so that a reader without parsers (as encrypted input
            // is read) gets each frame as one packet.
            return ["pes_payload_size": "0"]
        }
        guard family == .mp4 else { return [:] }
        var options: [String: String] = [:]
        var timescale: Int64 = 1
        for timeBase in timeBases where timeBase.denominator > 0 {
            let denominator = Int64(timeBase.denominator)
            timescale = timescale / Self.greatestCommonDivisor(timescale, denominator) * denominator
            if timescale > Int64(Int32.max) {
                timescale = 0
                break
            }
        }
        if timescale > 1 {
            options["movie_timescale"] = String(timescale)
        }
        if self == .mov {
            options["movflags"] = "+use_metadata_tags"
        }
        return options
    }

    private static func greatestCommonDivisor(_ a: Int64, _ b: Int64) -> Int64 {
        b == 0 ? a : greatestCommonDivisor(b, a % b)
    }

    /// The family this format belongs to.
    var family: ContainerFamily {
        switch self {
        case .mp4, .mov: .mp4
        case .mkv, .webm: .matroska
        case .ogg: .ogg
        case .ts: .mpegts
        case .ivf: .ivf
        }
    }

    /// The format a file name's extension asks for, if it names one.
    static func named(byExtensionOf path: String) -> OutputFormat? {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "mp4", "m4a", "m4v": .mp4
        case "mov": .mov
        case "mkv", "mka": .mkv
        case "webm": .webm
        case "ogg", "opus", "oga": .ogg
        case "ts", "m2ts", "mts": .ts
        case "ivf": .ivf
        default: nil
        }
    }

    /// The output format when none is given: the one the output name's extension asks for, else the
    /// input's family (MP4/MOV → MP4 or MOV, Matroska → MKV or WebM by the input's extension, Ogg → Ogg).
    static func inferred(output: String, input: String, demuxerName: String) -> OutputFormat? {
        if let named = named(byExtensionOf: output) {
            return named
        }
        let inputExtension = named(byExtensionOf: input)
        switch ContainerFamily(demuxerName: demuxerName) {
        case .mp4: return inputExtension == .mov ? .mov : .mp4
        case .matroska: return inputExtension == .webm ? .webm : .mkv
        case .ogg: return .ogg
        case .mpegts: return .ts
        case .ivf: return .ivf
        case nil: return nil
        }
    }
}

/// Containers that share one FFmpeg demuxer: MP4 and MOV, Matroska and WebM, Ogg, MPEG-TS, IVF.
enum ContainerFamily {
    case mp4
    case matroska
    case ogg
    case mpegts
    case ivf

    /// The family of an FFmpeg demuxer name, nil for demuxers of other containers.
    init?(demuxerName name: String) {
        switch name {
        case _ where name.hasPrefix("mov,mp4"): self = .mp4
        case "matroska,webm": self = .matroska
        case "ogg": self = .ogg
        case "mpegts": self = .mpegts
        case "ivf": self = .ivf
        default: return nil
        }
    }

    /// Matroska, Ogg and IVF store presentation timestamps only; MP4 and MPEG-TS store decoding
    /// timestamps too.
    var storesDecodingTimestamps: Bool {
        self == .mp4 || self == .mpegts
    }
}
