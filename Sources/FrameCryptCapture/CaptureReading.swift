import Foundation
import FrameCryptFormat

/// A capture read into frames: its streams, what was skipped and what a forensic reader should
/// know about its continuity.
package struct CaptureReading: Sendable {
    package let format: CaptureFormat
    package var streams: [CaptureStream]
    /// Packets that were not RTP of a selected stream, by kind: `stun`, `dtls`, `rtcp`, `other`,
    /// `not-udp`…, `unmapped-payload-type`, `not-selected`, `srtp-unauthenticated`.
    package var skipped: [String: Int]
    /// Payload types seen that no `--sdp`/`--pt` mapped, with their packet counts.
    package var unmappedPayloadTypes: [UInt8: Int]
    package var findings: [CaptureFinding]
    /// A Janus recording's E2EE flag.
    package var recordingEncrypted: Bool?

    /// Reads and depacketizes the capture at `path` (`format` detected from its first bytes).
    ///
    /// - Throws: ``CaptureError``: a malformed file; no RTP stream with a mapped codec (naming the
    ///   payload types seen); an SSRC or participant option that names no stream.
    package static func read(path: String, format: CaptureFormat, selection: CaptureSelection) throws(CaptureError)
        -> CaptureReading
    {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CaptureError(.invalidArgument, "\(path): cannot be read")
        }
        return try read(bytes: Array(data), format: format, selection: selection, name: path)
    }

    /// Reads and depacketizes capture `bytes`; `name` is what messages call it.
    package static func read(bytes: [UInt8], format: CaptureFormat, selection: CaptureSelection, name: String)
        throws(CaptureError) -> CaptureReading
    {
        let file = try CaptureFile.read(bytes, format: format)
        var reader = CaptureReader(file: file, selection: selection, name: name)
        return try reader.read()
    }
}

/// Something about a capture's packets that a receiver would have met: loss, reordering,
/// duplicates, frames left incomplete, an SSRC that changed, packets SRTP did not authenticate.
package struct CaptureFinding: Sendable, Encodable {
    /// `packet-loss`, `packet-reordering`, `duplicate-packets`, `incomplete-frames`, `ssrc-change`,
    /// `srtp-unauthenticated`, `unparsed-payloads`.
    package let code: String
    package let stream: Int?
    /// Frames (complete frames' indices in the stream) the finding concerns: for loss, the frames
    /// right after each gap.
    package let frames: [Int]
    package let message: String
}

/// "1 packet", "3 packets".
func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}

/// The work of ``CaptureReading/read(path:format:selection:)``.
struct CaptureReader {
    let file: CaptureFile
    var selection: CaptureSelection
    let name: String

    private struct Collected {
        var tracker = SequenceTracker()
        var payloadType: UInt8
        var source: Endpoint
        var destination: Endpoint
        var first: Double
        var last: Double
    }

