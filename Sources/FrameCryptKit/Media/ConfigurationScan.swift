import FrameCryptFormat
import FrameCryptMedia

/// Supplies the configuration record of streams whose container holds none, from their first
/// frames, so that outputs get a valid one:
///
/// - AV1 from GStreamer's `matroskamux`, whose bare-OBU CodecPrivate FFmpeg 5.1 does not pass on:
///   the sequence header of the first key frame (FFmpeg's MP4 and Matroska muxers build `av1C`
///   from the bare OBU). Sealed frames carry no readable sequence header; such outputs keep what
///   the input had.
/// - AAC in ADTS (MPEG-TS): the AudioSpecificConfig the first ADTS header describes, which MP4 and
///   Matroska need, and which the MPEG-TS muxer needs to write ADTS headers again.
enum ConfigurationScan {
    /// How many packets of a stream are searched.
    static let packetsSearched = 64

    /// What the scan found for one stream.
    struct Found {
        /// The configuration record (extradata).
        let record: [UInt8]
        /// AAC from ADTS: the sample rate and channel count, which an encrypted MPEG-TS input cannot
        /// be probed for.
        var audioFormat: (sampleRate: Int, channels: Int)? = nil
    }

    /// The configuration found for each stream of `streams` that has no record, by stream index.
    static func records(of streams: [MediaStream], input: String) throws(FrameCryptError) -> [Int: Found] {
        var wanted = Set(
            streams.filter { ($0.codecName == "av1" || $0.codecName == "aac") && $0.parameters.extradata.isEmpty }
                .map(\.index)
        )
        guard !wanted.isEmpty else { return [:] }
        var found: [Int: Found] = [:]
        var searched: [Int: Int] = [:]
        var reader = try PacketReader(input, unwrapsFraming: false)
        var payload: [UInt8] = []
        try reader.forEach { packet throws(FrameCryptError) in
            let index = packet.streamIndex
            guard wanted.contains(index) else { return true }
            packet.copyPayload(into: &payload)
            searched[index, default: 0] += 1
            if streams[index].codecName == "aac" {
                found[index] = ADTSHeader(payload[...]).map {
                    Found(record: $0.audioSpecificConfig, audioFormat: ($0.sampleRate, $0.channels))
                }
            } else {
                found[index] = AV1SequenceHeader.find(in: payload[...]).map { Found(record: Array($0)) }
            }
            if found[index] != nil || searched[index, default: 0] >= packetsSearched {
                wanted.remove(index)
            }
            return !wanted.isEmpty
        }
        return found
    }
}
