import FrameCryptMedia

/// Copies a media file packet by packet through real FFmpeg demuxing and muxing, letting a test
/// change chosen packets' bytes: the way to build files that hold one specific defect.
enum PacketSurgery {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Writes `input` to `output` (Matroska family), passing each packet's payload through `change`
    /// with its stream index and its number within that stream, and leaving out the packets `drop`
    /// picks.
    static func rewrite(
        _ input: String,
        to output: String,
        formatName: String = "matroska",
        dropping drop: (_ stream: Int, _ frame: Int) -> Bool = { _, _ in false },
        _ change: (_ stream: Int, _ frame: Int, _ payload: inout [UInt8]) -> Void
    ) throws {
        do {
            var demuxer = try Demuxer(path: input, parsesPackets: false)
            var muxer = try Muxer(path: output, formatName: formatName, bitExact: true, shiftsNegativeTimestamps: false)
            for stream in demuxer.streams {
                try muxer.addStream(OutputStreamSpec(copying: stream))
            }
            try muxer.writeHeader()
            var packet = try Packet()
            var counts = [Int](repeating: 0, count: demuxer.streams.count)
            var payload: [UInt8] = []
            while try demuxer.read(into: &packet) {
                let stream = packet.streamIndex
                packet.copyPayload(into: &payload)
                defer { counts[stream] += 1 }
                guard !drop(stream, counts[stream]) else { continue }
                change(stream, counts[stream], &payload)
                try packet.setPayload(payload)
                try muxer.write(&packet, toStream: stream, from: demuxer.streams[stream].timeBase)
            }
            try muxer.finish()
        } catch {
            throw Failure(description: "rewriting \(input): \(error)")
        }
    }

    /// The payloads of one stream's packets, in order.
    static func payloads(of input: String, stream wanted: Int) throws -> [[UInt8]] {
        do {
            var demuxer = try Demuxer(path: input, parsesPackets: false)
            var packet = try Packet()
            var payloads: [[UInt8]] = []
            while try demuxer.read(into: &packet) {
                guard packet.streamIndex == wanted else { continue }
                var payload: [UInt8] = []
                packet.copyPayload(into: &payload)
                payloads.append(payload)
            }
            return payloads
        } catch {
            throw Failure(description: "reading \(input): \(error)")
        }
    }
}

extension PacketSurgery {
    /// Copies `input` with the picture type of every access-unit delimiter that begins a stream-0
    /// frame (length 2, type 9) changed: authenticated clear bytes a tool rewrote, which nothing can
    /// put back.
    static func changingAccessUnitDelimiters(_ input: String, to output: String) throws {
        try rewrite(input, to: output) { stream, _, payload in
            if stream == 0, payload.starts(with: [0, 0, 0, 2, 0x09]) {
                payload[5] ^= 0x20
            }
        }
    }
}
