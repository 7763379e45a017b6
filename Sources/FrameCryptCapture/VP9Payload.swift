/// VP9 (RFC 9628): a payload descriptor with begin and end bits per layer frame, picture ID,
/// layer indices, reference indices and, on key frames, the scalability structure with each
/// spatial layer's size.
struct VP9Payload: PayloadFormatRules {
    /// The descriptor's length and the size the scalability structure states, or nil when the
    /// descriptor runs past the payload.
    private func descriptor(_ payload: [UInt8]) -> (length: Int, size: (Int, Int)?)? {
        guard let flags = payload.first else { return nil }
        var index = 1
        func byte(_ at: Int) -> UInt8? { at < payload.count ? payload[at] : nil }
        if flags & 0x80 != 0 {  // I
            guard let picture = byte(index) else { return nil }
            index += picture & 0x80 != 0 ? 2 : 1
        }
        if flags & 0x20 != 0 {  // L: layer indices, and TL0PICIDX in non-flexible mode
            index += flags & 0x10 != 0 ? 1 : 2
        }
        if flags & 0x10 != 0 && flags & 0x40 != 0 {  // F and P: up to three reference indices
            for _ in 0..<3 {
                guard let reference = byte(index) else { return nil }
                index += 1
                if reference & 0x01 == 0 { break }
            }
        }
        var size: (Int, Int)?
        if flags & 0x02 != 0 {  // V: scalability structure
            guard let header = byte(index) else { return nil }
            index += 1
            let layers = Int(header >> 5) + 1
            if header & 0x10 != 0 {  // Y: each layer's width and height
                if let width = payload.uint16(at: index), let height = payload.uint16(at: index + 2) {
                    size = (Int(width), Int(height))
                }
                index += 4 * layers
            }
            if header & 0x08 != 0 {  // G: picture group description
                guard let groups = byte(index) else { return nil }
                index += 1
                for _ in 0..<groups {
                    guard let group = byte(index) else { return nil }
                    index += 1 + Int(group >> 2 & 0x03)
                }
            }
        }
        return index <= payload.count ? (index, size) : nil
    }

    func opensFrame(_ payload: [UInt8]) -> Bool {
        (payload.first ?? 0) & 0x08 != 0  // B
    }

    func add(_ payload: [UInt8], to parts: inout FrameParts) -> Bool {
        guard let (length, size) = descriptor(payload) else { return false }
        if parts.bytes.isEmpty {
            // P clear: the picture refers to no earlier one.
            parts.keyFrame = payload[0] & 0x40 == 0
        }
        if let size, parts.size == nil {
            parts.size = size
        }
        parts.bytes += payload[length...]
        return true
    }

    func packetize(_ frame: [UInt8], keyFrame: Bool, pictureID: Int, size: (width: Int, height: Int)?) -> [[UInt8]]? {
        let room = maximumPayload - 8
        let starts = Array(stride(from: 0, to: max(frame.count, 1), by: room))
        return starts.map { start in
            // I, P on inter frames, B on the first piece, E on the last; a key frame's first piece
            // carries the scalability structure with the picture size, as libwebrtc sends it.
            var flags: UInt8 = 0x80 | (keyFrame ? 0 : 0x40)
            if start == 0 { flags |= 0x08 }
            if start == starts.last { flags |= 0x04 }
            let structure = keyFrame && start == 0 ? size : nil
            if structure != nil { flags |= 0x02 }
            var payload: [UInt8] = [flags]
            payload.appendBigEndian(UInt16(0x8000 | pictureID & 0x7FFF), width: 2)
            if let structure {
                payload.append(0x10)  // one spatial layer, sizes present, no picture group
                payload.appendBigEndian(UInt16(truncatingIfNeeded: structure.width), width: 2)
                payload.appendBigEndian(UInt16(truncatingIfNeeded: structure.height), width: 2)
            }
            payload += frame[start..<min(frame.count, start + room)]
            return payload
        }
    }
}