    mutating func read() throws(CaptureError) -> CaptureReading {
        var skipped: [String: Int] = [:]
        for (reason, count) in file.skipped {
            skipped[reason.rawValue, default: 0] += count
        }
        if let recording = file.recording {
            try mapRecording(recording)
        }
        let session = try selection.srtp.map { keys throws(CaptureError) in try SRTPSession(keys: keys, outbound: false)
        }
        var collected: [UInt32: Collected] = [:]
        var order: [UInt32] = []
        var unmapped: [UInt8: Int] = [:]
        var retransmitted: [(ssrc: UInt32, packet: RTPPacket, time: Double, associated: UInt8)] = []
        var opened: Set<[UInt32]> = []
        for datagram in file.datagrams {
            if let filter = selection.filter, !filter.needsRTP,
                !filter.matches(source: datagram.source, destination: datagram.destination, rtp: nil)
            {
                skipped["not-selected", default: 0] += 1
                continue
            }
            let kind = PacketClass(datagram.payload)
            guard kind == .rtp, var packet = RTPPacket(datagram.payload) else {
                skipped[kind == .rtp ? "malformed-rtp" : kind.rawValue, default: 0] += 1
                continue
            }
            if let filter = selection.filter,
                !filter.matches(source: datagram.source, destination: datagram.destination, rtp: packet)
            {
                skipped["not-selected", default: 0] += 1
                continue
            }
            if !selection.ssrcs.isEmpty && !selection.ssrcs.contains(packet.ssrc)
                && selection.payloadTypes.retransmissionSSRCs[packet.ssrc].map(selection.ssrcs.contains) != true
            {
                skipped["not-selected", default: 0] += 1
                continue
            }
            if let session {
                // A copy already opened is a duplicate: libsrtp's replay check would refuse it.
                let key = [packet.ssrc, UInt32(packet.sequenceNumber), packet.timestamp]
                if opened.contains(key) {
                    collected[packet.ssrc]?.tracker.add(packet, time: datagram.time)
                    continue
                }
                guard let clear = session.unprotect(datagram.payload, ssrc: packet.ssrc), let parsed = RTPPacket(clear)
                else {
                    skipped["srtp-unauthenticated", default: 0] += 1
                    continue
                }
                opened.insert(key)
                packet = parsed
            }
            switch selection.payloadTypes[packet.payloadType] {
            case nil:
                unmapped[packet.payloadType, default: 0] += 1
                continue
            case .rtx(let associated):
                retransmitted.append((packet.ssrc, packet, datagram.time, associated))
                continue
            case .media, .red:
                break
            }
            if !selection.payloadTypeFilter.isEmpty && !selection.payloadTypeFilter.contains(packet.payloadType) {
                skipped["not-selected", default: 0] += 1
                continue
            }
            if collected[packet.ssrc] == nil {
                order.append(packet.ssrc)
                collected[packet.ssrc] = Collected(
                    payloadType: packet.payloadType,
                    source: datagram.source,
                    destination: datagram.destination,
                    first: datagram.time,
                    last: datagram.time
                )
            }
            guard collected[packet.ssrc]?.payloadType == packet.payloadType else {
                skipped["payload-type-switch", default: 0] += 1
                continue
            }
            collected[packet.ssrc]?.tracker.add(packet, time: datagram.time)
            collected[packet.ssrc]?.last = datagram.time
        }
        var recoveredPackets: [UInt32: Int] = [:]
        for (rtxSSRC, packet, time, associated) in retransmitted {
            guard let media = mediaSSRC(ofRetransmission: rtxSSRC, associated: associated, in: collected),
                let original = packet.payload.uint16(at: 0)
            else {
                skipped["rtx-unassigned", default: 0] += 1
                continue
            }
            var restored = packet
            restored.ssrc = media
            restored.payloadType = associated
            restored.sequenceNumber = original
            restored.payload = Array(packet.payload.dropFirst(2))
            if collected[media]?.tracker.contains(restored.sequenceNumber) == false,
                collected[media]?.tracker.add(restored, time: time, retransmission: true) == true
            {
                recoveredPackets[media, default: 0] += 1
            }
        }
        if order.isEmpty {
            throw nothingSelected(unmapped: unmapped, skipped: skipped)
        }
        try checkParticipants(order)
        var streams: [CaptureStream] = []
        var findings: [CaptureFinding] = []
        for ssrc in order {
            guard let entry = collected[ssrc] else { continue }
            var stream = try assemble(ssrc: ssrc, entry)
            stream.retransmissions = recoveredPackets[ssrc] ?? 0
            findings += Self.findings(for: stream, index: streams.count)
            streams.append(stream)
        }
        findings += Self.ssrcChanges(streams)
        if let failed = skipped["srtp-unauthenticated"] {
            findings.append(
                CaptureFinding(
                    code: "srtp-unauthenticated",
                    stream: nil,
                    frames: [],
                    message: "\(counted(failed, "RTP packet")) did not authenticate under any SRTP key given; left out"
                )
            )
        }
        return CaptureReading(
            format: file.format,
            streams: streams,
            skipped: skipped,
            unmappedPayloadTypes: unmapped,
            findings: findings,
            recordingEncrypted: file.recording?.endToEndEncrypted
        )
    }

