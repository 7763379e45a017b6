/// What the clear bytes at the start of a frame say, and whether they still parse as the codec's
/// header, as a forwarding server would read them.
///
/// Checked: the VP8 frame tag (version ≤ 3; on key frames the start code `9D 01 2A`, RFC 6386 §9.1),
/// and H.264/H.265 NAL unit headers (a start code first, forbidden bit 0, H.265 temporal id above 0).
/// Opus and AAC keep one byte that any value makes valid; AV1 keeps none.
public struct ClearHeader: Sendable, Hashable {
    /// The VP8 start code that follows the frame tag of a key frame.
    public static let vp8StartCode: [UInt8] = [0x9D, 0x01, 0x2A]

    /// The clear bytes.
    public let length: Int
    /// Key frame or not, when the clear bytes tell (VP8 frame tag).
    public let keyFrame: Bool?
    /// NAL unit types in the clear bytes, in order (H.264/H.265).
    public let nalUnitTypes: [UInt8]
    /// The Opus TOC byte's configuration (0–31).
    public let opusConfiguration: UInt8?
    /// Why the clear bytes do not parse as the codec's header; nil when they do.
    public let problem: String?

    /// Reads the clear bytes `prefix` of a frame of `codec`.
    public init(_ prefix: ArraySlice<UInt8>, codec: FrameCodec) {
        length = prefix.count
        var keyFrame: Bool?
        var nalUnitTypes: [UInt8] = []
        var opusConfiguration: UInt8?
        var problem: String?
        switch codec {
        case .vp8:
            (keyFrame, problem) = Self.readVP8(prefix)
        case .h264, .h265:
            (nalUnitTypes, problem) = Self.readNALHeaders(prefix, codec: codec)
        case .opus:
            opusConfiguration = prefix.first.map { $0 >> 3 }
        case .vp9, .av1, .aac, .otherAudio, .otherVideo:
            break
        }
        self.keyFrame = keyFrame
        self.nalUnitTypes = nalUnitTypes
        self.opusConfiguration = opusConfiguration
        self.problem = problem
    }

    private static func readVP8(_ prefix: ArraySlice<UInt8>) -> (keyFrame: Bool?, problem: String?) {
        guard let tag = prefix.first else { return (nil, nil) }
        let keyFrame = ClearPrefix.isVP8KeyFrame(prefix)
        let version = (tag >> 1) & 0x07
        if version > 3 {
            return (keyFrame, "VP8 frame tag has version \(version), above 3")
        }
        if keyFrame && prefix.count >= 6 && !prefix.dropFirst(3).prefix(3).elementsEqual(vp8StartCode) {
            return (keyFrame, "VP8 key frame without the start code 9D 01 2A")
        }
        return (keyFrame, nil)
    }

    private static func readNALHeaders(_ prefix: ArraySlice<UInt8>, codec: FrameCodec) -> (
        types: [UInt8], problem: String?
    ) {
        guard !prefix.isEmpty else { return ([], nil) }
        guard prefix.starts(with: [0, 0, 1]) || prefix.starts(with: [0, 0, 0, 1]) else {
            return ([], "clear bytes do not start with a start code")
        }
        var types: [UInt8] = []
        var index = prefix.startIndex
        while index + 2 < prefix.endIndex {
            guard prefix[index] == 0, prefix[index + 1] == 0, prefix[index + 2] == 1 else {
                index += 1
                continue
            }
            let header = index + 3
            guard header < prefix.endIndex else { break }
            let byte = prefix[header]
            types.append(NALUnitScanner.nalUnitType(byte, codec: codec))
            if byte & 0x80 != 0 {
                return (types, "NAL unit header with the forbidden bit set")
            }
            if codec == .h265 && header + 1 < prefix.endIndex && prefix[header + 1] & 0x07 == 0 {
                return (types, "H.265 NAL unit header with temporal id 0")
            }
            index = header
        }
        return (types, nil)
    }
}
