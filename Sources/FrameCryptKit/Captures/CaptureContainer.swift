import FrameCryptCapture
import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Writes a capture's frames into Matroska exactly as a receiver's FrameCryptor got them, so that
/// reading them back gives the same bytes: H.264 and H.265 with the stream's first parameter sets
/// (in clear in an encrypted key frame) as Annex B extradata, from which the muxer writes the
/// configuration record and stores each frame length-prefixed (readers restore the 4-byte start
/// codes the depacketizer wrote), timestamps from RTP in each stream's clock, streams aligned by arrival time. The media
/// jobs then read it like any file; `decrypt --keep-encrypted` hands it to the user.
enum CaptureContainer {
    /// The codec name FFmpeg knows each capture codec by.
    private static func ffmpegName(_ codec: FrameCodec) -> String {
        codec == .h265 ? "hevc" : codec.name
    }

    /// Writes `reading`'s streams to `path` in `formatName` (`matroska` or `webm`).
    static func write(_ reading: CaptureReading, to path: String, formatName: String = "nut")
        throws(FFmpegError)
    {
        var muxer = try Muxer(path: path, formatName: formatName, bitExact: true, shiftsNegativeTimestamps: true)
        let origin = reading.streams.map(\.firstArrival).min() ?? 0
        var timeBases: [Rational] = []
        var reordered: [Bool] = []
        for stream in reading.streams {
            let parameters = try CodecParameters(
                codecName: ffmpegName(stream.codec),
                width: stream.size?.width ?? placeholderSize,
                height: stream.size?.height ?? placeholderSize,
                sampleRate: stream.codec.kind == .audio ? stream.clockRate : 0,
                channels: stream.codec == .opus ? 2 : 1
            )
            if stream.codec == .opus {
                try parameters.setExtradata(opusHead)
            } else if let sets = stream.parameterSets {
                try parameters.setExtradata(sets)
            }
            let timeBase = Rational(numerator: 1, denominator: Int32(stream.clockRate))
            timeBases.append(timeBase)
            var spec = OutputStreamSpec(parameters: parameters, timeBase: timeBase)
            let depth = reorderDepth(stream.frames.map(\.rtpTimestamp))
            if depth > 0 {
                spec.reorderDelay = depth
            }
            reordered.append(depth > 0)
            try muxer.addStream(spec)
        }
        try muxer.writeHeader()
        // Each stream's clock starts where its first packet arrived, relative to the first stream's.
        // Frames keep their stream's sending order (decoding order); streams interleave by arrival.
        var queue: [(arrival: Double, stream: Int, frame: Int)] = []
        var offsets: [Int64] = []
        for (index, stream) in reading.streams.enumerated() {
            let first = stream.frames.first?.rtpTimestamp ?? 0
            let offset = Int64(((stream.firstArrival - origin) * Double(stream.clockRate)).rounded()) - first
            offsets.append(offset)
            var latest = -Double.infinity
            for (number, frame) in stream.frames.enumerated() {
                latest = max(latest, frame.arrival)
                queue.append((latest, index, number))
            }
        }
        queue.sort { ($0.arrival, $0.stream, $0.frame) < ($1.arrival, $1.stream, $1.frame) }
        var packet = try Packet()
        for entry in queue {
            let frame = reading.streams[entry.stream].frames[entry.frame]
            try packet.setPayload(frame.data)
            packet.pts = frame.rtpTimestamp + offsets[entry.stream]
            // Frames out of presentation order (B-frames, which WebRTC senders never send) get
            // decoding timestamps derived by the muxer from the reorder depth.
            packet.dts = reordered[entry.stream] ? nil : packet.pts
            packet.isKeyFrame = frame.keyFrame
            packet.duration = duration(of: entry.frame, in: reading.streams[entry.stream].frames)
            try muxer.write(&packet, toStream: entry.stream, from: timeBases[entry.stream])
        }
        try muxer.finish()
    }

    /// A frame's duration in its clock: the step to the next frame's timestamp, or for the last
    /// frame the step before it (an MP4 muxer otherwise cuts the last frame off with its edit list).
    private static func duration(of index: Int, in frames: [CapturedFrame]) -> Int64 {
        let steps = [index + 1, index].compactMap { next -> Int64? in
            guard next > 0, next < frames.count else { return nil }
            let step = frames[next].rtpTimestamp - frames[next - 1].rtpTimestamp
            return step > 0 ? step : nil
        }
        return steps.first ?? 0
    }

    /// How many frames at most are sent before one that precedes them in presentation order.
    private static func reorderDepth(_ timestamps: [Int64]) -> Int {
        var depth = 0
        var recent: [Int64] = []
        for timestamp in timestamps {
            depth = max(depth, recent.filter { $0 > timestamp }.count)
            recent.append(timestamp)
            if recent.count > MediaJob.maximumReorderDelay {
                recent.removeFirst()
            }
        }
        return min(depth, MediaJob.maximumReorderDelay)
    }

    /// The picture size stated for video whose packets never told it (an AV1 sequence header is
    /// encrypted; a VP9 sender may omit its scalability structure). Matroska requires one; the
    /// capture report says the size is unknown (``CaptureStreamReport/sizeKnown``).
    static let placeholderSize = 16

    /// The Opus identification header (RFC 7845 §5.1) of WebRTC's Opus: 2 channels at 48 kHz, no
    /// pre-skip (a receiver plays every sample), mapping family 0.
    private static let opusHead: [UInt8] = Array("OpusHead".utf8) + [1, 2, 0, 0, 0x80, 0xBB, 0, 0, 0, 0, 0]
}
