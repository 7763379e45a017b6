import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Fills in what a demuxer leaves unknown about a stream's packets, so every frame is written with
/// its own time and the last one keeps its length.
///
/// - Laced Matroska blocks (mkvmerge laces audio several frames to a block) give only the block's
///   first frame a timestamp; each later frame gets the one before's time plus its duration.
/// - Fragmented MP4 from GStreamer (`mp4mux fragment-duration=…`) states no sample durations that
///   FFmpeg passes on without probing; MP4 muxers take a track's length from its last sample's
///   duration, so a last sample without one falls out of the edit list and players drop it.
///
/// A missing duration is the Opus TOC's (RFC 6716 §3.1) where it states one, else the spacing of
/// the stream's previous two decoding timestamps. Packets that carry their times are untouched.
struct TimestampRepair {
    private let isOpus: Bool
    /// Stream ticks per 48 kHz Opus sample, as a fraction `numerator / denominator`.
    private let ticksPerSample: (numerator: Int64, denominator: Int64)
    private var previous: (pts: Int64?, dts: Int64?, duration: Int64)?
    private var spacing: Int64 = 0

    init(_ stream: MediaStream) {
        isOpus = stream.type == .audio && FrameCodec(kind: .audio, name: stream.codecName) == .opus
        ticksPerSample = (Int64(stream.timeBase.denominator), 48_000 * Int64(max(stream.timeBase.numerator, 1)))
    }

    /// Fills in `packet`'s missing presentation and decoding timestamps and duration.
    mutating func repair(_ packet: inout Packet) {
        if packet.duration <= 0, let estimate = durationEstimate(packet) {
            packet.duration = estimate
        }
        if let previous, previous.duration > 0 {
            if packet.pts == nil, let pts = previous.pts {
                packet.pts = pts + previous.duration
            }
            if packet.dts == nil, let dts = previous.dts, previous.pts == dts {
                packet.dts = dts + previous.duration
            }
        }
        if let dts = packet.dts, let before = previous?.dts, dts > before {
            spacing = dts - before
        }
        previous = (packet.pts, packet.dts, packet.duration)
    }

    private func durationEstimate(_ packet: borrowing Packet) -> Int64? {
        if isOpus, let toc = packet.byte(at: 0), let samples = OpusTOC.samples(toc: toc) {
            let ticks = Int64(samples) * ticksPerSample.numerator
            if ticks % ticksPerSample.denominator == 0 {
                return ticks / ticksPerSample.denominator
            }
        }
        return spacing > 0 ? spacing : nil
    }
}
