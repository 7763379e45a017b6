import FrameCryptFormat
import FrameCryptMedia

/// Everything `framecrypt decrypt` needs.
public struct DecryptRequest {
    public var files: FileJob
    public var keys: KeySet
    /// Overrides the participants the streams' labels name.
    public var participants: ParticipantAssignment
    /// Ratchet steps to try beyond a stored key (0 disables).
    public var ratchetWindow: Int
    /// The room's server-injected-frame trailer, if any.
    public var serverInjectedTrailer: [UInt8]?
    public var onFailure: FailurePolicy

    public init(
        files: FileJob,
        keys: KeySet,
        participants: ParticipantAssignment = ParticipantAssignment(),
        ratchetWindow: Int = FrameDecryptor.defaultRatchetWindow,
        serverInjectedTrailer: [UInt8]? = nil,
        onFailure: FailurePolicy = .fail
    ) {
        self.files = files
        self.keys = keys
        self.participants = participants
        self.ratchetWindow = ratchetWindow
        self.serverInjectedTrailer = serverInjectedTrailer
        self.onFailure = onFailure
    }
}

/// Decrypts media files frame by frame, as a receiver holding the keys would.
public enum MediaDecryption {
    /// Decrypts `request.files.input` into `request.output`.
    ///
    /// - Throws: ``FrameCryptError``; with the `fail` policy a frame that does not decrypt stops the
    ///   job (exit 1) and no output is left behind.
    public static func run(_ request: DecryptRequest, progress: (JobProgress) -> Void = { _ in })
        throws(FrameCryptError)
        -> ProcessingReport
    {
        let provider = try request.keys.makeProvider()
        let job = MediaJob(
            operation: "decrypt",
            files: request.files,
            parsesPackets: false,
            bitExact: false
        )
        return try job.run(
            plan: { (streams, _) throws(FrameCryptError) in
                (try plan(streams, request: request, provider: provider), [])
            },
            progress: progress
        )
    }

    private static func plan(
        _ streams: [MediaStream],
        request: DecryptRequest,
        provider: KeyProvider
    ) throws(FrameCryptError) -> [any StreamHandler] {
        try request.participants.validate(streamCount: streams.count, file: request.files.input)
        var handlers: [any StreamHandler] = []
        for stream in streams {
            let (label, metadata) = StreamTags.unlabelled(stream.metadata)
            let participant = request.participants.participant(forStream: stream.index) ?? label?.participant
            let description = StreamDescription(
                index: stream.index,
                type: stream.type.rawValue,
                codec: stream.codecName,
                participant: participant
            )
            var output = OutputStreamSpec(copying: stream)
            output.metadata = metadata
            guard let kind = MediaEncryption.mediaKind(of: stream), label?.scheme != StreamLabel.clearScheme else {
                handlers.append(
                    CopyingStream(output: output, description: description, action: .copied, encrypting: false)
                )
                continue
            }
            if let scheme = label?.scheme, scheme != StreamLabel.frameCryptorScheme {
                throw FrameCryptError(
                    .unsupported,
                    "\(request.files.input): \(description.label): scheme \(scheme) is not supported"
                )
            }
            let codec = FrameCodec(kind: kind, name: stream.codecName)
            let ring = try keyRing(for: description, provider: provider, request: request)
            let fileLengthSize = stream.parameters.nalLengthSize(codec: codec)
            let sourceLengthSize = label?.nalLengthSize ?? fileLengthSize ?? EncryptingStream.encryptedLengthSize
            if let fileLengthSize, sourceLengthSize != fileLengthSize {
                output.parameters = try stream.parameters.declaringNALLengthSize(sourceLengthSize, codec: codec)
            }
            handlers.append(
                DecryptingStream(
                    output: output,
                    description: description,
                    file: request.files.input,
                    decryptor: FrameDecryptor(
                        codec: codec,
                        keys: ring,
                        ratchetWindow: request.ratchetWindow,
                        serverInjectedTrailer: request.serverInjectedTrailer
                    ),
                    fileLengthSize: fileLengthSize,
                    sourceLengthSize: sourceLengthSize,
                    policy: request.onFailure
                )
            )
        }
        return handlers
    }

    /// The stream's key ring; nil when the participant has none (frames then fail as missingKey,
    /// and under the fail policy the job stops before writing anything).
    private static func keyRing(
        for stream: StreamDescription,
        provider: KeyProvider,
        request: DecryptRequest
    ) throws(FrameCryptError) -> KeyRing? {
        guard provider.mode == .perParticipant else { return provider.keyRing(for: stream.participant ?? "") }
        guard let participant = stream.participant else {
            throw FrameCryptError(
                .invalidArgument,
                "\(request.files.input): \(stream.label): the stream names no participant; use --participant ID or --map \(stream.index)=ID"
            )
        }
        let ring = provider.keyRing(for: participant)
        if ring == nil && request.onFailure == .fail {
            throw FrameCryptError(
                .keyFailure,
                "\(request.files.input): \(stream.label): no key for participant \(participant)"
            )
        }
        return ring
    }
}

/// The server-injected-frame trailer as the user writes it.
public enum ServerInjectedTrailer {
    /// The trailer's bytes from hex; nil for empty or invalid hex.
    public static func bytes(hex: String) -> [UInt8]? {
        guard let bytes = ByteEncoding.bytes(hex: hex), !bytes.isEmpty else { return nil }
        return bytes
    }
}
