/// The 12-byte AES-GCM IV of a FrameCryptor frame: `SSRC ‖ T ‖ (T − (n mod 0xFFFF))`, big-endian.
///
/// T is the frame's RTP timestamp and n the number of frames already sent on that SSRC. Receivers
/// never recompute it (it travels in the frame), so its structure only matters for nonce uniqueness
/// and for forensic inspection.
public struct FrameIV: Sendable, Hashable {
    /// Size of the IV in bytes; the trailer's first byte carries this value.
    public static let byteCount = 12

    /// The sender's synchronisation source, the first word.
    public var ssrc: UInt32
    /// The frame's RTP timestamp, the second word.
    public var rtpTimestamp: UInt32
    /// `rtpTimestamp − (sendCount mod 0xFFFF)`, the third word.
    public var countedTimestamp: UInt32

    /// Builds the IV a sender uses for its `sendCount`-th frame (counting from 0).
    public init(ssrc: UInt32, rtpTimestamp: UInt32, sendCount: UInt64) {
        self.ssrc = ssrc
        self.rtpTimestamp = rtpTimestamp
        self.countedTimestamp = rtpTimestamp &- UInt32(sendCount % 0xFFFF)
    }

    /// Reads an IV from exactly 12 bytes; nil for any other length.
    public init?(bytes: ArraySlice<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        let base = bytes.startIndex
        ssrc = Self.word(bytes, at: base)
        rtpTimestamp = Self.word(bytes, at: base + 4)
        countedTimestamp = Self.word(bytes, at: base + 8)
    }

    /// The send count modulo 0xFFFF implied by the second and third words.
    public var impliedSendCount: UInt32 {
        rtpTimestamp &- countedTimestamp
    }

    /// The 12 bytes, big-endian.
    public var bytes: [UInt8] {
        var bytes: [UInt8] = []
        append(to: &bytes)
        return bytes
    }

    /// Appends the 12 bytes, big-endian.
    public func append(to output: inout [UInt8]) {
        Self.append(ssrc, to: &output)
        Self.append(rtpTimestamp, to: &output)
        Self.append(countedTimestamp, to: &output)
    }

    private static func append(_ word: UInt32, to output: inout [UInt8]) {
        output.append(UInt8(truncatingIfNeeded: word >> 24))
        output.append(UInt8(truncatingIfNeeded: word >> 16))
        output.append(UInt8(truncatingIfNeeded: word >> 8))
        output.append(UInt8(truncatingIfNeeded: word))
    }

    private static func word(_ bytes: ArraySlice<UInt8>, at index: Int) -> UInt32 {
        UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8
            | UInt32(bytes[index + 3])
    }
}
