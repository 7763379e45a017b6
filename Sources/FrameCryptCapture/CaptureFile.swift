import Foundation

/// The UDP datagrams of a capture file, in the order the file holds them, with what was left out.
package struct CaptureFile: Sendable {
    package let format: CaptureFormat
    package var datagrams: [Datagram] = []
    /// Captured frames that held no UDP payload, by reason.
    package var skipped: [SkippedFrame: Int] = [:]
    /// A Janus recording's header: its media, codec and whether it is end-to-end encrypted.
    package var recording: MJRHeader? = nil

    package init(format: CaptureFormat) {
        self.format = format
    }

    /// Reads the capture `bytes` of `format`.
    ///
    /// - Throws: ``CaptureError`` (`malformed`) when the file's structure is broken before its end.
    package static func read(_ bytes: [UInt8], format: CaptureFormat) throws(CaptureError) -> CaptureFile {
        switch format {
        case .pcap: try PcapFile.read(bytes)
        case .pcapng: try PcapNGFile.read(bytes)
        case .rtpdump: try RTPDumpFile.read(bytes)
        case .mjr: try MJRFile.read(bytes)
        }
    }

    mutating func add(_ result: Result<Datagram, SkippedFrame>) {
        switch result {
        case .success(let datagram): datagrams.append(datagram)
        case .failure(let reason): skipped[reason, default: 0] += 1
        }
    }
}

/// libpcap's file format (https://www.tcpdump.org/manpages/pcap-savefile.5.html), either byte
/// order, micro- or nanosecond timestamps.
enum PcapFile {
    static func read(_ bytes: [UInt8]) throws(CaptureError) -> CaptureFile {
        guard bytes.count >= 24 else { throw CaptureError(.malformed, "pcap file header is cut short") }
        let bigEndian = bytes[0] == 0xA1
        let nanoseconds = bytes[2] == 0x3C || bytes[1] == 0x3C
        func field(_ offset: Int, _ width: Int) -> UInt64? {
            bigEndian ? bytes.bigEndian(at: offset, width: width) : bytes.littleEndian(at: offset, width: width)
        }
        guard let linkField = field(20, 4) else { throw CaptureError(.malformed, "pcap file header is cut short") }
        let linkType = UInt32(linkField & 0x0FFF_FFFF)
        var file = CaptureFile(format: .pcap)
        var offset = 24
        while offset < bytes.count {
            guard let seconds = field(offset, 4), let fraction = field(offset + 4, 4),
                let captured = field(offset + 8, 4)
            else {
                throw CaptureError(.malformed, "pcap record header at byte \(offset) is cut short")
            }
            let start = offset + 16
            guard start + Int(captured) <= bytes.count else {
                throw CaptureError(.malformed, "pcap record at byte \(offset) runs past the end of the file")
            }
            let time = Double(seconds) + Double(fraction) / (nanoseconds ? 1e9 : 1e6)
            file.add(LinkLayer.datagram(in: bytes[start..<(start + Int(captured))], linkType: linkType, time: time))
            offset = start + Int(captured)
        }
        return file
    }
}

/// The pcapng format (IETF draft-ietf-opsawg-pcapng): section headers in either byte order,
/// interfaces with their link type and timestamp resolution, enhanced and simple packet blocks.
enum PcapNGFile {
    private struct Interface {
        var linkType: UInt32
        var ticksPerSecond: Double
    }

    static func read(_ bytes: [UInt8]) throws(CaptureError) -> CaptureFile {
        var file = CaptureFile(format: .pcapng)
        var bigEndian = false
        var interfaces: [Interface] = []
        var offset = 0
        func field(_ at: Int, _ width: Int) -> UInt64? {
            bigEndian ? bytes.bigEndian(at: at, width: width) : bytes.littleEndian(at: at, width: width)
        }
        while offset < bytes.count {
            guard let type = bytes.uint32(at: offset) else {
                throw CaptureError(.malformed, "pcapng block at byte \(offset) is cut short")
            }
            if type == 0x0A0D_0D0A {
                guard let magic = bytes.uint32(at: offset + 8) else {
                    throw CaptureError(.malformed, "pcapng section header at byte \(offset) is cut short")
                }
                bigEndian = magic == 0x1A2B_3C4D
                interfaces = []
            }
            guard let blockType = field(offset, 4), let length = field(offset + 4, 4), length >= 12, length % 4 == 0,
                offset + Int(length) <= bytes.count
            else {
                throw CaptureError(.malformed, "pcapng block at byte \(offset) has a length that does not fit the file")
            }
            let body = (offset + 8)..<(offset + Int(length) - 4)
            switch blockType {
            case 1:  // interface description
                guard let link = field(body.lowerBound, 2) else { break }
                interfaces.append(
                    Interface(
                        linkType: UInt32(link),
                        ticksPerSecond: resolution(
                            options: bytes[(body.lowerBound + 8)..<body.upperBound],
                            field: field
                        )
                    )
                )
            case 6:  // enhanced packet
                guard let interfaceID = field(body.lowerBound, 4), interfaces.indices.contains(Int(interfaceID)),
                    let high = field(body.lowerBound + 4, 4), let low = field(body.lowerBound + 8, 4),
                    let captured = field(body.lowerBound + 12, 4),
                    body.lowerBound + 20 + Int(captured) <= body.upperBound
                else {
                    throw CaptureError(.malformed, "pcapng packet block at byte \(offset) is malformed")
                }
                let interface = interfaces[Int(interfaceID)]
                let start = body.lowerBound + 20
                let time = Double(high << 32 | low) / interface.ticksPerSecond
                file.add(
                    LinkLayer.datagram(
                        in: bytes[start..<(start + Int(captured))],
                        linkType: interface.linkType,
                        time: time
                    )
                )
            case 3:  // simple packet: interface 0, no timestamp
                guard let first = interfaces.first else {
                    throw CaptureError(.malformed, "pcapng simple packet block at byte \(offset) before any interface")
                }
                file.add(
                    LinkLayer.datagram(
                        in: bytes[(body.lowerBound + 4)..<body.upperBound],
                        linkType: first.linkType,
                        time: 0
                    )
                )
            default:
                break
            }
            offset += Int(length)
        }
        return file
    }

    /// Ticks per second from an interface's `if_tsresol` option (code 9), else microseconds.
    private static func resolution(options: ArraySlice<UInt8>, field: (Int, Int) -> UInt64?) -> Double {
        var at = options.startIndex
        while at + 4 <= options.endIndex, let code = field(at, 2), let length = field(at + 2, 2), code != 0 {
            if code == 9, length >= 1, at + 4 < options.endIndex {
                let value = options[at + 4]
                let exponent = Double(value & 0x7F)
                return value & 0x80 == 0 ? pow(10, exponent) : pow(2, exponent)
            }
            at += 4 + (Int(length) + 3) / 4 * 4
        }
        return 1e6
    }
}
