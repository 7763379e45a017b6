import FrameCryptCapture
import FrameCryptFormat
import Testing

/// Damaged capture files never crash the readers: each format's valid bytes, mutated thousands of
/// times (bytes changed, cut, repeated), give frames or a ``CaptureError``.
@Suite("hostile captures")
struct HostileCaptureTests {
    /// A valid capture of `format` with VP8 and Opus packets, written by framecrypt.
    static func valid(_ format: CaptureFormat) throws -> [UInt8] {
        let header: [UInt8] = [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00]
        var video = OutgoingStream(codec: .vp8, ssrc: 11, payloadType: 96, clockRate: 90000)
        var audio = OutgoingStream(codec: .opus, ssrc: 12, payloadType: 111, clockRate: 48000)
        for number in 0..<6 {
            let picture: [UInt8] = header + [UInt8](repeating: UInt8(number), count: 1500)
            video.frames.append((picture, UInt32(number * 3000), Double(number) / 30, number == 0))
            let sound: [UInt8] = [0x78, UInt8(number), 1, 2]
            audio.frames.append((sound, UInt32(number * 960), Double(number) / 50, true))
        }
        return try CaptureWriting.write([video, audio], format: format, seed: 3)
    }

    static func selection() throws -> CaptureSelection {
        var selection = CaptureSelection()
        for option in ["96=vp8", "111=opus", "45=av1", "100=h264", "101=h265", "98=vp9", "63=red", "97=rtx:96"] {
            try selection.payloadTypes.add(option: option)
        }
        return selection
    }

    @Test(
        "pcap, rtpdump and a Janus recording, mutated: frames or an error, never a crash",
        arguments: ["pcap", "rtpdump", "mjr"]
    )
    func mutations(format: String) throws {
        let kind = try #require(CaptureFormat(rawValue: format))
        var bytes = try Self.valid(kind == .mjr ? .rtpdump : kind)
        if kind == .mjr {
            // The same packets behind a Janus header and frame headers.
            let reading = try CaptureFile.read(bytes, format: .rtpdump)
            let header = Array("{\"t\":\"v\",\"c\":\"vp8\",\"e\":true}".utf8)
            bytes = Array("MJR00002".utf8) + [0, UInt8(header.count)] + header
            for datagram in reading.datagrams {
                bytes +=
                    Array("MEET".utf8) + [
                        0, 0, 0, 1, UInt8(datagram.payload.count >> 8), UInt8(datagram.payload.count & 0xFF),
                    ]
                bytes += datagram.payload
            }
        }
        let selection = try Self.selection()
        #expect(
            try CaptureReading.read(bytes: bytes, format: kind, selection: selection, name: "valid").streams.count >= 1
        )
        var random = SplitMix64(seed: 2026)
        var outcomes = (read: 0, refused: 0)
        for round in 0..<3000 {
            var mutated = bytes
            switch round % 4 {
            case 0:
                for _ in 0..<Int(random.next() % 8 + 1) {
                    mutated[Int(random.next() % UInt64(mutated.count))] = UInt8(truncatingIfNeeded: random.next())
                }
            case 1:
                mutated = Array(mutated.prefix(Int(random.next() % UInt64(mutated.count))))
            case 2:
                let at = Int(random.next() % UInt64(mutated.count))
                mutated.insert(contentsOf: mutated[at..<min(mutated.count, at + 40)], at: at)
            default:
                // A byte past the fixed headers set to an extreme value (lengths, counts, flags).
                let at = min(mutated.count - 1, 24 + Int(random.next() % 200))
                mutated[at] = random.next() % 2 == 0 ? 0xFF : 0x00
            }
            do {
                _ = try CaptureReading.read(bytes: mutated, format: kind, selection: selection, name: "mutated")
                outcomes.read += 1
            } catch {
                outcomes.refused += 1
            }
        }
        #expect(outcomes.read + outcomes.refused == 3000)
        #expect(outcomes.read > 0 && outcomes.refused > 0)
    }
}
