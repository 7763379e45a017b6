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

    /// Formats that share a demuxer: MP4 and MOV, Matroska and WebM.
    var family: String {
        switch self {
        case .mp4, .mov: "mp4"
        case .mkv, .webm: "matroska"
        case .ogg: "ogg"
        }
    }

    /// The family of an FFmpeg demuxer name, nil for demuxers of other containers.
    static func family(ofDemuxer name: String) -> String? {
        if name.hasPrefix("mov,mp4") {
            return "mp4"
        }
        switch name {
        case "matroska,webm": return "matroska"
        case "ogg": return "ogg"
        default: return nil
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
        switch family(ofDemuxer: demuxerName) {
        case "mp4": return inputExtension == .mov ? .mov : .mp4
        case "matroska": return inputExtension == .webm ? .webm : .mkv
        case "ogg": return .ogg
        default: return nil
        }
    }
}