    /// A Janus recording names its codec but not its payload type: the type of its first packet
    /// gets the codec unless `--pt` or `--sdp` mapped it already.
    private mutating func mapRecording(_ recording: MJRHeader) throws(CaptureError) {
        guard recording.type != "d" else {
            throw CaptureError(.invalidArgument, "\(name): a Janus data-channel recording holds no media")
        }
        guard let format = PayloadFormat(name: recording.codec) else {
            throw CaptureError(
                .invalidArgument,
                "\(name): Janus recording of codec \(recording.codec), which framecrypt cannot depacketize"
            )
        }
        var types = Set(file.datagrams.compactMap { RTPPacket($0.payload)?.payloadType })
        if let red = recording.redPayloadType {
            types.remove(red)
            if selection.payloadTypes[red] == nil {
                selection.payloadTypes.map(red, to: .red(primary: nil))
            }
        }
        for type in types where selection.payloadTypes[type] == nil {
            selection.payloadTypes.map(type, to: format)
        }
    }

    private func mediaSSRC(ofRetransmission ssrc: UInt32, associated: UInt8, in collected: [UInt32: Collected])
        -> UInt32?
    {
        if let media = selection.payloadTypes.retransmissionSSRCs[ssrc], collected[media] != nil {
            return media
        }
        let candidates = collected.filter { $0.value.payloadType == associated }.map(\.key)
        return candidates.count == 1 ? candidates[0] : nil
    }

    private func checkParticipants(_ ssrcs: [UInt32]) throws(CaptureError) {
        if let missing = selection.participants.keys.sorted().first(where: { !ssrcs.contains($0) }) {
            throw CaptureError(
                .invalidArgument,
                "\(name): --map names SSRC \(missing) (\(SSRCText.hex(missing))), which no selected stream has; the capture's SSRCs: \(ssrcs.map { String($0) }.joined(separator: ", "))"
            )
        }
    }

    private func nothingSelected(unmapped: [UInt8: Int], skipped: [String: Int]) -> CaptureError {
        if !unmapped.isEmpty {
            let types = unmapped.keys.sorted().map { "\($0) (\(unmapped[$0] ?? 0) packets)" }.joined(separator: ", ")
            return CaptureError(
                .invalidArgument,
                "\(name): no RTP stream has a known codec: payload types \(types) are not mapped; give --sdp FILE or --pt PT=CODEC (\(unmapped.keys.sorted()[0])=vp8…)"
            )
        }
        if let failed = skipped["srtp-unauthenticated"] {
            return CaptureError(
                .keyFailure,
                "\(name): none of \(failed) SRTP packets authenticated under the SRTP keys given"
            )
        }
        let seen = skipped.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        return CaptureError(
            .invalidArgument,
            "\(name): no RTP stream selected (\(seen.isEmpty ? "the capture holds no UDP packets" : "packets: " + seen.joined(separator: ", ")))"
        )
    }

    /// Puts one SSRC's packets together into frames.
    private func assemble(ssrc: UInt32, _ entry: Collected) throws(CaptureError) -> CaptureStream {
        let payloadType = entry.payloadType
        var codec: FrameCodec
        var clockRate: Int
        var red = false
        switch selection.payloadTypes[payloadType] {
        case .media(let mapped, let rate):
            (codec, clockRate) = (mapped, rate)
        case .red:
            guard let primary = selection.payloadTypes.redPrimaryCodec(of: payloadType) else {
                throw CaptureError(
                    .invalidArgument,
                    "\(name): SSRC \(ssrc) sends RED (payload type \(payloadType)) but no audio codec is mapped for its blocks; add --pt 111=opus or an SDP with the RED fmtp line"
                )
            }
            (codec, clockRate, red) = (primary.codec, primary.clockRate, true)
        default:
            throw CaptureError(.invalidArgument, "\(name): payload type \(payloadType) has no codec")
        }
        guard let rules = payloadRules(for: codec) else {
            throw CaptureError(.invalidArgument, "\(name): no depacketizer for \(codec.name)")
        }
        var stream = CaptureStream(
            ssrc: ssrc,
            payloadType: payloadType,
            codec: codec,
            clockRate: clockRate,
            source: entry.source,
            destination: entry.destination,
            participant: selection.participants[ssrc],
            sequence: entry.tracker.report,
            firstArrival: entry.first,
            lastArrival: entry.last
        )
        let assembler = FrameAssembler(rules: rules, tracker: entry.tracker, audio: codec.kind == .audio)
        if red {
            assembler.assembleRED(into: &stream)
        } else {
            assembler.assemble(into: &stream)
        }
        return stream
    }

