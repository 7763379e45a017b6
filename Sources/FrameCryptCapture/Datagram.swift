/// One UDP payload from a capture, with when and between which endpoints it travelled. Janus
/// recordings and rtpdump files keep no addresses: they name the recording instead.
package struct Datagram: Sendable {
    /// Seconds since the capture started (pcap: since the epoch).
    package var time: Double
    /// `address:port` of the sender.
    package var source: Endpoint
    /// `address:port` of the receiver.
    package var destination: Endpoint
    package var payload: [UInt8]

    package init(time: Double, source: Endpoint, destination: Endpoint, payload: [UInt8]) {
        self.time = time
        self.source = source
        self.destination = destination
        self.payload = payload
    }
}

/// An IP address (as text) and UDP port.
package struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    package var address: String
    package var port: UInt16

    package init(address: String, port: UInt16) {
        self.address = address
        self.port = port
    }

    package var description: String {
        address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}

/// Why a captured frame gave no UDP payload, counted per capture so a user sees what was left out.
package enum SkippedFrame: String, Sendable, CaseIterable, Error {
    /// Not IPv4 or IPv6 (ARP, LLDP…).
    case notIP = "not-ip"
    /// IP, but not UDP (TCP, ICMP…).
    case notUDP = "not-udp"
    /// A fragment of a fragmented IP datagram (RTP over UDP never needs fragmentation).
    case ipFragment = "ip-fragment"
    /// Shorter than its headers say (cut by the capture's snap length).
    case truncated
    /// A link type framecrypt cannot read.
    case unknownLinkType = "unknown-link-type"
}

/// Link-layer and IP decoding down to UDP payloads.
enum LinkLayer {
    /// libpcap's link types (https://www.tcpdump.org/linktypes.html) that framecrypt reads.
    static let null: UInt32 = 0
    static let ethernet: UInt32 = 1
    static let raw: UInt32 = 101
    static let loop: UInt32 = 108
    static let linuxCooked: UInt32 = 113
    static let ipv4: UInt32 = 228
    static let ipv6: UInt32 = 229
    static let linuxCookedV2: UInt32 = 276

    /// The UDP datagram in `frame` of link type `linkType`, or why there is none.
    static func datagram(in frame: ArraySlice<UInt8>, linkType: UInt32, time: Double)
        -> Result<Datagram, SkippedFrame>
    {
        switch linkType {
        case ethernet:
            var offset = 12
            guard var etherType = frame.uint16(at: offset) else { return .failure(.truncated) }
            // 802.1Q and 802.1ad tags
            while etherType == 0x8100 || etherType == 0x88A8 {
                offset += 4
                guard let inner = frame.uint16(at: offset) else { return .failure(.truncated) }
                etherType = inner
            }
            return ip(frame.dropFirst(offset + 2), etherType: etherType, time: time)
        case linuxCooked:
            guard let etherType = frame.uint16(at: 14) else { return .failure(.truncated) }
            return ip(frame.dropFirst(16), etherType: etherType, time: time)
        case linuxCookedV2:
            guard let etherType = frame.uint16(at: 0) else { return .failure(.truncated) }
            return ip(frame.dropFirst(20), etherType: etherType, time: time)
        case null, loop:
            // A 4-byte address family in the capturing host's byte order: 2 is IPv4, anything
            // else here is taken by the IP version nibble.
            return ip(frame.dropFirst(4), etherType: nil, time: time)
        case raw, ipv4, ipv6:
            return ip(frame, etherType: nil, time: time)
        default:
            return .failure(.unknownLinkType)
        }
    }

    /// The UDP datagram of an IP packet; `etherType` nil takes the version from the first nibble.
    static func ip(_ packet: ArraySlice<UInt8>, etherType: UInt16?, time: Double) -> Result<Datagram, SkippedFrame> {
        guard let first = packet.first else { return .failure(.truncated) }
        let version = first >> 4
        switch (etherType, version) {
        case (0x0800, _), (nil, 4):
            guard version == 4 else { return .failure(.notIP) }
            let headerLength = Int(first & 0x0F) * 4
            guard headerLength >= 20, let total = packet.uint16(at: 2), let flags = packet.uint16(at: 6),
                packet.count >= headerLength
            else { return .failure(.truncated) }
            guard packet[packet.startIndex + 9] == 17 else { return .failure(.notUDP) }
            // More fragments, or a fragment offset: a piece of a larger datagram.
            guard flags & 0x3FFF == 0 else { return .failure(.ipFragment) }
            let source = packet[(packet.startIndex + 12)..<(packet.startIndex + 16)].map(String.init).joined(
                separator: "."
            )
            let destination = packet[(packet.startIndex + 16)..<(packet.startIndex + 20)].map(String.init)
                .joined(separator: ".")
            let end = min(packet.count, max(Int(total), headerLength))
            return udp(
                packet[(packet.startIndex + headerLength)..<(packet.startIndex + end)],
                source: source,
                destination: destination,
                time: time
            )
        case (0x86DD, _), (nil, 6):
            guard version == 6 else { return .failure(.notIP) }
            guard packet.count >= 40, let payloadLength = packet.uint16(at: 4) else { return .failure(.truncated) }
            var next = packet[packet.startIndex + 6]
            var offset = 40
            // Hop-by-hop, routing and destination options headers come before UDP; a fragment
            // header means a piece of a larger datagram.
            while next == 0 || next == 43 || next == 60 {
                guard let length = packet.bigEndian(at: offset + 1, width: 1) else { return .failure(.truncated) }
                next = packet[packet.startIndex + offset]
                offset += 8 + Int(length) * 8
            }
            if next == 44 { return .failure(.ipFragment) }
            guard next == 17 else { return .failure(.notUDP) }
            let end = min(packet.count, 40 + Int(payloadLength))
            guard offset <= end else { return .failure(.truncated) }
            return udp(
                packet[(packet.startIndex + offset)..<(packet.startIndex + end)],
                source: ipv6Text(packet[(packet.startIndex + 8)..<(packet.startIndex + 24)]),
                destination: ipv6Text(packet[(packet.startIndex + 24)..<(packet.startIndex + 40)]),
                time: time
            )
        default:
            return .failure(.notIP)
        }
    }

    private static func udp(_ segment: ArraySlice<UInt8>, source: String, destination: String, time: Double)
        -> Result<Datagram, SkippedFrame>
    {
        guard let sourcePort = segment.uint16(at: 0), let destinationPort = segment.uint16(at: 2),
            let length = segment.uint16(at: 4), Int(length) >= 8, Int(length) <= segment.count
        else { return .failure(.truncated) }
        return .success(
            Datagram(
                time: time,
                source: Endpoint(address: source, port: sourcePort),
                destination: Endpoint(address: destination, port: destinationPort),
                payload: Array(segment[(segment.startIndex + 8)..<(segment.startIndex + Int(length))])
            )
        )
    }

    /// An IPv6 address in its usual text form, groups without leading zeros (no `::` shortening).
    private static func ipv6Text(_ bytes: ArraySlice<UInt8>) -> String {
        stride(from: bytes.startIndex, to: bytes.endIndex, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
        }.joined(separator: ":")
    }
}
