import FrameCryptCapture
import FrameCryptFormat
import Testing

/// The RTP payload formats both ways, the frame assembler's loss rules, RED, RTX and sequence
/// wrap-around, on packets written by framecrypt's own packetizers or built byte by byte from the
/// payload-format specifications.
@Suite("RTP payload formats")
struct PayloadFormatTests {
    /// Frames sent as RTP by `CaptureWriting` and read back by `CaptureReading`.
    static func roundTrip(
        _ frames: [[UInt8]],
        codec: FrameCodec,
        keyFrames: Set<Int> = [0],
        size: (width: Int, height: Int)? = nil
    ) throws -> CaptureStream {
        var stream = OutgoingStream(codec: codec, ssrc: 0x1234_5678, payloadType: 100, clockRate: 90000)
        stream.size = size
        stream.frames = frames.enumerated().map { ($1, UInt32($0 * 3000), Double($0) / 30, keyFrames.contains($0)) }
        let bytes = try CaptureWriting.write([stream], format: .pcap, seed: 1)
        var selection = CaptureSelection()
        try selection.payloadTypes.add(option: "100=\(codec == .h265 ? "h265" : codec.name)")
        let reading = try CaptureReading.read(bytes: bytes, format: .pcap, selection: selection, name: "test")
        return try #require(reading.streams.first)
    }

    /// The RTP payloads framecrypt writes for `frames`.
    static func payloads(_ frames: [[UInt8]], codec: FrameCodec) throws -> [[UInt8]] {
        var stream = OutgoingStream(codec: codec, ssrc: 1, payloadType: 100, clockRate: 90000)
        stream.frames = frames.enumerated().map { ($1, UInt32($0 * 3000), Double($0) / 30, $0 == 0) }
        let file = try CaptureFile.read(try CaptureWriting.write([stream], format: .pcap, seed: 1), format: .pcap)
        return file.datagrams.compactMap { RTPPacket($0.payload)?.payload }
    }

    static func annexB(_ units: [[UInt8]]) -> [UInt8] {
        units.flatMap { [0, 0, 0, 1] + $0 }
    }

