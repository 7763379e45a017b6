import FrameCryptFormat
import FrameCryptMedia

/// What to do with a stream whose participant has no key at the sender's key index.
public enum MissingKeyPolicy: String, Sendable {
    /// Stop with an error (exit 1).
    case fail
    /// Send its frames in clear, as SDKs do by default before a key is set.
    case sendClear
    /// Drop its frames (`discardFrameWhenCryptorNotReady`).
    case discard
}

/// Everything `framecrypt encrypt` needs.
public struct EncryptRequest {
    public var files: FileJob
    public var keys: KeySet
    public var participants: ParticipantAssignment
    /// The sender's key index, written into every frame's trailer.
    public var keyIndex: Int
    /// Makes SSRCs, RTP offsets and container ids reproducible (fixtures only).
    public var seed: UInt64?
    public var missingKey: MissingKeyPolicy
    /// Refuse codecs with no FrameCryptor rule instead of encrypting them under the generic rule.
    public var strict: Bool
    /// SFrame: the first counter of every key and KID (to continue a sequence from an earlier file).
    public var counterStart: UInt64
    /// The job's place in a batch (from 0), which gives it counters of its own after
    /// `counterStart` (``SFrameCounterRange``); nil for a single file.
    public var batchPosition: Int?
    /// A session over time: rotations, ratchets, a late key, server frames, damaged frames.
    public var scenario: Scenario?
    /// Whose clear-prefix count to reproduce (``SenderFlavor``).
    public var sender: SenderFlavor
    /// Append LiveKit's packet trailer to every video frame: frame id = frame number + 1, user
    /// timestamp = presentation time in microseconds (zero values are left out, as the SDKs do).
    public var frameMetadata: Bool

    public init(
        files: FileJob,
        keys: KeySet,
        participants: ParticipantAssignment = ParticipantAssignment(),
        keyIndex: Int = 0,
        seed: UInt64? = nil,
        missingKey: MissingKeyPolicy = .fail,
        strict: Bool = false,
        counterStart: UInt64 = 0,
        batchPosition: Int? = nil,
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
        self.batchPosition = batchPosition
        self.scenario = scenario
        self.sender = sender
        self.frameMetadata = frameMetadata
    }

    /// The SFrame counters the job may use.
    ///
    /// - Throws: ``FrameCryptError`` `.invalidArgument` when a batch job's range would pass 2^64−1.
    func counters() throws(FrameCryptError) -> SFrameCounterRange {
        guard let batchPosition else { return .single(start: counterStart) }
        return try .batchJob(position: batchPosition, start: counterStart)
    }

    /// True when the job encrypts with SFrame.
    var usesSFrame: Bool {
        keys.scheme == .sframe
    }
}

/// Encrypts media files frame by frame, as live WebRTC senders would.
public enum MediaEncryption {
    /// Encrypts `request.files.input` into `request.output`.
    ///
    /// - Throws: ``FrameCryptError``; no output is left behind.
    public static func run(_ request: EncryptRequest, progress: (JobProgress) -> Void = { _ in })
        throws(FrameCryptError)
        -> ProcessingReport
    {
        guard (0..<request.keys.ringSize).contains(request.keyIndex) else {
            throw FrameCryptError(
                .invalidArgument,
                "key index \(request.keyIndex) is outside the key ring (size \(request.keys.ringSize))"
            )
        }
        if request.counterStart != 0 && !request.usesSFrame {
            throw FrameCryptError(.invalidArgument, "a counter start applies only to the sframe scheme")
        }
        if request.scenario != nil && request.usesSFrame {
            throw FrameCryptError(.invalidArgument, "scenarios apply to the webrtc-framecryptor scheme, not sframe")
        }
        let provider =
            request.usesSFrame
            ? nil : BackgroundResult { () throws(FrameCryptError) in try request.keys.makeProvider() }
        defer { provider?.wait() }
        var sframe =
            request.usesSFrame
            ? SFrameEncryptionPlan(keys: request.keys, keyIndex: request.keyIndex, counters: try request.counters())
            : nil
        let job = MediaJob(
            operation: "encrypt",
            files: request.files,
            parsesPackets: true,
            bitExact: request.seed != nil
        )
        return try job.run(
            plan: { (streams, format) throws(FrameCryptError) in
                try plan(streams, format: format, request: request, provider: provider?.value(), sframe: &sframe)
            },
            progress: progress
        )
    }

