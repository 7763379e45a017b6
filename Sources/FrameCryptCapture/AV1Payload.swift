/// AV1 (the AOM's "RTP Payload Format For AV1", v1.0.0): an aggregation header (Z, Y, W, N),
/// then OBU elements, each but the last behind a LEB128 length when W is set, with OBU size
/// fields removed. The depacketizer gives every OBU its size field back, as libwebrtc's does
/// (`video_rtp_depacketizer_av1.cc`).
///
/// A sealed AV1 frame is no OBU stream: a native sender's packetizer cuts its ciphertext at
/// boundaries read from noise, and such frames reach receivers damaged unless they went in one
/// packet (docs/INTEROP.md). framecrypt therefore writes no AV1 packets (``packetize``).
struct AV1Payload: PayloadFormatRules {
    func opensFrame(_ payload: [UInt8]) -> Bool {
        (payload.first ?? 0x80) & 0x80 == 0  // Z clear: the first element is not a continuation
    }

    func add(_ payload: [UInt8], to parts: inout FrameParts) -> Bool {
        guard let header = payload.first else { return false }
        let continues = header & 0x80 != 0
        let count = Int(header >> 4 & 0x03)
        if header & 0x08 != 0 { parts.keyFrame = true }  // N: a new coded video sequence
        var offset = 1
        var element = 0
        while offset < payload.count {
            element += 1
            var length = payload.count - offset
            if count == 0 || element < count {
                guard let (value, size) = Self.leb128(payload, at: offset), offset + size + value <= payload.count
                else {
                    return false
                }
                offset += size
                length = value
            }
            let bytes = payload[offset..<(offset + length)]
            if element == 1 && continues {
                guard !parts.obus.isEmpty else { return false }
                parts.obus[parts.obus.count - 1] += bytes
            } else {
                parts.obus.append(Array(bytes))
            }
            offset += length
        }
        return true
    }

    func finish(_ parts: FrameParts) -> [UInt8] {
        var frame: [UInt8] = []
        for obu in parts.obus where !obu.isEmpty {
            let header = obu[0]
            if header & 0x02 != 0 {
                frame += obu  // already has its size field
                continue
            }
            let headerLength = header & 0x04 != 0 ? 2 : 1
            guard obu.count >= headerLength else { continue }
            frame.append(header | 0x02)
            frame += obu[1..<headerLength]
            frame += Self.leb128(obu.count - headerLength)
            frame += obu[headerLength...]
        }
        return frame
    }

    func packetize(_ frame: [UInt8], keyFrame: Bool, pictureID: Int, size: (width: Int, height: Int)?) -> [[UInt8]]? {
        nil
    }

    static func leb128(_ bytes: [UInt8], at offset: Int) -> (value: Int, size: Int)? {
        var value = 0
        for index in 0..<8 where offset + index < bytes.count {
            let byte = bytes[offset + index]
            value |= Int(byte & 0x7F) << (7 * index)
            if byte & 0x80 == 0 { return (value, index + 1) }
        }
        return nil
    }

    static func leb128(_ value: Int) -> [UInt8] {
        var rest = value
        var bytes: [UInt8] = []
        repeat {
            bytes.append(UInt8(rest & 0x7F) | (rest > 0x7F ? 0x80 : 0))
            rest >>= 7
        } while rest > 0
        return bytes
    }
}
