/// The synthetic OBU header that lets a container carry an encrypted AV1 frame
/// (`webrtc-framecryptor.md` §6.5): key frames `0A 00`, then `32 leb128(L) 00`, where L counts the
/// routing byte `00` and everything after it.
///
/// A sealed AV1 frame is not a parseable OBU stream, and FFmpeg's MP4 and Matroska muxers filter
/// OBUs on write, so framecrypt stores sealed frames (FrameCryptor and SFrame alike) behind this
/// envelope. It is storage only: added on write, removed on read, never authenticated.
public enum AV1Envelope {
    /// Appends the envelope for a frame whose sealed body will be `sealedCount` bytes long.
    public static func append(keyFrame: Bool, sealedCount: Int, to output: inout [UInt8]) {
        if keyFrame {
            output.append(0x0A)
            output.append(0x00)
        }
        output.append(0x32)
        LEB128.append(UInt64(1 + sealedCount), to: &output)  // the routing byte, then the sealed body
        output.append(0x00)
    }

    /// The envelope's length at the start of `frame`, or nil when the bytes are not a valid envelope
    /// (optional `0A` with size 0, then `32`, a size equal to the remaining bytes and at least 1,
    /// then the routing byte `00`).
    public static func parse(_ frame: ArraySlice<UInt8>) -> (length: Int, keyFrame: Bool)? {
        var index = frame.startIndex
        var keyFrame = false
        if index < frame.endIndex && frame[index] == 0x0A {
            index += 1
            guard let (size, sizeLength) = LEB128.read(frame[index...]), size == 0 else { return nil }
            index += sizeLength
            keyFrame = true
        }
        guard index < frame.endIndex, frame[index] == 0x32 else { return nil }
        index += 1
        guard let (size, sizeLength) = LEB128.read(frame[index...]) else { return nil }
        index += sizeLength
        guard size >= 1, size == UInt64(frame.endIndex - index), frame[index] == 0x00 else { return nil }
        return (index + 1 - frame.startIndex, keyFrame)
    }
}

/// How FrameCryptor AV1 frames are stored in containers (`framecrypt-profile.md` §1).
///
/// LiveKit's native sender drops a leading temporal-delimiter OBU and seals the whole rest of the
/// frame with no clear bytes; the sealed frame goes into the file behind an ``AV1Envelope``.
public enum AV1Storage {
    /// The temporal-delimiter OBU with an empty payload (type 2, has_size_field, size 0).
    static let temporalDelimiter: [UInt8] = [0x12, 0x00]

    /// 2 when `frame` starts with a temporal-delimiter OBU, which a native sender drops, else 0.
    public static func temporalDelimiterLength(of frame: ArraySlice<UInt8>) -> Int {
        frame.starts(with: temporalDelimiter) ? temporalDelimiter.count : 0
    }

    /// Appends `sealed` behind its storage envelope to `output`.
    public static func append(sealed: ArraySlice<UInt8>, keyFrame: Bool, to output: inout [UInt8]) {
        AV1Envelope.append(keyFrame: keyFrame, sealedCount: sealed.count, to: &output)
        output.append(contentsOf: sealed)
    }

    /// The sealed frame inside a stored packet, or nil when the packet has no storage envelope
    /// (a clear frame, or a file written by another tool).
    public static func sealed(in packet: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard let envelope = AV1Envelope.parse(packet) else { return nil }
        return packet[(packet.startIndex + envelope.length)...]
    }
}

/// AV1's unsigned little-endian base-128 integers (AV1 spec §4.10.5), at most 8 bytes.
enum LEB128 {
    static func append(_ value: UInt64, to output: inout [UInt8]) {
        var rest = value
        repeat {
            let low = UInt8(truncatingIfNeeded: rest & 0x7F)
            rest >>= 7
            output.append(rest == 0 ? low : low | 0x80)
        } while rest != 0
    }

    /// The value and how many bytes it took, or nil if the bytes end early or run past 8 bytes.
    static func read(_ bytes: ArraySlice<UInt8>) -> (value: UInt64, length: Int)? {
        var value: UInt64 = 0
        for (offset, byte) in bytes.prefix(8).enumerated() {
            value |= UInt64(byte & 0x7F) << (7 * UInt64(offset))
            if byte & 0x80 == 0 {
                return (value, offset + 1)
            }
        }
        return nil
    }
}
