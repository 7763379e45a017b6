/// Finds the sequence header OBU in a clear AV1 frame (AV1 spec §5.3), for streams whose container
/// holds no configuration record.
///
/// GStreamer's `matroskamux` writes AV1 CodecPrivate as bare OBUs without the `av1C` header, which
/// FFmpeg 5.1's Matroska demuxer does not pass on; MP4 and Matroska muxers need the sequence header
/// to write theirs, and a key frame carries it.
public enum AV1SequenceHeader {
    /// OBU type of a sequence header.
    static let sequenceHeaderType: UInt8 = 1

    /// The first sequence header OBU in `frame` (header, size field and payload), or nil when there
    /// is none, it is empty, or the OBUs do not parse (a sealed frame, for one).
    public static func find(in frame: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        var index = frame.startIndex
        while index < frame.endIndex {
            let header = frame[index]
            guard header & 0x80 == 0 else { return nil }
            let type = (header >> 3) & 0x0F
            var payload = index + 1 + (header & 0x04 != 0 ? 1 : 0)
            guard payload <= frame.endIndex else { return nil }
            let end: Int
            if header & 0x02 != 0 {
                guard let (size, length) = LEB128.read(frame[payload...]),
                    size <= UInt64(frame.endIndex - payload - length)
                else { return nil }
                payload += length
                end = payload + Int(size)
            } else {
                end = frame.endIndex
            }
            if type == sequenceHeaderType {
                return end > payload ? frame[index..<end] : nil
            }
            index = end
        }
        return nil
    }
}
