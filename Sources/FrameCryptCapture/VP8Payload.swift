/// VP8 (RFC 7741): a payload descriptor of 1 to 6 bytes before each piece of the frame.
struct VP8Payload: PayloadFormatRules {
    /// The descriptor's length, or nil when it runs past the payload.
    private func descriptorLength(_ payload: [UInt8]) -> Int? {
        guard let first = payload.first else { return nil }
        var length = 1
        if first & 0x80 != 0 {  // X: extension byte
            guard payload.count > 1 else { return nil }
            let extensions = payload[1]
            length = 2
            if extensions & 0x80 != 0 {  // I: picture ID, 7 or 15 bits
                guard payload.count > length else { return nil }
                length += payload[length] & 0x80 != 0 ? 2 : 1
            }
            if extensions & 0x40 != 0 { length += 1 }  // L: TL0PICIDX
            if extensions & 0x30 != 0 { length += 1 }  // T or K: TID/KEYIDX
        }
        return length <= payload.count ? length : nil
    }

    func opensFrame(_ payload: [UInt8]) -> Bool {
        // S set and partition index 0
        guard let first = payload.first else { return false }
        return first & 0x10 != 0 && first & 0x0F == 0
    }

    func add(_ payload: [UInt8], to parts: inout FrameParts) -> Bool {
        guard let length = descriptorLength(payload) else { return false }
        if parts.bytes.isEmpty, length < payload.count {
            // The frame tag's P bit is 0 on a key frame (RFC 6386 §9.1).
            parts.keyFrame = payload[length] & 0x01 == 0
        }
        parts.bytes += payload[length...]
        return true
    }

    func packetize(_ frame: [UInt8], keyFrame: Bool, pictureID: Int, size: (width: Int, height: Int)?) -> [[UInt8]]? {
        let room = maximumPayload - 4
        return stride(from: 0, to: max(frame.count, 1), by: room).map { start in
            // X, S on the first piece, partition 0; I with a 15-bit picture ID.
            var payload: [UInt8] = [start == 0 ? 0x90 : 0x80, 0x80]
            payload.appendBigEndian(UInt16(0x8000 | pictureID & 0x7FFF), width: 2)
            payload += frame[start..<min(frame.count, start + room)]
            return payload
        }
    }
}
