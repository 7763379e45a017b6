/// rtptools' `rtpdump` format (rtptools `rtpdump.h`): a text line `#!rtpplay1.0 ADDRESS/PORT`, a
/// binary header with the start time and source, then each packet behind an 8-byte record header
/// (record length, RTP length or 0 for RTCP, milliseconds since the start).
enum RTPDumpFile {
    static func read(_ bytes: [UInt8]) throws(CaptureError) -> CaptureFile {
        guard let newline = bytes.firstIndex(of: 0x0A), newline < 256 else {
            throw CaptureError(.malformed, "rtpdump first line has no end")
        }
        let line = String(decoding: bytes[CaptureFormat.rtpdumpMagic.count..<newline], as: UTF8.self)
        let parts = line.split(separator: "/", maxSplits: 1)
        let destination = Endpoint(
            address: parts.first.map(String.init) ?? "0.0.0.0",
            port: parts.count > 1 ? UInt16(parts[1].trimmingWhitespace) ?? 0 : 0
        )
        let header = newline + 1
        guard let startSeconds = bytes.uint32(at: header), let startMicroseconds = bytes.uint32(at: header + 4),
            let sourceAddress = bytes.uint32(at: header + 8), let sourcePort = bytes.uint16(at: header + 12)
        else {
            throw CaptureError(.malformed, "rtpdump binary header is cut short")
        }
        let start = Double(startSeconds) + Double(startMicroseconds) / 1e6
        let source = Endpoint(address: dottedQuad(sourceAddress), port: sourcePort)
        var file = CaptureFile(format: .rtpdump)
        var offset = header + 16
        while offset < bytes.count {
            guard let length = bytes.uint16(at: offset), let rtpLength = bytes.uint16(at: offset + 2),
                let milliseconds = bytes.uint32(at: offset + 4), length >= 8, offset + Int(length) <= bytes.count
            else {
                throw CaptureError(.malformed, "rtpdump record at byte \(offset) is cut short")
            }
            // A record longer than its packet holds the packet's first bytes only (`rtpdump -F hex`
            // dumps may cut payloads); the record's own bytes are what there is.
            let end = offset + Int(length)
            let packetEnd = rtpLength == 0 ? end : min(end, offset + 8 + Int(rtpLength))
            file.datagrams.append(
                Datagram(
                    time: start + Double(milliseconds) / 1000,
                    source: source,
                    destination: destination,
                    payload: Array(bytes[(offset + 8)..<packetEnd])
                )
            )
            offset = end
        }
        return file
    }

    /// The rtpdump file holding `datagrams` (RTP or RTCP), sent from `source` to `destination`,
    /// with times relative to the first.
    static func write(_ datagrams: [Datagram], source: Endpoint, destination: Endpoint) -> [UInt8] {
        var bytes = Array("#!rtpplay1.0 \(destination.address)/\(destination.port)\n".utf8)
        let start = datagrams.first?.time ?? 0
        bytes.appendBigEndian(UInt32(start.rounded(.down)), width: 4)
        bytes.appendBigEndian(UInt32(((start - start.rounded(.down)) * 1e6).rounded()), width: 4)
        bytes.appendBigEndian(quadValue(source.address), width: 4)
        bytes.appendBigEndian(source.port, width: 2)
        bytes.appendBigEndian(UInt16(0), width: 2)
        for datagram in datagrams {
            let isRTCP = PacketClass(datagram.payload) == .rtcp
            bytes.appendBigEndian(UInt16(datagram.payload.count + 8), width: 2)
            bytes.appendBigEndian(UInt16(isRTCP ? 0 : datagram.payload.count), width: 2)
            bytes.appendBigEndian(UInt32(((datagram.time - start) * 1000).rounded()), width: 4)
            bytes += datagram.payload
        }
        return bytes
    }

    private static func dottedQuad(_ value: UInt32) -> String {
        [24, 16, 8, 0].map { String(value >> UInt32($0) & 0xFF) }.joined(separator: ".")
    }

    private static func quadValue(_ text: String) -> UInt32 {
        let parts = text.split(separator: ".").compactMap { UInt32($0) }
        guard parts.count == 4 else { return 0 }
        return parts.reduce(0) { $0 << 8 | ($1 & 0xFF) }
    }
}

extension Substring {
    var trimmingWhitespace: Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<Swift.max(start, end)]
    }
}
