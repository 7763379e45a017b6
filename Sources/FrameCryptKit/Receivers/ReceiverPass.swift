package import FrameCryptCapture
package import FrameCryptCore
package import FrameCryptFormat
import FrameCryptMedia

/// What `--receiver` and the doctor ask: a file, the keys the user holds, and the SDK receivers to
/// play its frames through.
package struct ReceiverPassRequest {
    package var input: String
    package var keys: KeySet
    /// Overrides the participants the streams' labels name.
    package var participants: ParticipantAssignment
    package var profiles: [ReceiverProfile]
    /// The room's server-injected-frame trailer, if any.
    package var serverInjectedTrailer: [UInt8]?
    /// Keep every frame's outcome (``ReceiverVerdict/frameStates``), for the HTML report.
    package var recordsFrames = false
    /// How to read the input when it is an RTP capture.
    package var capture = CaptureSelection()

    package init(
        input: String,
        keys: KeySet,
        participants: ParticipantAssignment = ParticipantAssignment(),
        profiles: [ReceiverProfile],
        serverInjectedTrailer: [UInt8]? = nil
    ) {
        self.input = input
        self.keys = keys
        self.participants = participants
        self.profiles = profiles
        self.serverInjectedTrailer = serverInjectedTrailer
    }
}

/// One stream and what each receiver shows for it.
package struct StreamReceiverReport: Sendable, Encodable {
    package let index: Int
    package let kind: StreamType
    package let codec: String
    package let participant: String?
    package let receivers: [ReceiverVerdict]
}

/// Plays every frame of a file's FrameCryptor streams, in order, through SDK receivers.
package enum ReceiverPass {
    /// Reads `request.input` once; each profile gets the keys as its SDK would hold them, derived
    /// once per distinct derivation (profiles that agree share them). A file with no FrameCryptor
    /// audio or video stream (SFrame only, or none) gives no reports.
    ///
    /// - Throws: ``FrameCryptError`` for a missing or malformed input, a bad `--map`, or keys that
    ///   cannot be derived; receiver outcomes are in the reports.
    package static func run(_ request: ReceiverPassRequest, progress: (JobProgress) -> Void = { _ in })
        throws(FrameCryptError) -> [StreamReceiverReport]
    {
        if let report = try PreparedCapture.running(
            request,
            { (inner) throws(FrameCryptError) in try run(inner, progress: progress) }
        ) {
            return report
        }
        let keys = request.keys.cachingDerivations()
        var providers: [KeyProvider] = []
        for profile in request.profiles {
            providers.append(try keys.received(by: profile).makeProvider())
        }
        var reader = try PacketReader(request.input)
        let streams = reader.streams
        try request.participants.validate(streamCount: streams.count, file: request.input)
        var traces: [Int: [ReceiverTrace]] = [:]
        var described: [StreamReceiverReport] = []
        for stream in streams {
            let resolved = try ResolvedStream(
                stream,
                file: request.input,
                participants: request.participants,
                keys: request.keys
            )
            guard let codec = resolved.codec, resolved.suite == nil else { continue }
            try resolved.requireReadableLabel()
            let participant = resolved.participant ?? ""
            traces[stream.index] = zip(request.profiles, providers).map { profile, provider in
                ReceiverTrace(
                    profile: profile,
                    codec: codec,
                    ring: provider.keyRing(for: participant),
                    mode: keys.mode,
                    lengthSize: resolved.fileLengthSize,
                    serverInjectedTrailer: request.serverInjectedTrailer,
                    recordsFrames: request.recordsFrames
                )
            }
            described.append(
                StreamReceiverReport(
                    index: stream.index,
                    kind: stream.type,
                    codec: stream.codecName,
                    participant: resolved.participant,
                    receivers: []
                )
            )
        }
        guard !traces.isEmpty else { return [] }
        var payload: [UInt8] = []
        try reader.forEach(progress: progress) { (packet) throws(FrameCryptError) in
            guard let streamTraces = traces[packet.streamIndex] else { return true }
            packet.copyPayload(into: &payload)
            for trace in streamTraces {
                trace.receive(payload, keyFrame: packet.isKeyFrame)
            }
            return true
        }
        return described.map { stream in
            StreamReceiverReport(
                index: stream.index,
                kind: stream.kind,
                codec: stream.codec,
                participant: stream.participant,
                receivers: (traces[stream.index] ?? []).map(\.verdict)
            )
        }
    }
}
