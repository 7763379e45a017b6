import Foundation

/// The container families framecrypt writes.
public enum OutputFormat: String, Sendable, CaseIterable, Codable {
    case mp4
    case mov
    case mkv
    case webm
    case ogg

    /// FFmpeg's muxer name.
    var muxerName: String {
        switch self {
        case .mp4: "mp4"
        case .mov: "mov"
        case .mkv: "matroska"
        case .webm: "webm"
        case .ogg: "ogg"
        }
    }

    /// MP4 and MOV keep no free-form stream tags, so labels travel in the handler name there.
    var labelsInHandlerName: Bool {
        self == .mp4 || self == .mov
    }

    /// The family this format belongs to.
    var family: ContainerFamily {
        switch self {
        case .mp4, .mov: .mp4
        case .mkv, .webm: .matroska
        case .ogg: .ogg
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
        case nil: return nil
        }
    }
}

/// Containers that share one FFmpeg demuxer: MP4 and MOV, Matroska and WebM, Ogg.
enum ContainerFamily {
    case mp4
    case matroska
    case ogg

    /// The family of an FFmpeg demuxer name, nil for demuxers of other containers.
    init?(demuxerName name: String) {
        switch name {
        case _ where name.hasPrefix("mov,mp4"): self = .mp4
        case "matroska,webm": self = .matroska
        case "ogg": self = .ogg
        default: return nil
        }
    }

    /// Matroska and Ogg store presentation timestamps only; MP4 stores decoding timestamps too.
    var storesDecodingTimestamps: Bool {
        self == .mp4
    }
}
