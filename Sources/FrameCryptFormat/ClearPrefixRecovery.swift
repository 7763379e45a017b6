/// Clear prefixes a real H.264/H.265 sender may have used where the codec rule, read from the
/// received frame, gives another one (`docs/INTEROP.md`), or that a tool changed after encryption
/// (`docs/FORMAT.md`). A receiver tries them only after the rule has failed, with the key that
/// already opens the stream's frames.
public enum ClearPrefixRecovery: String, Sendable, CaseIterable, Codable {
    /// LiveKit's native sender counted the prefix in 8 bits (a prefix of 256 bytes or more, e.g.
    /// behind x264's settings SEI): it sealed from byte `rule mod 256`.
    case nativePrefixWrap
    /// The sender's frame had a 3-byte start code inside the clear prefix; after RTP the receiver
    /// sees 4-byte start codes, so the authenticated bytes changed length.
    case threeByteStartCode
    /// A tool removed the access-unit delimiter that began the frame's clear prefix after it was
    /// encrypted (mkvmerge does, for H.264 and H.265 in Matroska): the authenticated bytes lost it.
    /// Unlike the other two this is not the sender's doing: the file was changed.
    case accessUnitDelimiterRemoved

    /// True when the recovery undoes a change made to the file after encryption, rather than
    /// following what a real sender did.
    public var undoesAlteration: Bool {
        self == .accessUnitDelimiterRemoved
    }

    /// The clear prefix `prefix` (Annex B) with each access-unit delimiter an encoder may have put
    /// in front of it: H.264 NAL type 9 with any `primary_pic_type` (0–7), H.265 NAL type 35 with
    /// any `pic_type` (0–2). Empty when the prefix already starts with one.
    public static func accessUnitDelimiterVariants(of prefix: ArraySlice<UInt8>, codec: FrameCodec) -> [[UInt8]] {
        guard codec.isH26x, prefix.starts(with: NALFraming.startCode) else { return [] }
        let header = prefix.dropFirst(NALFraming.startCode.count).first
        let delimiters: [[UInt8]]
        switch codec {
        case .h264:
            guard header.map({ $0 & 0x1F }) != 9 else { return [] }
            delimiters = (0..<8).map { [0x09, UInt8($0) << 5 | 0x10] }
        default:
            guard header.map({ ($0 >> 1) & 0x3F }) != 35 else { return [] }
            delimiters = (0..<3).map { [0x46, 0x01, UInt8($0) << 5 | 0x10] }
        }
        return delimiters.map { NALFraming.startCode + $0 + prefix }
    }

    /// Clear-prefix lengths to try for a frame sealed by a sender whose count wrapped: every
    /// length below 256 that leaves room for the tag, IV and trailer, longest first.
    public static func wrappedLengths(of frame: ArraySlice<UInt8>, codec: FrameCodec) -> [Int] {
        guard codec.isH26x, startsWithStartCode(frame) else { return [] }
        let longest = min(255, frame.count - FrameLayout.overhead)
        return longest >= 4 ? Array((4...longest).reversed()) : []
    }

    /// The clear prefix `prefix` as senders that wrote 3-byte start codes saw it: the last start
    /// code shortened, every start code shortened, and each single one shortened, without repeats.
    public static func threeByteVariants(of prefix: ArraySlice<UInt8>) -> [[UInt8]] {
        let starts = fourByteStartCodes(in: prefix)
        guard !starts.isEmpty else { return [] }
        var choices: [[Int]] = [[starts[starts.count - 1]], starts]
        choices += starts.dropLast().map { [$0] }
        var seen: Set<[Int]> = []
        return choices.filter { seen.insert($0).inserted }.map { removed in
            var variant: [UInt8] = []
            variant.reserveCapacity(prefix.count)
            var index = prefix.startIndex
            for start in removed {
                variant.append(contentsOf: prefix[index..<start])
                index = start + 1  // drop the first zero of `00 00 00 01`
            }
            variant.append(contentsOf: prefix[index...])
            return variant
        }
    }

    private static func startsWithStartCode(_ frame: ArraySlice<UInt8>) -> Bool {
        frame.starts(with: [0, 0, 1]) || frame.starts(with: NALFraming.startCode)
    }

    /// Offsets of every `00 00 00 01` in `bytes`.
    private static func fourByteStartCodes(in bytes: ArraySlice<UInt8>) -> [Int] {
        var offsets: [Int] = []
        var index = bytes.startIndex
        while index + 3 < bytes.endIndex {
            if bytes[index] == 0, bytes[index + 1] == 0, bytes[index + 2] == 0, bytes[index + 3] == 1 {
                offsets.append(index)
                index += 4
            } else {
                index += 1
            }
        }
        return offsets
    }
}
