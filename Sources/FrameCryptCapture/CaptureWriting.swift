package import FrameCryptFormat

/// A stream of frames to send as RTP: what ``CaptureWriting`` packetizes.
package struct OutgoingStream: Sendable {
    package let codec: FrameCodec
    package let ssrc: UInt32
    package let payloadType: UInt8
    package let clockRate: Int
    /// The picture size, for payload formats that state it (VP9's scalability structure).
    package var size: (width: Int, height: Int)? = nil
    /// Each frame with its RTP timestamp and key flag, in sending order.
    package var frames: [(data: [UInt8], rtpTimestamp: UInt32, seconds: Double, keyFrame: Bool)] = []

    package init(codec: FrameCodec, ssrc: UInt32, payloadType: UInt8, clockRate: Int) {
        self.codec = codec
        self.ssrc = ssrc
        self.payloadType = payloadType
        self.clockRate = clockRate
    }
}

/// Writes frames as RTP packets in a pcap or rtpdump file: payloaded by the same rules the
/// depacketizers read, from 192.0.2.1:5004 to 192.0.2.2:5004 (TEST-NET-1, RFC 5737; one
/// bundled 5-tuple, as WebRTC sends), with sequence numbers that start where `seed` says.
package enum CaptureWriting {
    /// The sender and receiver every written capture names.
    package static let source = Endpoint(address: "192.0.2.1", port: 5004)
    package static let destination = Endpoint(address: "192.0.2.2", port: 5004)
    /// The capture clock of the first packet: 2023-11-14 22:13:20 UTC, fixed so output is reproducible.
    static let startTime = 1_700_000_000.0

    /// The payload types written, by codec (as Chrome's offers commonly number them).
    package static func payloadType(for codec: FrameCodec) -> UInt8 {
        switch codec {
        case .vp8: 96
        case .vp9: 98
        case .h264: 102
        case .h265: 104
        case .av1: 45
        case .opus: 111
        default: 127
        }
    }

    /// Whether framecrypt writes RTP for `codec`.
    package static func payloads(_ codec: FrameCodec) -> Bool {
        codec != .av1 && payloadRules(for: codec) != nil
    }

    /// The capture's bytes.
    ///
    /// - Throws: ``CaptureError`` (`invalidArgument`) for a codec framecrypt cannot payload, or
    ///   (`keyFailure`) when SRTP protection fails.
    package static func write(
        _ streams: [OutgoingStream],
        format: CaptureFormat,
        seed: UInt64,
        srtp: SRTPKeys? = nil
    ) throws(CaptureError) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        let session = try srtp.map { keys throws(CaptureError) in try SRTPSession(keys: keys, outbound: true) }
        var timed: [(time: Double, order: Int, bytes: [UInt8])] = []
        for stream in streams {
            guard let rules = payloadRules(for: stream.codec) else {
                throw CaptureError(.invalidArgument, "framecrypt writes no RTP for \(stream.codec.name)")
            }
            var sequence = UInt16(truncatingIfNeeded: random.next())
            for (number, frame) in stream.frames.enumerated() {
                guard
                    let payloads = rules.packetize(
                        frame.data,
                        keyFrame: frame.keyFrame,
                        pictureID: number,
                        size: stream.size
                    )
                else {
                    throw CaptureError(
                        .invalidArgument,
                        "framecrypt writes no \(stream.codec.name) RTP: a sealed \(stream.codec.name) frame is no OBU stream, and the payload format cuts frames at OBU boundaries (docs/CAPTURES.md)"
                    )
                }
                for (piece, payload) in payloads.enumerated() {
                    let packet = RTPPacket(
                        marker: stream.codec.kind == .video ? piece == payloads.count - 1 : number == 0,
                        payloadType: stream.payloadType,
                        sequenceNumber: sequence,
                        timestamp: frame.rtpTimestamp,
                        ssrc: stream.ssrc,
                        payload: payload
                    )
                    sequence &+= 1
                    var bytes = packet.serialized
                    if let session {
                        bytes = try session.protect(bytes, ssrc: stream.ssrc)
                    }
                    // Packets of one frame leave 0.1 ms apart.
                    timed.append((startTime + frame.seconds + Double(piece) * 0.0001, timed.count, bytes))
                }
            }
        }
        timed.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        let datagrams = timed.map {
            Datagram(time: $0.time, source: source, destination: destination, payload: $0.bytes)
        }
        switch format {
        case .pcap: return PcapWriter.write(datagrams)
        case .rtpdump: return RTPDumpFile.write(datagrams, source: source, destination: destination)
        case .pcapng, .mjr:
            throw CaptureError(
                .invalidArgument,
                "framecrypt writes captures as pcap or rtpdump, not \(format.rawValue)"
            )
        }
    }

    /// An SDP describing `streams` as written, for `--sdp` when reading the capture back.
    package static func sessionDescription(_ streams: [OutgoingStream]) -> String {
        var lines = [
            "v=0", "o=- 0 0 IN IP4 \(source.address)", "s=framecrypt", "c=IN IP4 \(destination.address)", "t=0 0",
        ]
        for stream in streams {
            let media = stream.codec.kind == .audio ? "audio" : "video"
            let name = stream.codec == .opus ? "opus/48000/2" : "\(stream.codec.name.uppercased())/\(stream.clockRate)"
            lines.append("m=\(media) \(destination.port) RTP/AVP \(stream.payloadType)")
            lines.append("a=rtpmap:\(stream.payloadType) \(name)")
            lines.append("a=ssrc:\(stream.ssrc) cname:framecrypt")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
