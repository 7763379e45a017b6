import Foundation

/// A test tool for captures: the records of a libpcap file (little-endian, microseconds, as
/// framecrypt and tcpdump write them) and the RTP inside each, to damage a capture on purpose or
/// build other recordings from its packets.
package struct PcapRecords {
    /// One captured frame: its time and its bytes (Ethernet, IPv4, UDP, payload).
    package struct Record {
        package var seconds: UInt32
        package var microseconds: UInt32
        package var frame: [UInt8]

        /// The UDP payload (the RTP packet), behind the 14 + 20 + 8 bytes of headers.
        package var payload: [UInt8] {
            Array(frame.dropFirst(42))
        }

        /// The RTP sequence number.
        package var sequenceNumber: Int {
            Int(payload[2]) << 8 | Int(payload[3])
        }

        /// The RTP SSRC.
        package var ssrc: UInt32 {
            payload[8..<12].reduce(0) { $0 << 8 | UInt32($1) }
        }

        /// The RTP payload type.
        package var payloadType: Int {
            Int(payload[1] & 0x7F)
        }
    }

    package let header: [UInt8]
    package var records: [Record]

    package init(path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        header = Array(bytes.prefix(24))
        var records: [Record] = []
        var offset = 24
        func word(_ at: Int) -> UInt32 {
            bytes[at..<(at + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) }
        }
        while offset + 16 <= bytes.count {
            let length = Int(word(offset + 8))
            records.append(
                Record(
                    seconds: word(offset),
                    microseconds: word(offset + 4),
                    frame: Array(bytes[(offset + 16)..<(offset + 16 + length)])
                )
            )
            offset += 16 + length
        }
        self.records = records
    }

    package func write(to path: String) throws {
        var bytes = header
        for record in records {
            for value in [record.seconds, record.microseconds, UInt32(record.frame.count), UInt32(record.frame.count)] {
                bytes += withUnsafeBytes(of: value.littleEndian, Array.init)
            }
            bytes += record.frame
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// A Janus recording (MJR00002) of `records`' RTP packets, with its JSON header: one medium
    /// (`a` or `v`), one codec, marked end-to-end encrypted.
    package static func writeJanusRecording(_ records: [Record], kind: String, codec: String, to path: String) throws {
        let header = Array(
            "{\"t\":\"\(kind)\",\"c\":\"\(codec)\",\"s\":1700000000000000,\"u\":1700000000000000,\"e\":true}".utf8
        )
        var bytes = Array("MJR00002".utf8) + [UInt8(header.count >> 8), UInt8(header.count & 0xFF)] + header
        let start = records.first.map { Double($0.seconds) + Double($0.microseconds) / 1e6 } ?? 0
        for record in records {
            let payload = record.payload
            let milliseconds = UInt32(
                ((Double(record.seconds) + Double(record.microseconds) / 1e6 - start) * 1000).rounded()
            )
            bytes += Array("MEET".utf8) + withUnsafeBytes(of: milliseconds.bigEndian, Array.init)
            bytes += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)] + payload
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
