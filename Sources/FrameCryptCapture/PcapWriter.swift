/// Writes datagrams as a libpcap file (microsecond timestamps, little-endian, Ethernet link type)
/// with IPv4 and UDP headers around each payload, so that any pcap reader (tshark, Wireshark)
/// takes it as captured traffic.
enum PcapWriter {
    static func write(_ datagrams: [Datagram]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendLittleEndian(UInt32(0xA1B2_C3D4), width: 4)
        bytes.appendLittleEndian(UInt16(2), width: 2)
        bytes.appendLittleEndian(UInt16(4), width: 2)
        bytes.appendLittleEndian(UInt32(0), width: 4)  // thiszone
        bytes.appendLittleEndian(UInt32(0), width: 4)  // sigfigs
        bytes.appendLittleEndian(UInt32(65535), width: 4)  // snaplen
        bytes.appendLittleEndian(LinkLayer.ethernet, width: 4)
        for (number, datagram) in datagrams.enumerated() {
            let frame = ethernetFrame(datagram, identification: UInt16(truncatingIfNeeded: number))
            let seconds = datagram.time.rounded(.down)
            bytes.appendLittleEndian(UInt32(seconds), width: 4)
            bytes.appendLittleEndian(UInt32(((datagram.time - seconds) * 1e6).rounded(.down)), width: 4)
            bytes.appendLittleEndian(UInt32(frame.count), width: 4)
            bytes.appendLittleEndian(UInt32(frame.count), width: 4)
            bytes += frame
        }
        return bytes
    }

    private static func ethernetFrame(_ datagram: Datagram, identification: UInt16) -> [UInt8] {
        // Locally administered MAC addresses; the EtherType is IPv4.
        var frame: [UInt8] = [0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00]
        let source = address(datagram.source.address)
        let destination = address(datagram.destination.address)
        var ip: [UInt8] = [0x45, 0]
        ip.appendBigEndian(UInt16(20 + 8 + datagram.payload.count), width: 2)
        ip.appendBigEndian(identification, width: 2)
        ip += [0x40, 0, 64, 17, 0, 0]  // don't fragment, TTL 64, UDP, checksum below
        ip += source + destination
        let checksum = onesComplement(ip)
        ip[10] = UInt8(checksum >> 8)
        ip[11] = UInt8(checksum & 0xFF)
        var udp: [UInt8] = []
        udp.appendBigEndian(datagram.source.port, width: 2)
        udp.appendBigEndian(datagram.destination.port, width: 2)
        udp.appendBigEndian(UInt16(8 + datagram.payload.count), width: 2)
        udp += [0, 0]
        var pseudo = source + destination + [0, 17]
        pseudo.appendBigEndian(UInt16(8 + datagram.payload.count), width: 2)
        let udpChecksum = onesComplement(pseudo + udp + datagram.payload)
        udp[6] = UInt8((udpChecksum == 0 ? 0xFFFF : udpChecksum) >> 8)
        udp[7] = UInt8((udpChecksum == 0 ? 0xFFFF : udpChecksum) & 0xFF)
        frame += ip
        frame += udp
        frame += datagram.payload
        return frame
    }

    private static func address(_ text: String) -> [UInt8] {
        let parts = text.split(separator: ".").compactMap { UInt8($0) }
        return parts.count == 4 ? parts : [0, 0, 0, 0]
    }

    /// The Internet checksum (RFC 1071) of `bytes`.
    private static func onesComplement(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count {
            sum += UInt32(bytes[index]) << 8
        }
        while sum >> 16 != 0 {
            sum = (sum & 0xFFFF) + (sum >> 16)
        }
        return ~UInt16(sum)
    }
}
