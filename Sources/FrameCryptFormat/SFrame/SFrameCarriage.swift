/// How an SFrame ciphertext is stored in a container packet of its codec.
///
/// SFrame encrypts the whole frame, header bytes included, but muxers and demuxers still read some
/// codecs' packets: length-prefixed H.264/H.265 must stay a list of NAL units, the MP4 and Matroska
/// muxers rewrite AV1 packets OBU by OBU, and the Ogg demuxer reads each Opus packet's duration from
/// its first (TOC) byte. So there the ciphertext travels as one NAL unit, inside one frame OBU (the
/// layout of ``AV1Envelope``), or behind a copy of the Opus TOC byte. These bytes are container
/// framing, not part of the ciphertext: they are removed before decryption, and a copied TOC byte
/// must equal the decrypted frame's first byte.
public enum SFrameCarriage: Sendable, Hashable {
    /// The packet is the ciphertext.
    case bare
    /// The packet is one NAL unit: a big-endian length of `lengthSize` bytes, then the ciphertext.
    case nalUnit(lengthSize: Int)
    /// The packet is `(0A 00) 32 leb128(L) 00 ‖ ciphertext`, the sequence-header OBU on key frames.
    case av1
    /// The packet is the frame's first byte (the Opus TOC; 0 for an empty frame), then the ciphertext.
    case opus

    /// The carriage of a stream of `codec` whose packets are length-prefixed with `nalLengthSize`
    /// bytes (nil when they are not).
    public init(codec: FrameCodec, nalLengthSize: Int?) {
        if codec == .av1 {
            self = .av1
        } else if codec == .opus {
            self = .opus
        } else if let nalLengthSize {
            self = .nalUnit(lengthSize: nalLengthSize)
        } else {
            self = .bare
        }
    }

    /// Writes the packet that carries `ciphertext`, the encryption of `frame`, into `output`,
    /// replacing its contents.
    ///
    /// - Returns: false when a NAL unit is too long for the length field.
    public func wrap(
        _ ciphertext: [UInt8],
        of frame: ArraySlice<UInt8>,
        keyFrame: Bool,
        into output: inout [UInt8]
    ) -> Bool {
        output.removeAll(keepingCapacity: true)
        switch self {
        case .bare:
            output.append(contentsOf: ciphertext)
        case .nalUnit(let lengthSize):
            guard lengthSize == 8 || ciphertext.count < 1 << (8 * lengthSize) else { return false }
            for shift in stride(from: (lengthSize - 1) * 8, through: 0, by: -8) {
                output.append(UInt8(truncatingIfNeeded: ciphertext.count >> shift))
            }
            output.append(contentsOf: ciphertext)
        case .av1:
            AV1Envelope.append(keyFrame: keyFrame, sealedCount: ciphertext.count, to: &output)
            output.append(contentsOf: ciphertext)
        case .opus:
            output.append(frame.first ?? 0)
            output.append(contentsOf: ciphertext)
        }
        return true
    }

    /// The ciphertext inside `packet`, or nil when the packet is not framed as this carriage says.
    public func unwrap(_ packet: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        switch self {
        case .bare:
            return packet
        case .nalUnit(let lengthSize):
            guard packet.count >= lengthSize else { return nil }
            let length = packet.prefix(lengthSize).reduce(0) { $0 << 8 | Int($1) }
            guard length == packet.count - lengthSize else { return nil }
            return packet.dropFirst(lengthSize)
        case .av1:
            guard let envelope = AV1Envelope.parse(packet) else { return nil }
            return packet.dropFirst(envelope.length)
        case .opus:
            return packet.isEmpty ? nil : packet.dropFirst()
        }
    }

    /// True when the decrypted `frame` agrees with the clear bytes `packet` carried beside its
    /// ciphertext (the copied Opus TOC byte); always true for the other carriages.
    public func agrees(_ frame: [UInt8], with packet: ArraySlice<UInt8>) -> Bool {
        guard self == .opus else { return true }
        return packet.first == (frame.first ?? 0)
    }
}
