/// Values a LiveKit publisher attaches to a frame (`FrameMetadata` in the SDKs): zero means absent.
public struct FrameMetadata: Sendable, Hashable, Codable {
    /// The publisher's own timestamp for the frame (tag 1, 8 bytes).
    public var userTimestamp: UInt64?
    /// The publisher's frame number (tag 2, 4 bytes).
    public var frameId: UInt32?

    /// Trailer values; nil ones are left out, as the SDKs do.
    public init(userTimestamp: UInt64? = nil, frameId: UInt32? = nil) {
        self.userTimestamp = userTimestamp == 0 ? nil : userTimestamp
        self.frameId = frameId == 0 ? nil : frameId
    }

    /// True when neither value is set: such a frame carries no packet trailer.
    public var isEmpty: Bool { userTimestamp == nil && frameId == nil }
}

/// LiveKit's packet trailer: frame metadata appended after the E2EE trailer, outside the
/// authenticated data, so that the SFU and subscribers can read it without keys.
///
/// Layout (client-sdk-js `src/e2ee/packetTrailer.ts`): TLVs with tag and length XORed with 0xFF
/// and big-endian values XORed with 0xFF (tag 1 user timestamp, 8 bytes; tag 2 frame id, 4 bytes),
/// then the whole trailer's length (TLVs, this byte and the magic) XORed with 0xFF, then `LKTS`.
/// A receiver strips it before it reads the E2EE trailer; otherwise it reads the last magic byte
/// `S` as a key index and `T` as an IV length.
public enum PacketTrailer {
    /// The last four bytes of every packet trailer.
    public static let magic: [UInt8] = Array("LKTS".utf8)
    /// The length byte and the magic.
    static let envelopeSize = 5
    static let timestampTag: UInt8 = 1
    static let frameIdTag: UInt8 = 2

    /// The trailer at the end of `frame`: its length and the metadata it carries; nil when the
    /// frame does not end with one (as JS decides it: the magic, a length that fits, and at least
    /// one known TLV).
    public static func parse(_ frame: ArraySlice<UInt8>) -> (length: Int, metadata: FrameMetadata)? {
        guard frame.count >= envelopeSize, frame.suffix(magic.count).elementsEqual(magic) else { return nil }
        let length = Int(frame[frame.endIndex - envelopeSize] ^ 0xFF)
        guard length >= envelopeSize, length <= frame.count else { return nil }
        let end = frame.endIndex - envelopeSize
        var index = frame.endIndex - length
        var timestamp: UInt64?
        var frameId: UInt32?
        while index + 2 <= end {
            let tag = frame[index] ^ 0xFF
            let size = Int(frame[index + 1] ^ 0xFF)
            index += 2
            guard index + size <= end else { break }
            let value = frame[index..<(index + size)].reduce(UInt64(0)) { $0 << 8 | UInt64($1 ^ 0xFF) }
            if tag == timestampTag && size == 8 {
                timestamp = value
            } else if tag == frameIdTag && size == 4 {
                frameId = UInt32(value)
            }
            index += size
        }
        guard timestamp != nil || frameId != nil else { return nil }
        var metadata = FrameMetadata()
        metadata.userTimestamp = timestamp
        metadata.frameId = frameId
        return (length, metadata)
    }

    /// Appends the trailer for `metadata` to `output`; nothing when the metadata is empty.
    public static func append(_ metadata: FrameMetadata, to output: inout [UInt8]) {
        guard !metadata.isEmpty else { return }
        let start = output.count
        if let timestamp = metadata.userTimestamp {
            appendField(tag: timestampTag, value: timestamp, size: 8, to: &output)
        }
        if let frameId = metadata.frameId {
            appendField(tag: frameIdTag, value: UInt64(frameId), size: 4, to: &output)
        }
        output.append(UInt8(output.count - start + envelopeSize) ^ 0xFF)
        output.append(contentsOf: magic)
    }

    private static func appendField(tag: UInt8, value: UInt64, size: Int, to output: inout [UInt8]) {
        output.append(tag ^ 0xFF)
        output.append(UInt8(size) ^ 0xFF)
        for shift in stride(from: 8 * (size - 1), through: 0, by: -8) {
            output.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)) ^ 0xFF)
        }
    }
}
