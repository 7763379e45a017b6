/// RFC 2198 redundant audio: block headers (F, payload type, timestamp offset, length) and a final
/// one-byte header for the primary block, then the redundant blocks and the primary one.
enum REDPayload {
    /// One block: its payload type, how far its timestamp lies before the packet's, and its bytes.
    struct Block {
        let payloadType: UInt8
        let timestampOffset: UInt32
        let bytes: [UInt8]
    }

    /// The blocks of `payload`, redundant ones first and the primary last; nil when malformed.
    static func blocks(_ payload: [UInt8]) -> [Block]? {
        var headers: [(UInt8, UInt32, Int?)] = []
        var offset = 0
        while offset < payload.count {
            let first = payload[offset]
            if first & 0x80 == 0 {
                headers.append((first & 0x7F, 0, nil))
                offset += 1
                break
            }
            guard let word = payload.uint32(at: offset) else { return nil }
            headers.append((first & 0x7F, word >> 10 & 0x3FFF, Int(word & 0x3FF)))
            offset += 4
        }
        guard let last = headers.last, last.2 == nil else { return nil }
        var blocks: [Block] = []
        for (type, timestampOffset, length) in headers {
            let size = length ?? (payload.count - offset)
            guard size >= 0, offset + size <= payload.count else { return nil }
            blocks.append(
                Block(
                    payloadType: type,
                    timestampOffset: timestampOffset,
                    bytes: Array(payload[offset..<(offset + size)])
                )
            )
            offset += size
        }
        return blocks
    }
}
