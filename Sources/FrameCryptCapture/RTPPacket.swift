/// An RTP packet (RFC 3550 §5.1): the fixed header, CSRCs, header extension and payload.
package struct RTPPacket: Sendable, Equatable {
    package var marker: Bool
    package var payloadType: UInt8
    package var sequenceNumber: UInt16
    package var timestamp: UInt32
    package var ssrc: UInt32
    package var csrcs: [UInt32] = []
    /// The header extension's profile and bytes (RFC 8285 one- or two-byte elements), when present.
    package var headerExtension: (profile: UInt16, bytes: [UInt8])? = nil
    package var payload: [UInt8]

    package init(
        marker: Bool,
        payloadType: UInt8,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        ssrc: UInt32,
        payload: [UInt8]
    ) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.payload = payload
    }

    /// Parses `bytes`; nil when they are not a well-formed version-2 RTP packet.
    package init?(_ bytes: [UInt8]) {
        guard bytes.count >= 12, bytes[0] >> 6 == 2, let sequence = bytes.uint16(at: 2),
            let timestamp = bytes.uint32(at: 4), let ssrc = bytes.uint32(at: 8)
        else { return nil }
        marker = bytes[1] & 0x80 != 0
        payloadType = bytes[1] & 0x7F
        sequenceNumber = sequence
        self.timestamp = timestamp
        self.ssrc = ssrc
        var offset = 12
        for _ in 0..<Int(bytes[0] & 0x0F) {
            guard let csrc = bytes.uint32(at: offset) else { return nil }
            csrcs.append(csrc)
            offset += 4
        }
        if bytes[0] & 0x10 != 0 {
            guard let profile = bytes.uint16(at: offset), let words = bytes.uint16(at: offset + 2),
                offset + 4 + Int(words) * 4 <= bytes.count
            else { return nil }
            headerExtension = (profile, Array(bytes[(offset + 4)..<(offset + 4 + Int(words) * 4)]))
            offset += 4 + Int(words) * 4
        }
        var end = bytes.count
        if bytes[0] & 0x20 != 0 {
            let padding = Int(bytes[bytes.count - 1])
            guard padding > 0, offset + padding <= end else { return nil }
            end -= padding
        }
        payload = Array(bytes[offset..<end])
    }

    /// The packet's bytes, without padding.
    package var serialized: [UInt8] {
        var bytes: [UInt8] = [0x80 | (headerExtension == nil ? 0 : 0x10) | UInt8(csrcs.count & 0x0F)]
        bytes.append((marker ? 0x80 : 0) | payloadType & 0x7F)
        bytes.appendBigEndian(sequenceNumber, width: 2)
        bytes.appendBigEndian(timestamp, width: 4)
        bytes.appendBigEndian(ssrc, width: 4)
        for csrc in csrcs.prefix(15) {
            bytes.appendBigEndian(csrc, width: 4)
        }
        if let headerExtension {
            bytes.appendBigEndian(headerExtension.profile, width: 2)
            bytes.appendBigEndian(UInt16(headerExtension.bytes.count / 4), width: 2)
            bytes += headerExtension.bytes
        }
        return bytes + payload
    }

    package static func == (left: RTPPacket, right: RTPPacket) -> Bool {
        left.serialized == right.serialized
    }
}

/// What a UDP payload is, by its first bytes as RFC 7983 demultiplexes one port: STUN, DTLS,
/// RTP or RTCP (RFC 5761 §4: RTCP packet types 192–223), or something else.
package enum PacketClass: String, Sendable {
    case stun
    case dtls
    case rtp
    case rtcp
    case other

    package init(_ payload: [UInt8]) {
        guard let first = payload.first else {
            self = .other
            return
        }
        switch first {
        case 0...3: self = .stun
        case 20...63: self = .dtls
        case 128...191:
            guard payload.count >= 12 else {
                self = payload.count >= 8 ? .rtcp : .other
                return
            }
            self = (192...223).contains(payload[1]) ? .rtcp : .rtp
        default: self = .other
        }
    }
}