    @Test("H.264: parameter sets aggregated (STAP-A), a long slice fragmented (FU-A), frames back exactly")
    func h264() throws {
        // x264's SPS for 1920×1080 (High 4:4:4, 1088 lines cropped to 1080).
        let sps: [UInt8] = [
            0x67, 0xF4, 0x00, 0x28, 0x91, 0x9B, 0x28, 0x0F, 0x00, 0x44, 0xFC, 0x4E, 0x02, 0x20, 0x00, 0x00, 0x03, 0x00,
            0x20, 0x00, 0x00, 0x06, 0x41, 0xE3, 0x06, 0x32, 0xC0,
        ]
        let pps: [UInt8] = [0x68, 0xCE, 0x3C, 0x80]
        let idr = [0x65] + (0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) | 0x01 }
        let delta = [0x41] + (0..<300).map { UInt8(truncatingIfNeeded: $0 * 3 + 1) | 0x01 }
        let frames = [Self.annexB([sps, pps, idr]), Self.annexB([delta])]
        let stream = try Self.roundTrip(frames, codec: .h264)
        #expect(stream.frames.map(\.data) == frames)
        #expect(stream.frames.map(\.keyFrame) == [true, false])
        #expect(stream.incompleteFrames.isEmpty)
        #expect(stream.parameterSets == Self.annexB([sps, pps]))
        let types = try Self.payloads(frames, codec: .h264).map { $0[0] & 0x1F }
        #expect(types.first == 24 && types.contains(28) && types.last == 1, "\(types)")
        // The size comes from the SPS, cropping and all.
        #expect(stream.size?.width == 1920 && stream.size?.height == 1080)
    }

    @Test("H.265: aggregation packets and fragmentation units, frames back exactly")
    func h265() throws {
        let vps: [UInt8] = [0x40, 0x01, 0x0C, 0x01]
        let sps: [UInt8] = [0x42, 0x01, 0x01, 0x02]
        let pps: [UInt8] = [0x44, 0x01, 0xC1, 0x72]
        let idr = [0x26, 0x01] + (0..<4000).map { UInt8(truncatingIfNeeded: $0 * 5 + 1) | 0x01 }
        let trail = [0x02, 0x01] + (0..<200).map { UInt8(truncatingIfNeeded: $0 + 1) | 0x01 }
        let frames = [Self.annexB([vps, sps, pps, idr]), Self.annexB([trail])]
        let stream = try Self.roundTrip(frames, codec: .h265)
        #expect(stream.frames.map(\.data) == frames)
        #expect(stream.frames.map(\.keyFrame) == [true, false])
        let types = try Self.payloads(frames, codec: .h265).map { $0[0] >> 1 & 0x3F }
        #expect(types.first == 48 && types.contains(49) && types.last == 1, "\(types)")
    }

    @Test("VP8 and VP9 (with its scalability structure's size) split over packets and back")
    func vpx() throws {
        let key = [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00] + [UInt8](repeating: 0x5A, count: 3000)
        let delta = [0x31, 0x02, 0x00] + [UInt8](repeating: 0xA5, count: 900)
        let vp8 = try Self.roundTrip([key, delta], codec: .vp8)
        #expect(vp8.frames.map(\.data) == [key, delta])
        #expect(vp8.frames.map(\.keyFrame) == [true, false])
        #expect(vp8.size?.width == 320 && vp8.size?.height == 240)
        let vp9 = try Self.roundTrip([key, delta], codec: .vp9, size: (1280, 720))
        #expect(vp9.frames.map(\.data) == [key, delta])
        #expect(vp9.frames.map(\.keyFrame) == [true, false])
        #expect(vp9.size?.width == 1280 && vp9.size?.height == 720)
    }

    /// A pcap of hand-built RTP packets (payload type, marker, sequence, timestamp, payload).
    static func capture(_ packets: [(UInt8, Bool, UInt16, UInt32, [UInt8])], ssrc: UInt32 = 7) throws -> [UInt8] {
        // An rtpdump file: its first line, a zeroed binary header, then each packet's record.
        var bytes = Array("#!rtpplay1.0 192.0.2.2/5004\n".utf8) + [UInt8](repeating: 0, count: 16)
        for (number, packet) in packets.enumerated() {
            let rtp = RTPPacket(
                marker: packet.1,
                payloadType: packet.0,
                sequenceNumber: packet.2,
                timestamp: packet.3,
                ssrc: ssrc,
                payload: packet.4
            )
            .serialized
            bytes += [
                UInt8((rtp.count + 8) >> 8), UInt8((rtp.count + 8) & 0xFF), UInt8(rtp.count >> 8),
                UInt8(rtp.count & 0xFF),
            ]
            bytes += [0, 0, UInt8(number >> 8), UInt8(number & 0xFF)] + rtp
        }
        return bytes
    }

    static func read(_ bytes: [UInt8], _ options: [String]) throws -> CaptureReading {
        var selection = CaptureSelection()
        for option in options {
            try selection.payloadTypes.add(option: option)
        }
        return try CaptureReading.read(bytes: bytes, format: .rtpdump, selection: selection, name: "test")
    }

    @Test("AV1: OBU elements joined across packets (Z/Y), sizes put back, N marks the key frame")
    func av1() throws {
        let sequenceHeader: [UInt8] = [0x08, 0x00, 0x00, 0x00, 0x42]
        let frameBody = (0..<300).map { UInt8(truncatingIfNeeded: $0) }
        let frameOBU = [0x30] + frameBody
        // Packet 1: N, W=2: the sequence header with its length, then the frame OBU's first part (Y).
        let first = [0x60 | 0x08 | 0x40, UInt8(sequenceHeader.count)] + sequenceHeader + frameOBU.prefix(101)
        // Packet 2: Z, W=1: the rest of the frame OBU.
        let second = [0x80 | 0x10] + frameOBU.dropFirst(101)
        let reading = try Self.read(
            Self.capture([(45, false, 10, 900, first), (45, true, 11, 900, Array(second))]),
            ["45=av1"]
        )
        let frame = try #require(reading.streams.first?.frames.first)
        #expect(frame.keyFrame)
        // Each OBU with obu_has_size_field set and its LEB128 size.
        #expect(frame.data == [0x0A, 0x04, 0x00, 0x00, 0x00, 0x42] + [0x32, 0xAC, 0x02] + frameBody)
    }

    @Test("frames missing a packet are reported with why and never passed on; wrap-around is no loss")
    func lossRules() throws {
        let payload = { (start: Bool) -> [UInt8] in [start ? 0x10 : 0x00] + [UInt8](repeating: 1, count: 20) }
        // Sequence numbers wrap from 65534 to 1. Frame A (65534, 65535, 0) whole; frame B loses its
        // middle packet (2); frame C loses its first (5); frame D loses its last (9, marker).
        let packets: [(UInt8, Bool, UInt16, UInt32, [UInt8])] = [
            (96, false, 65534, 100, payload(true)), (96, false, 65535, 100, payload(false)),
            (96, true, 0, 100, payload(false)),
            (96, false, 1, 200, payload(true)), (96, true, 3, 200, payload(false)),
            (96, false, 6, 300, payload(false)), (96, true, 7, 300, payload(false)),
            (96, false, 8, 400, payload(true)),
            (96, true, 10, 500, payload(true)),
        ]
        let stream = try #require(try Self.read(Self.capture(packets), ["96=vp8"]).streams.first)
        #expect(stream.frames.map(\.rtpTimestamp) == [100, 500])
        #expect(
            stream.incompleteFrames.map(\.reason) == ["packet-lost-inside", "first-packet-lost", "last-packet-lost"]
        )
        #expect(stream.sequence.lost == 4)
        #expect(stream.sequence.lostRanges == [[2, 2], [4, 5], [9, 9]])
        #expect(stream.sequence.firstSequence == 65534)
    }

    @Test("RED: the primary block is each frame; a redundant block restores a lost packet's frame")
    func red() throws {
        let frame = { (n: UInt8) -> [UInt8] in [0x78, n, n, n] }
        // Each packet: a redundant block of the previous frame (offset 960) and the primary.
        let redPayload = { (n: UInt8) -> [UInt8] in
            [0x80 | 111, 0x0F, 0x00, 0x04, 111] + frame(n - 1) + frame(n)
        }
        let packets: [(UInt8, Bool, UInt16, UInt32, [UInt8])] = [
            (63, false, 1, 960, redPayload(1)), (63, false, 2, 1920, redPayload(2)),
            (63, false, 4, 3840, redPayload(4)),
        ]
        let stream = try #require(try Self.read(Self.capture(packets), ["63=red", "111=opus"]).streams.first)
        #expect(stream.codec == .opus)
        #expect(stream.frames.map(\.data) == [frame(1), frame(2), frame(3), frame(4)])
        #expect(stream.redundancyRecovered == 1)
    }

    @Test("RTX: a retransmission restores its packet, named by the SDP's apt and FID group")
    func rtx() throws {
        let start: [UInt8] = [0x10] + [UInt8](repeating: 2, count: 10)
        let rest: [UInt8] = [0x00] + [UInt8](repeating: 3, count: 10)
        var bytes = try Self.capture([(96, false, 20, 900, start), (96, true, 22, 900, rest)], ssrc: 7)
        // The retransmission of packet 21 on SSRC 9: its original sequence number, then the payload.
        bytes += try Self.capture([(97, false, 500, 900, [0, 21] + rest)], ssrc: 9).dropFirst(
            Array("#!rtpplay1.0 192.0.2.2/5004\n".utf8).count + 16
        )
        var selection = CaptureSelection()
        selection.payloadTypes.add(
            sdp: "a=rtpmap:96 VP8/90000\na=rtpmap:97 rtx/90000\na=fmtp:97 apt=96\na=ssrc-group:FID 7 9\n"
        )
        let reading = try CaptureReading.read(bytes: bytes, format: .rtpdump, selection: selection, name: "test")
        let stream = try #require(reading.streams.first)
        #expect(reading.streams.count == 1)
        #expect(stream.retransmissions == 1)
        #expect(
            stream.frames.map(\.data) == [Array(start.dropFirst()) + Array(rest.dropFirst()) + Array(rest.dropFirst())]
        )
        #expect(stream.sequence.lost == 0)
    }

    @Test("a new SSRC on the same endpoints and payload type after the old one stopped is an SSRC change")
    func ssrcChange() throws {
        let opus: [UInt8] = [0x78, 1, 2, 3]
        var bytes = try Self.capture([(111, true, 1, 960, opus), (111, false, 2, 1920, opus)], ssrc: 7)
        let header = Array("#!rtpplay1.0 192.0.2.2/5004\n".utf8).count + 16
        // The second sender's records come later (the record's millisecond field is its index).
        var later = Array(try Self.capture([(111, true, 900, 48000, opus)], ssrc: 8).dropFirst(header))
        later[7] = 10
        bytes += later
        let reading = try Self.read(bytes, ["111=opus"])
        #expect(reading.streams.map(\.ssrc) == [7, 8])
        #expect(reading.findings.map(\.code) == ["ssrc-change"])
        #expect(reading.findings.first?.stream == 1)
    }

    @Test("packet filters: hosts, ports, SSRCs and payload types with and, or, not and parentheses")
    func filters() throws {
        let source = Endpoint(address: "10.0.0.1", port: 5000)
        let destination = Endpoint(address: "10.0.0.2", port: 6000)
        let packet = RTPPacket(
            marker: false,
            payloadType: 96,
            sequenceNumber: 1,
            timestamp: 1,
            ssrc: 0xABCD,
            payload: []
        )
        let cases: [(String, Bool)] = [
            ("src host 10.0.0.1", true), ("dst host 10.0.0.1", false), ("port 6000 and pt 96", true),
            ("ssrc 0xabcd", true), ("not (ssrc 43981 or pt 97)", false), ("udp && portrange 4000-5500", true),
            ("! dst port 6000 || host 10.0.0.9", false),
        ]
        for (text, expected) in cases {
            #expect(
                try PacketFilter(text).matches(source: source, destination: destination, rtp: packet) == expected,
                "\(text)"
            )
        }
        #expect(throws: CaptureError.self) { try PacketFilter("port banana") }
        #expect(throws: CaptureError.self) { try PacketFilter("(host 10.0.0.1") }
    }

    @Test("pcapng: interfaces with their link type and timestamp resolution, either byte order")
    func pcapng() throws {
        let rtp = RTPPacket(
            marker: true,
            payloadType: 111,
            sequenceNumber: 5,
            timestamp: 960,
            ssrc: 3,
            payload: [0x78, 1, 2]
        ).serialized
        // Raw IPv4 (link type 101) with UDP inside, one enhanced packet block, nanosecond clock.
        var ip: [UInt8] = [0x45, 0, 0, UInt8(28 + rtp.count), 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
        ip += [0x13, 0x88, 0x17, 0x70, 0, UInt8(8 + rtp.count), 0, 0] + rtp
        func le32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
        let padded = ip + [UInt8](repeating: 0, count: (4 - ip.count % 4) % 4)
        var bytes =
            le32(0x0A0D_0D0A) + le32(28) + le32(0x1A2B_3C4D) + [1, 0, 0, 0] + [UInt8](repeating: 0xFF, count: 8)
            + le32(28)
        let options: [UInt8] = [9, 0, 1, 0, 9, 0, 0, 0, 0, 0, 0, 0]
        bytes +=
            le32(1) + le32(UInt32(20 + options.count)) + [101, 0, 0, 0] + le32(0) + options
            + le32(UInt32(20 + options.count))
        bytes +=
            le32(6) + le32(UInt32(32 + padded.count)) + le32(0) + le32(0) + le32(1_000_000_000) + le32(UInt32(ip.count))
        bytes += le32(UInt32(ip.count)) + padded + le32(UInt32(32 + padded.count))
        let reading = try CaptureReading.read(
            bytes: bytes,
            format: .pcapng,
            selection: { () throws -> CaptureSelection in
                var selection = CaptureSelection()
                try selection.payloadTypes.add(option: "111=opus")
                return selection
            }(),
            name: "test"
        )
        let stream = try #require(reading.streams.first)
        #expect(stream.frames.map(\.data) == [[0x78, 1, 2]])
        #expect(stream.source.description == "10.0.0.1:5000")
        #expect(stream.firstArrival == 1.0)
    }
}
