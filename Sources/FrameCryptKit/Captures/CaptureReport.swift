package import FrameCryptCapture
import FrameCryptFormat

/// What reading a capture found, for `--json` reports of every command that reads one.
package struct CaptureReport: Sendable, Encodable {
    /// `pcap`, `pcapng`, `rtpdump` or `mjr`.
    package let format: String
    package let streams: [CaptureStreamReport]
    /// Packets left out, by kind (`rtcp`, `stun`, `dtls`, `not-selected`, `unmapped-payload-type`…).
    package let skippedPackets: [String: Int]
    /// A Janus recording's end-to-end-encryption flag.
    package let endToEndEncrypted: Bool?
    package let findings: [CaptureFinding]

    init(_ reading: CaptureReading) {
        format = reading.format.rawValue
        streams = reading.streams.enumerated().map { CaptureStreamReport(index: $0.offset, stream: $0.element) }
        var skipped = reading.skipped
        let unmapped = reading.unmappedPayloadTypes.values.reduce(0, +)
        if unmapped > 0 {
            skipped["unmapped-payload-type"] = unmapped
        }
        skippedPackets = skipped
        endToEndEncrypted = reading.recordingEncrypted
        findings = reading.findings
    }
}

/// One RTP stream of a capture: which it is and how whole it arrived.
package struct CaptureStreamReport: Sendable, Encodable {
    /// The stream's index in the job's report.
    package let index: Int
    /// `0x` and eight hex digits.
    package let ssrc: String
    package let payloadType: Int
    package let codec: String
    package let participant: String?
    package let source: String
    package let destination: String
    /// Complete frames, passed on to the job.
    package let frames: Int
    package let sequence: SequenceReport
    /// Frames left out because a packet of theirs was lost or malformed; never decryption failures.
    package let incompleteFrames: Int
    /// The first incomplete frames, with why.
    package let incomplete: [IncompleteFrame]
    /// Frames recovered from RED redundancy.
    package let redundancyRecovered: Int
    /// Packets recovered from RTX retransmissions.
    package let retransmissions: Int
    /// Padding-only packets (bandwidth probes), which carry no frame bytes.
    package let paddingPackets: Int
    /// Video: whether the picture size was found (a clear key-frame header or parameter set, or
    /// VP9's scalability structure); when not, containers written from the capture state a
    /// placeholder.
    package let sizeKnown: Bool?

    init(index: Int, stream: CaptureStream) {
        self.index = index
        ssrc = SSRCText.hex(stream.ssrc)
        payloadType = Int(stream.payloadType)
        codec = stream.codec.name
        participant = stream.participant
        source = stream.source.description
        destination = stream.destination.description
        frames = stream.frames.count
        sequence = stream.sequence
        incompleteFrames = stream.incompleteFrames.count
        incomplete = Array(stream.incompleteFrames.prefix(16))
        redundancyRecovered = stream.redundancyRecovered
        retransmissions = stream.retransmissions
        paddingPackets = stream.paddingPackets
        sizeKnown = stream.codec.kind == .video ? stream.size != nil : nil
    }
}