    private static func plan(
        _ streams: [MediaStream],
        format: OutputFormat,
        request: EncryptRequest,
        provider: KeyProvider?,
        sframe: inout SFrameEncryptionPlan?
    ) throws(FrameCryptError) -> (handlers: [any StreamHandler], warnings: [String]) {
        try request.participants.validate(streamCount: streams.count, file: request.files.input)
        var identities = SenderIdentities(seed: request.seed)
        let model = request.scenario.map { _ in ReceiverModel(keys: request.keys) }
        if let scenario = request.scenario {
            try ScenarioPlan.check(scenario, streams: streams, file: request.files.input)
        }
        var warnings: [String] = []
        var handlers: [any StreamHandler] = []
        for stream in streams {
            let participant = request.participants.participant(forStream: stream.index)
            let description = StreamDescription(
                index: stream.index,
                type: stream.type.rawValue,
                codec: stream.codecName,
                participant: participant
            )
            var untouched = OutputStreamSpec(copying: stream)
            untouched.metadata = StreamTags.unlabelled(stream.metadata).metadata
            guard let kind = mediaKind(of: stream) else {
                handlers.append(
                    CopyingStream(output: untouched, description: description, action: .copied, encrypting: true)
                )
                continue
            }
            let codec = FrameCodec(kind: kind, name: stream.codecName)
            if sframe != nil {
                try description.requireParticipant(if: request.keys.mode == .perParticipant, file: request.files.input)
                guard let scope = sframe?.scope(for: participant) else {
                    handlers.append(try withoutKey(description, stream: stream, format: format, request: request))
                    continue
                }
                let context = StreamContext(file: request.files.input, description: description)
                if let handler = try sframe?.handler(
                    for: stream,
                    codec: codec,
                    scope: scope,
                    output: untouched,
                    context: context,
                    identities: &identities,
                    format: format
                ) {
                    handlers.append(handler)
                }
                continue
            }
            switch codec {
            case .otherAudio, .otherVideo:
                try unsupported(
                    description,
                    codec: codec,
                    strict: request.strict,
                    file: request.files.input,
                    warnings: &warnings
                )
            default:
                break
            }
            try description.requireParticipant(if: request.keys.mode == .perParticipant, file: request.files.input)
            let ring = provider?.keyRing(for: participant ?? "")
            guard let ring, ring.hasKey(at: request.keyIndex) else {
                let clear = try withoutKey(description, stream: stream, format: format, request: request)
                handlers.append(clear)
                continue
            }
            var scenario: ScenarioStream?
            if let plan = request.scenario, let model {
                scenario = try ScenarioPlan.stream(
                    plan,
                    description: description,
                    codec: codec,
                    keys: request.keys,
                    keyIndex: request.keyIndex,
                    model: model,
                    file: request.files.input
                )
            }
            let sender = identities.next()
            let sendCount = request.scenario?.sendCounter == .random ? identities.nextJSSendCount() : 0
            let sourceLengthSize = stream.parameters.nalLengthSize(codec: codec)
            let label = label(for: request, participant: participant, nalLengthSize: sourceLengthSize)
            var output = untouched
            output.metadata = StreamTags.labelled(untouched.metadata, with: label, for: format)
            if let sourceLengthSize, sourceLengthSize != EncryptingStream.encryptedLengthSize {
                output.parameters = try stream.parameters.declaringNALLengthSize(
                    EncryptingStream.encryptedLengthSize,
                    codec: codec
                )
            }
            handlers.append(
                EncryptingStream(
                    output: output,
                    description: description,
                    file: request.files.input,
                    encryptor: FrameEncryptor(
                        codec: codec,
                        keys: ring,
                        keyIndex: UInt8(request.keyIndex),
                        ssrc: sender.ssrc,
                        sendCount: sendCount,
                        flavor: request.sender
                    ),
                    appendsFrameMetadata: request.frameMetadata && kind == .video,
                    sender: sender,
                    sourceLengthSize: sourceLengthSize,
                    timeBase: stream.timeBase,
                    rtpClockRate: RTPClock.rate(for: codec, sampleRate: stream.parameters.sampleRate),
                    scenario: scenario
                )
            )
        }
        return (handlers, warnings)
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

    private static func unsupported(
        _ stream: StreamDescription,
        codec: FrameCodec,
        strict: Bool,
        file: String,
        warnings: inout [String]
    ) throws(FrameCryptError) {
        let rule = stream.type == "audio" ? "1 clear byte" : "no clear bytes"
        guard !strict else {
            throw FrameCryptError(
                .unsupported,
                "\(file): \(stream.label): codec \(codec.name) has no FrameCryptor rule (without --strict it is encrypted with \(rule))"
            )
        }
        warnings.append(
            "\(file): \(stream.label): codec \(codec.name) has no FrameCryptor rule; encrypted with \(rule)"
        )
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
                "\(request.files.input): \(description.label): no key for \(whose) at key index \(request.keyIndex) (use --send-clear-when-key-missing or --discard-frame-when-cryptor-not-ready to go on without one)"
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

    private static func label(for request: EncryptRequest, participant: String?, nalLengthSize: Int?) -> StreamLabel {
        let parameters = request.keys.parameters
        return StreamLabel(
            scheme: StreamLabel.frameCryptorScheme,
            keyMode: request.keys.mode == .shared ? "shared" : "per-participant",
            participant: participant,
            kdf: parameters.function.rawValue,
            ratchetSalt: String(decoding: parameters.ratchetSalt, as: UTF8.self),
            keyRingSize: request.keys.ringSize,
            keyBits: parameters.keyBits,
            nalLengthSize: nalLengthSize
        )
    }
}
