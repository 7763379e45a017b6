/// Why bytes do not start with a valid SFrame header.
public enum SFrameHeaderFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// There are no bytes at all.
    case empty
    /// The config byte announces more KID or CTR bytes than follow it.
    case truncated(needed: Int, available: Int)
    /// A long-form KID or CTR is not written in the fewest bytes, or holds a value below 8.
    case notMinimal(field: String)

    public var description: String {
        switch self {
        case .empty: "no SFrame header: the frame is empty"
        case .truncated(let needed, let available):
            "SFrame header needs \(needed) bytes, the frame has \(available)"
        case .notMinimal(let field): "SFrame header's \(field) is not minimally encoded"
        }
    }
}

/// The SFrame header of RFC 9605 §4.3: a config byte `X K(3) Y C(3)`, then the key id and the
/// counter when they do not fit in three bits, each big-endian in the fewest bytes.
///
/// The header is authenticated (it is part of the AAD) but not encrypted, so it tells a receiver
/// which key to use and makes the nonce without any key.
public struct SFrameHeader: Sendable, Hashable {
    /// The longest header: config byte, 8-byte KID, 8-byte CTR.
    public static let maximumLength = 17

    /// The key id (KID).
    public var keyID: UInt64
    /// The counter (CTR), unique per key and key id.
    public var counter: UInt64

    /// The header of the frame sealed under `keyID` with `counter`.
    public init(keyID: UInt64, counter: UInt64) {
        self.keyID = keyID
        self.counter = counter
    }

    /// The header's length on the wire.
    public var encodedLength: Int {
        1 + Self.longFormLength(keyID) + Self.longFormLength(counter)
    }

    /// Appends the minimal encoding of the header to `output`.
    public func append(to output: inout [UInt8]) {
        let kidLength = Self.longFormLength(keyID)
        let ctrLength = Self.longFormLength(counter)
        let kidBits = kidLength == 0 ? UInt8(keyID) << 4 : 0x80 | UInt8(kidLength - 1) << 4
        let ctrBits = ctrLength == 0 ? UInt8(counter) : 0x08 | UInt8(ctrLength - 1)
        output.append(kidBits | ctrBits)
        Self.appendBigEndian(keyID, length: kidLength, to: &output)
        Self.appendBigEndian(counter, length: ctrLength, to: &output)
    }

    /// The header's bytes.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encodedLength)
        append(to: &bytes)
        return bytes
    }

    /// Reads the header at the start of `bytes`, strictly: long forms must use the fewest bytes and
    /// hold values of 8 or more, so that every header has exactly one encoding.
    ///
    /// - Returns: the header and its length in bytes.
    public static func parse(_ bytes: ArraySlice<UInt8>) -> Result<
        (header: SFrameHeader, length: Int), SFrameHeaderFailure
    > {
        guard let config = bytes.first else { return .failure(.empty) }
        let kidLength = config & 0x80 != 0 ? Int(config >> 4 & 0x07) + 1 : 0
        let ctrLength = config & 0x08 != 0 ? Int(config & 0x07) + 1 : 0
        let length = 1 + kidLength + ctrLength
        guard bytes.count >= length else { return .failure(.truncated(needed: length, available: bytes.count)) }
        let kidStart = bytes.startIndex + 1
        let ctrStart = kidStart + kidLength
        let keyID = kidLength == 0 ? UInt64(config >> 4 & 0x07) : bigEndian(bytes[kidStart..<ctrStart])
        let counter = ctrLength == 0 ? UInt64(config & 0x07) : bigEndian(bytes[ctrStart..<ctrStart + ctrLength])
        if kidLength > 0 && longFormLength(keyID) != kidLength {
            return .failure(.notMinimal(field: "KID"))
        }
        if ctrLength > 0 && longFormLength(counter) != ctrLength {
            return .failure(.notMinimal(field: "CTR"))
        }
        return .success((SFrameHeader(keyID: keyID, counter: counter), length))
    }

    /// Bytes a value takes after the config byte: 0 for the short form (0–7), else its minimal
    /// big-endian length.
    static func longFormLength(_ value: UInt64) -> Int {
        value < 8 ? 0 : (64 - value.leadingZeroBitCount + 7) / 8
    }

    private static func appendBigEndian(_ value: UInt64, length: Int, to output: inout [UInt8]) {
        for shift in stride(from: (length - 1) * 8, through: 0, by: -8) {
            output.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
