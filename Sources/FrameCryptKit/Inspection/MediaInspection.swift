package import FrameCryptCapture
package import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Everything `framecrypt inspect` needs. No keys: inspection reads only what anyone holding the
/// file can read.
package struct InspectRequest: Sendable {
    package var input: String
    /// Streams to examine; nil for all.
    package var streams: Set<Int>?
    /// Frames to examine per stream at most; nil for all.
    package var maxFrames: Int?
    /// The room's server-injected-frame trailer, if known; without it, known blank frames followed
    /// by any bytes count as server-injected.
    package var serverInjectedTrailer: [UInt8]?
    /// Also decode the streams as a server-side recorder would.
    package var probe: ProbeOptions?
    /// Read unlabelled audio and video streams as this scheme; nil to judge FrameCryptor frames by
    /// their bytes. Labelled streams follow their label.
    package var scheme: EncryptionScheme?
    /// How to read the input when it is an RTP capture (pcap, pcapng, rtpdump, Janus `.mjr`).
    package var capture = CaptureSelection()

    package init(
        input: String,
        streams: Set<Int>? = nil,
        maxFrames: Int? = nil,
        serverInjectedTrailer: [UInt8]? = nil,
        probe: ProbeOptions? = nil,
        scheme: EncryptionScheme? = nil
    ) {
        self.input = input
        self.streams = streams
        self.maxFrames = maxFrames
        self.serverInjectedTrailer = serverInjectedTrailer
        self.probe = probe
        self.scheme = scheme
    }
}

/// Tells, without keys, which frames of a file are encrypted and how, and what is wrong with them.
package enum MediaInspection {
    /// Reads `request.input` once, packet by packet, handing each frame's record to `frame` as it goes.
    ///
    /// - Throws: ``FrameCryptError``: input missing (66), not media or corrupt (65), a stream
    ///   number the file does not have (64).
    package static func run(
        _ request: InspectRequest,
        progress: (JobProgress) -> Void = { _ in },
        frame: (FrameRecord) -> Void = { _ in }
    ) throws(FrameCryptError) -> InspectionReport {
        if let report = try PreparedCapture.running(
            request,
            { (inner) throws(FrameCryptError) in try run(inner, progress: progress, frame: frame) }
        ) {
            return report
        }
        var reader = try PacketReader(request.input)
        let snapshotFile = try DecodeProbe.snapshotFile(request.probe)
        let streams = reader.streams
        if let wanted = request.streams, let missing = wanted.sorted().first(where: { $0 >= streams.count }) {
            throw FrameCryptError(
                .invalidArgument,
                "\(request.input): there is no stream \(missing); "
                    + (streams.count == 1
                        ? "the file has one stream, 0" : "the file has streams 0-\(streams.count - 1)")
            )
        }
        let resolved = try streams.filter { request.streams?.contains($0.index) != false }.map {
            (stream) throws(FrameCryptError) in
            try ResolvedStream(
                stream,
                file: request.input,
                participants: ParticipantAssignment(),
                keys: nil,
                assumedScheme: request.scheme
            )
        }
        var inspectors: [(any StreamExaminer)?] = Array(repeating: nil, count: streams.count)
        for stream in resolved {
            inspectors[stream.stream.index] = examiner(for: stream, request: request)
        }
        var nonces = NonceRegistry()
        var counters = SFrameCounterRegistry()
        var payload: [UInt8] = []
        var unfinished = inspectors.compactMap { $0 }.count
        try reader.forEach(progress: progress) { (packet) throws(FrameCryptError) in
            guard unfinished > 0 else { return false }
            guard inspectors.indices.contains(packet.streamIndex), let inspector = inspectors[packet.streamIndex] else {
                return true
            }
            if let maxFrames = request.maxFrames, inspector.frames >= maxFrames {
                return true
            }
            packet.copyPayload(into: &payload)
            let record = inspector.examine(payload, pts: packet.pts ?? packet.dts, keyFrame: packet.isKeyFrame)
            if record.state == .encrypted, let keyIndex = record.keyIndex, let iv = record.iv {
                nonces.record(
                    scope: inspector.keyScope,
                    keyIndex: keyIndex,
                    iv: iv,
                    stream: inspector.index,
                    frame: record.frame
                )
            }
            if let header = record.sframeHeader {
                counters.record(scope: inspector.keyScope, header: header, stream: inspector.index, frame: record.frame)
            }
            frame(record)
            if let maxFrames = request.maxFrames, inspector.frames == maxFrames {
                unfinished -= 1
            }
            return true
        }
        let examined = inspectors.compactMap { $0 }
        return InspectionReport(
            file: request.input,
            container: reader.formatName,
            streams: examined.map(\.report),
            findings: findings(
                examined,
                labels: resolved.compactMap(labelFinding),
                nonces: nonces,
                counters: counters.findings(complete: request.streams == nil && request.maxFrames == nil)
            ),
            probe: try request.probe.map { options throws(FrameCryptError) in
                try DecodeProbe.run(
                    options,
                    input: request.input,
                    selected: request.streams,
                    snapshotFile: snapshotFile
                )
            }
        )
    }

    /// The reader of one stream: SFrame for streams labelled so (or all audio and video with
    /// `--scheme sframe`), FrameCryptor judged frame by frame otherwise.
    private static func examiner(for resolved: ResolvedStream, request: InspectRequest) -> any StreamExaminer {
        if let codec = resolved.codec, resolved.role == .media, resolved.scheme == .sframe {
            return SFrameStreamInspector(resolved, codec: codec)
        }
        return StreamInspector(resolved, serverInjectedTrailer: request.serverInjectedTrailer)
    }

    /// A malformed label's finding: the label is set aside and the frames are judged by their bytes.
    private static func labelFinding(_ resolved: ResolvedStream) -> Finding? {
        resolved.labelFault.map { fault in
            Finding(
                code: .malformedLabel,
                stream: resolved.stream.index,
                frames: [],
                message:
                    "malformed stream label: \(fault), so the file was changed after it was written; the label is ignored and the frames are judged by their bytes"
            )
        }
    }

    /// Per-stream findings, then IV or counter reuse, counter gaps and SSRC collisions, ordered by
    /// stream.
    private static func findings(
        _ inspectors: [any StreamExaminer],
        labels: [Finding],
        nonces: NonceRegistry,
        counters: [Finding]
    ) -> [Finding] {
        var findings = labels + inspectors.flatMap(\.findings) + nonces.findings + counters
        var owners: [UInt32: Int] = [:]
        for case let inspector as StreamInspector in inspectors {
            guard let ssrc = inspector.ssrc else { continue }
            if let owner = owners[ssrc] {
                findings.append(
                    Finding(
                        code: .ssrcCollision,
                        stream: inspector.index,
                        otherStream: owner,
                        frames: [],
                        message:
                            "streams \(owner) and \(inspector.index) use the same SSRC \(hex32(ssrc)): their IVs repeat whenever RTP timestamps and send counts line up, and an SFU cannot tell the senders apart"
                    )
                )
            } else {
                owners[ssrc] = inspector.index
            }
        }
        let order = Dictionary(uniqueKeysWithValues: FindingCode.allCases.enumerated().map { ($1, $0) })
        return findings.sorted {
            ($0.stream, order[$0.code] ?? 0, $0.otherStream ?? -1) < (
                $1.stream, order[$1.code] ?? 0, $1.otherStream ?? -1
            )
        }
    }
}