    /// The continuity findings of one stream.
    static func findings(for stream: CaptureStream, index: Int) -> [CaptureFinding] {
        var findings: [CaptureFinding] = []
        let label = "SSRC \(SSRCText.hex(stream.ssrc)) (\(stream.codec.name))"
        let sequence = stream.sequence
        if sequence.lost > 0 {
            let frames = stream.framesAfterLoss
            findings.append(
                CaptureFinding(
                    code: "packet-loss",
                    stream: index,
                    frames: Array(frames.prefix(64)),
                    message:
                        "\(label): \(sequence.lost) of \(counted(sequence.packets + sequence.lost, "packet")) lost in "
                        + counted(sequence.lostRanges.count, "gap")
                        + (sequence.lostRanges.count == SequenceReport.listedRanges ? " or more" : "")
                        + (stream.retransmissions > 0
                            ? ", after \(counted(stream.retransmissions, "packet")) recovered by retransmission" : "")
                )
            )
        }
        if sequence.reordered > 0 {
            findings.append(
                CaptureFinding(
                    code: "packet-reordering",
                    stream: index,
                    frames: [],
                    message:
                        "\(label): \(counted(sequence.reordered, "packet")) arrived after a later one; put back in sequence order"
                )
            )
        }
        if sequence.duplicates > 0 {
            findings.append(
                CaptureFinding(
                    code: "duplicate-packets",
                    stream: index,
                    frames: [],
                    message:
                        "\(label): \(counted(sequence.duplicates, "packet")) arrived more than once; each copy after the first is ignored"
                )
            )
        }
        if !stream.incompleteFrames.isEmpty {
            let reasons = Dictionary(grouping: stream.incompleteFrames, by: \.reason).map {
                "\($0.value.count) \($0.key)"
            }
            .sorted().joined(separator: ", ")
            findings.append(
                CaptureFinding(
                    code: "incomplete-frames",
                    stream: index,
                    frames: Array(stream.incompleteFrames.map(\.after).prefix(64)),
                    message:
                        "\(label): \(counted(stream.incompleteFrames.count, "frame")) could not be put together (\(reasons)); left out, not counted as decryption failures"
                )
            )
        }
        return findings
    }

    /// Streams that take over another's endpoints and payload type after it stopped: an SSRC change.
    static func ssrcChanges(_ streams: [CaptureStream]) -> [CaptureFinding] {
        var findings: [CaptureFinding] = []
        for (index, stream) in streams.enumerated() {
            let earlier = streams[..<index].filter {
                $0.payloadType == stream.payloadType && $0.source == stream.source
                    && $0.destination == stream.destination
                    && $0.lastArrival <= stream.firstArrival
            }
            if let previous = earlier.max(by: { $0.lastArrival < $1.lastArrival }) {
                findings.append(
                    CaptureFinding(
                        code: "ssrc-change",
                        stream: index,
                        frames: [],
                        message:
                            "SSRC changed from \(SSRCText.hex(previous.ssrc)) to \(SSRCText.hex(stream.ssrc)) on \(stream.source) → \(stream.destination) (payload type \(stream.payloadType)): a restarted sender or a new track; the IVs' SSRC follows the sender's own"
                    )
                )
            }
        }
        return findings
    }
}
