import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Reads a file's first frames for what its outputs need and its container does not say:
///
/// - AV1 from GStreamer's `matroskamux`, whose bare-OBU CodecPrivate FFmpeg 5.1 does not pass on:
///   the sequence header of the first key frame (FFmpeg's MP4 and Matroska muxers build `av1C`
///   from the bare OBU). Sealed frames carry no readable sequence header; such outputs keep what
///   the input had.
/// - AAC in ADTS (MPEG-TS): the AudioSpecificConfig, sample rate and channels of the first ADTS
///   header, which MP4 and Matroska need, and the MPEG-TS muxer needs to write ADTS again.
/// - H.264/H.265 from containers without decoding timestamps (Matroska, Ogg): how far frames are
///   reordered, so the muxer derives decoding timestamps that lag the presentation ones by exactly
///   that many frames, as the encoder's did.
enum ConfigurationScan {
    /// How many packets of a stream are read.
    static let packetsSearched = 64

    /// What the scan found for one stream.
    struct Found {
        /// The configuration record (extradata).
        var record: [UInt8]? = nil
        /// AAC from ADTS: the sample rate and channel count, which an encrypted MPEG-TS input cannot
        /// be probed for.
        var audioFormat: (sampleRate: Int, channels: Int)? = nil
        /// The most frames that precede another in decoding order and follow it in presentation.
        var reorderDepth: Int? = nil
    }

    /// What was found for each stream that needs it, by stream index; `reordered` are the streams
    /// whose reorder depth is wanted. A pipe or device is read once only, so nothing is scanned from
    /// it: its outputs keep what the container says (and the most reordering FFmpeg allows).
    static func scan(
        _ streams: [MediaStream],
        input: String,
        reordered: Set<Int>
    ) throws(FrameCryptError) -> [Int: Found] {
        let needsRecord = Set(
            streams.filter { ($0.codecName == "av1" || $0.codecName == "aac") && $0.parameters.extradata.isEmpty }
                .map(\.index)
        )
        var wanted = needsRecord.union(reordered)
        guard !wanted.isEmpty, FileStatus(input) != nil else { return [:] }
        var found: [Int: Found] = [:]
        var timestamps: [Int: [Int64]] = [:]
        var searched: [Int: Int] = [:]
        var reader = try PacketReader(input, unwrapsFraming: false)
        var payload: [UInt8] = []
        try reader.forEach { packet throws(FrameCryptError) in
            let index = packet.streamIndex
            guard wanted.contains(index) else { return true }
            var entry = found[index] ?? Found()
            if needsRecord.contains(index) && entry.record == nil {
                packet.copyPayload(into: &payload)
                if let header = streams[index].codecName == "aac" ? ADTSHeader(payload[...]) : nil {
                    entry.record = header.audioSpecificConfig
                    entry.audioFormat = (header.sampleRate, header.channels)
                } else {
                    entry.record = AV1SequenceHeader.find(in: payload[...]).map(Array.init)
                }
            }
            if reordered.contains(index), let pts = packet.pts {
                timestamps[index, default: []].append(pts)
            }
            found[index] = entry
            searched[index, default: 0] += 1
            let recordDone = entry.record != nil || !needsRecord.contains(index)
            if searched[index, default: 0] >= packetsSearched || (recordDone && !reordered.contains(index)) {
                wanted.remove(index)
            }
            return !wanted.isEmpty
        }
        for (index, values) in timestamps {
            found[index, default: Found()].reorderDepth = reorderDepth(values)
        }
        return found
    }

    /// The most frames that come before a frame in `presentation` order (decoding order given) but
    /// are presented after it.
    static func reorderDepth(_ presentation: [Int64]) -> Int {
        var depth = 0
        for (position, pts) in presentation.enumerated() {
            depth = max(depth, presentation[..<position].count { $0 > pts })
        }
        return depth
    }
}
