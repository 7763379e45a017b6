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
        let provider =
            request.keys.scheme == .sframe
            ? nil : BackgroundResult { () throws(FrameCryptError) in try request.keys.makeProvider() }
        defer { provider?.wait() }
        let sframeKeys = request.keys.makeSFrameKeys()
        let job = MediaJob(
            operation: "decrypt",
            files: request.files,
            parsesPackets: false,
            bitExact: false
        )
        return try job.run(
            plan: { (streams, _) throws(FrameCryptError) in
                (try plan(streams, request: request, provider: provider?.value(), sframeKeys: sframeKeys), [])
            },
            progress: progress
        )
    }

    private static func plan(
        _ streams: [MediaStream],
        request: DecryptRequest,
        provider: KeyProvider?,
        sframeKeys: SFrameKeyStore
    ) throws(FrameCryptError) -> [any StreamHandler] {
        try request.participants.validate(streamCount: streams.count, file: request.files.input)
        return try streams.map { (stream) throws(FrameCryptError) in
            let resolved = try ResolvedStream(
                stream,
                file: request.files.input,
                participants: request.participants,
                keys: request.keys
            )
            return try handler(for: resolved, request: request, provider: provider, sframeKeys: sframeKeys)
        }
    }

    private static func handler(
        for resolved: ResolvedStream,
        request: DecryptRequest,
        provider: KeyProvider?,
        sframeKeys: SFrameKeyStore
    ) throws(FrameCryptError) -> any StreamHandler {
        let stream = resolved.stream
        let description = resolved.context.description
        var output = OutputStreamSpec(copying: stream)
        output.metadata = resolved.metadata
        guard let codec = resolved.codec, resolved.role == .media else {
            return CopyingStream(output: output, description: description, action: .copied, encrypting: false)
        }
        try resolved.requireReadableLabel()
        let fileLengthSize = resolved.fileLengthSize
        let sourceLengthSize = resolved.sourceLengthSize ?? EncryptingStream.encryptedLengthSize
        if let fileLengthSize, sourceLengthSize != fileLengthSize {
            output.parameters = try stream.parameters.declaringNALLengthSize(sourceLengthSize, codec: codec)
        }
        try description.requireParticipant(if: request.keys.mode == .perParticipant, file: request.files.input)
        if let suite = resolved.suite {
            let scope = sframeKeys.scope(for: resolved.participant, suite: suite)
            try requireKeys(scope != nil, for: description, request: request)
            return SFrameDecryptingStream(
                output: output,
                context: resolved.context,
                decryptor: SFrameDecryptor(keys: scope),
                suite: suite,
                carriage: SFrameCarriage(codec: codec, nalLengthSize: fileLengthSize),
                sourceLengthSize: fileLengthSize == nil ? nil : sourceLengthSize,
                policy: request.onFailure
            )
        }
        let ring = provider?.keyRing(for: resolved.participant ?? "")
        try requireKeys(ring != nil, for: description, request: request)
        return DecryptingStream(
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
            timeBase: stream.timeBase,
            policy: request.onFailure
        )
    }

    /// Stops the job when a participant has no keys and the policy is fail (its frames would fail
    /// as missingKey one by one otherwise, and nothing is written either way).
    private static func requireKeys(
        _ found: Bool,
        for stream: StreamDescription,
        request: DecryptRequest
    ) throws(FrameCryptError) {
        guard !found, request.onFailure == .fail, let participant = stream.participant else { return }
        throw FrameCryptError(
            .keyFailure,
            "\(request.files.input): \(stream.label): no key for participant \(participant)"
        )
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
