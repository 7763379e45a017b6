import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Takes off the framing a container puts in front of frames, so that every reader sees the frame
/// a WebRTC sender encrypted:
///
/// - ADTS headers on AAC (MPEG-TS); the MPEG-TS muxer writes them again from the stream's
///   AudioSpecificConfig.
/// - The Opus control header of MPEG-TS, which FFmpeg's demuxer leaves for its parser; when
///   parsers read the packets they have already taken it off.
struct ContainerFraming {
    private let strips: [Strip]

    private enum Strip {
        case none
        case adts
        case opusControl
    }

    /// - Parameter parsed: FFmpeg's parsers read the packets (clear input).
    init(streams: [MediaStream], demuxerName: String, parsed: Bool) {
        let transportStream = ContainerFamily(demuxerName: demuxerName) == .mpegts
        strips = streams.map { stream in
            switch stream.codecName {
            case "aac": .adts
            case "opus" where transportStream && !parsed: .opusControl
            default: .none
            }
        }
    }

    /// Removes the framing from the front of `packet`, if it has any. The first byte decides
    /// whether to look further, so frames without framing (AAC from MP4) cost no copy.
    func unwrap(_ packet: inout Packet) {
        guard strips.indices.contains(packet.streamIndex) else { return }
        switch strips[packet.streamIndex] {
        case .none:
            return
        case .adts:
            if packet.byte(at: 0) == 0xFF, let header = ADTSHeader(packet.prefix(9)[...]) {
                packet.dropFirst(header.length)
            }
        case .opusControl:
            if packet.byte(at: 0) == 0x7F, let length = OpusTSControlHeader.length(of: packet.prefix(64)[...]) {
                packet.dropFirst(length)
            }
        }
    }
}
