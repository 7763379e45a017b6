package import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// What to do with a stream whose participant has no key at the sender's key index.
package enum MissingKeyPolicy: String, Sendable {
    /// Stop with an error (exit 1).
    case fail
    /// Send its frames in clear, as SDKs do by default before a key is set.
    case sendClear
    /// Drop its frames (`discardFrameWhenCryptorNotReady`).
    case discard
}

/// Everything `framecrypt encrypt` needs.
package struct EncryptRequest {
    package var files: FileJob
    package var keys: KeySet
    package var participants: ParticipantAssignment
    /// The sender's key index, written into every frame's trailer.
    package var keyIndex: Int
    /// Makes SSRCs, RTP offsets and container ids reproducible (fixtures only).
    package var seed: UInt64?
    package var missingKey: MissingKeyPolicy
    /// Refuse codecs with no FrameCryptor rule instead of encrypting them under the generic rule.
    package var strict: Bool
    /// SFrame: the first counter of every key and KID (to continue a sequence from an earlier file).
    package var counterStart: UInt64
    /// The job's place among the jobs of its run (``JobAssignment/counterSlot``); nil for a job
    /// that runs alone.
    package var counterSlot: Int?
    /// A session over time: rotations, ratchets, a late key, server frames, damaged frames.
    package var scenario: Scenario?
    /// Whose clear-prefix count to reproduce (``SenderFlavor``).
    package var sender: SenderFlavor
    /// Append LiveKit's packet trailer to every video frame: frame id = frame number + 1, user
    /// timestamp = presentation time in microseconds (zero values are left out, as the SDKs do).
    package var frameMetadata: Bool
    /// The SDK whose receiver the scenario's predictions are for; nil for the native receiver
    /// holding the keys as stated.
    package var receiver: ReceiverProfile? = nil
    /// Write the encrypted frames as RTP packets in a capture instead of a container.
    package var capture: CaptureOutput? = nil
    /// H.264/H.265: encrypt each key frame with the stream's parameter sets in band, as a live
    /// sender's encoder emits them (set for RTP output).
    var sendsParameterSetsInBand = false

    package init(
        files: FileJob,
        keys: KeySet,
        participants: ParticipantAssignment = ParticipantAssignment(),
        keyIndex: Int = 0,
        seed: UInt64? = nil,
        missingKey: MissingKeyPolicy = .fail,
        strict: Bool = false,
        counterStart: UInt64 = 0,
        counterSlot: Int? = nil,
        scenario: Scenario? = nil,
        sender: SenderFlavor = .profile,
        frameMetadata: Bool = false
    ) {
        self.files = files
        self.keys = keys
        self.participants = participants
        self.keyIndex = keyIndex
        self.seed = seed
        self.missingKey = missingKey
        self.strict = strict
        self.counterStart = counterStart
        self.counterSlot = counterSlot
        self.scenario = scenario
        self.sender = sender
        self.frameMetadata = frameMetadata
    }

    /// The SFrame counters the job may use.
    ///
    /// - Throws: ``FrameCryptError`` `.invalidArgument` when the job's range would pass 2^64−1.
    func counters() throws(FrameCryptError) -> SFrameCounterRange {
        guard let counterSlot else { return .single(start: counterStart) }
        return try .batchJob(position: counterSlot, start: counterStart)
    }
}

/// Encrypts media files frame by frame, as live WebRTC senders would.
package enum MediaEncryption {
    /// Encrypts `request.files.input` into `request.output`.
    ///
    /// - Throws: ``FrameCryptError``; no output is left behind.
    package static func run(_ request: EncryptRequest, progress: (JobProgress) -> Void = { _ in })
        throws(FrameCryptError)
        -> ProcessingReport
    {
        guard (0..<request.keys.ringSize).contains(request.keyIndex) else {
            throw FrameCryptError(
                .invalidArgument,
                "key index \(request.keyIndex) is outside the key ring (size \(request.keys.ringSize))"
            )
        }
        if let output = request.capture {
            var inner = request
            inner.capture = nil
            return try CaptureExport.run(inner, output: output, progress: progress)
        }
        var planner = try (request.keys.scheme ?? .webrtcFrameCryptor).encryptionPlanner(request)
        let job = try MediaJob(
            operation: .encrypt,
            files: request.files,
            parsesPackets: true,
            bitExact: request.seed != nil
        )
        let plan = try plan(job.streams, format: job.format, request: request, planner: &planner)
        return try job.pump(plan, progress: progress)
    }

    /// One handler per stream: the scheme's planner encrypts audio and video, other streams are
    /// copied, and a stream whose participant holds no key follows the missing-key policy.
    private static func plan(
        _ streams: [MediaStream],
        format: OutputFormat,
        request: EncryptRequest,
        planner: inout any EncryptionPlanner
    ) throws(FrameCryptError) -> JobPlan {
        let file = request.files.input
        try request.participants.validate(streamCount: streams.count, file: file)
        try planner.check(streams)
        var identities = SenderIdentities(seed: request.seed)
        var handlers: [any StreamHandler] = []
        for stream in streams {
            let description = StreamDescription(
                index: stream.index,
                type: stream.type,
                codec: stream.codecName,
                participant: request.participants.participant(forStream: stream.index)
            )
            var untouched = OutputStreamSpec(copying: stream)
            untouched.metadata = StreamTags.unlabelled(stream.metadata).metadata
            guard let kind = mediaKind(of: stream) else {
                handlers.append(
                    CopyingStream(output: untouched, description: description, action: .copied, encrypting: true)
                )
                continue
            }
            let target = EncryptionTarget(
                stream: stream,
                codec: FrameCodec(kind: kind, name: stream.codecName),
                context: StreamContext(file: file, description: description),
                untouched: untouched,
                format: format
            )
            try description.requireParticipant(if: request.keys.mode == .perParticipant, file: file)
            guard let handler = try planner.handler(for: target, identities: &identities) else {
                handlers.append(try withoutKey(description, stream: stream, format: format, request: request))
                continue
            }
            handlers.append(handler)
        }
        return JobPlan(handlers: handlers, warnings: planner.warnings)
    }

    /// Audio or video that a sender would encrypt; nil for other streams and cover pictures.
    static func mediaKind(of stream: MediaStream) -> MediaKind? {
        guard !stream.disposition.isAttachedPicture else { return nil }
        switch stream.type {
        case .audio: return .audio
        case .video: return .video
        default: return nil
        }
    }

    private static func withoutKey(
        _ description: StreamDescription,
        stream: MediaStream,
        format: OutputFormat,
        request: EncryptRequest
    ) throws(FrameCryptError) -> any StreamHandler {
        let whose = description.participant.map { "participant \($0)" } ?? "the shared key"
        let label = StreamLabel(scheme: StreamLabel.clearScheme, participant: description.participant)
        var output = OutputStreamSpec(copying: stream)
        output.metadata = StreamTags.labelled(stream.metadata, with: label, for: format)
        switch request.missingKey {
        case .fail:
            throw FrameCryptError(
                .keyFailure,
                "\(request.files.input): \(description.label): no key for \(whose) at key index \(request.keyIndex)",
                remedy: .goOnWithoutKey
            )
        case .sendClear:
            return CopyingStream(
                output: output,
                description: description,
                action: .sentClear,
                encrypting: true,
                countingAs: .missingKey
            )
        case .discard:
            return DiscardingStream(output: output, description: description)
        }
    }
}
