package import FrameCryptCapture
package import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Everything `framecrypt decrypt` needs.
package struct DecryptRequest {
    package var files: FileJob
    package var keys: KeySet
    /// Overrides the participants the streams' labels name.
    package var participants: ParticipantAssignment
    /// Ratchet steps to try beyond a stored key (0 disables).
    package var ratchetWindow: Int
    /// The room's server-injected-frame trailer, if any.
    package var serverInjectedTrailer: [UInt8]?
    package var onFailure: FailurePolicy
    /// The SDK receiver to decrypt as (its ratchet search, tolerance, KDF, codecs and filters);
    /// nil for framecrypt's own receiver, which opens every frame the format allows.
    package var receiver: ReceiverProfile?
    /// How to read the input when it is an RTP capture (pcap, pcapng, rtpdump, Janus `.mjr`).
    package var capture = CaptureSelection()

    package init(
        files: FileJob,
        keys: KeySet,
        participants: ParticipantAssignment = ParticipantAssignment(),
        ratchetWindow: Int = FrameDecryptor.defaultRatchetWindow,
        serverInjectedTrailer: [UInt8]? = nil,
        onFailure: FailurePolicy = .fail,
        receiver: ReceiverProfile? = nil
    ) {
        self.files = files
        self.keys = keys
        self.participants = participants
        self.ratchetWindow = ratchetWindow
        self.serverInjectedTrailer = serverInjectedTrailer
        self.onFailure = onFailure
        self.receiver = receiver
    }
}

/// Decrypts media files frame by frame, as a receiver holding the keys would.
package enum MediaDecryption {
    /// Decrypts `request.files.input` into `request.output`.
    ///
    /// - Throws: ``FrameCryptError``; with the `fail` policy a frame that does not decrypt stops the
    ///   job (exit 1) and no output is left behind.
    package static func run(_ request: DecryptRequest, progress: (JobProgress) -> Void = { _ in })
        throws(FrameCryptError)
        -> ProcessingReport
    {
        if let report = try PreparedCapture.running(
            request,
            { (inner) throws(FrameCryptError) in
                // A capture has no container family to follow: without a format or a known output
                // extension (a batch's default name keeps the capture's), write Matroska.
                var inner = inner
                if inner.files.format == nil && OutputFormat.named(byExtensionOf: inner.files.output) == nil {
                    inner.files.format = .mkv
                }
                return try run(inner, progress: progress)
            }
        ) {
            return report
        }
        // Planners for every scheme the keys may serve, made before the input is opened: they
        // derive keys while it is.
        let schemes = request.keys.scheme.map { [$0] } ?? EncryptionScheme.allCases
        let planners = Dictionary(uniqueKeysWithValues: schemes.map { ($0, $0.decryptionPlanner(request)) })
        let job = try MediaJob(
            operation: .decrypt,
            files: request.files,
            parsesPackets: false,
            bitExact: false
        )
        let plan = try plan(job.streams, request: request, planners: planners)
        var report = try job.pump(plan, progress: progress)
        report.receiver = request.receiver?.name
        return report
    }

    /// One handler per stream, resolved by the one rule (``ResolvedStream``): its scheme's planner
    /// decrypts audio and video, other streams and streams sent in clear are copied.
    private static func plan(
        _ streams: [MediaStream],
        request: DecryptRequest,
        planners: [EncryptionScheme: any DecryptionPlanner]
    ) throws(FrameCryptError) -> JobPlan {
        try request.participants.validate(streamCount: streams.count, file: request.files.input)
        var handlers: [any StreamHandler] = []
        for stream in streams {
            let resolved = try ResolvedStream(
                stream,
                file: request.files.input,
                participants: request.participants,
                keys: request.keys
            )
            var output = OutputStreamSpec(copying: stream)
            output.metadata = resolved.metadata
            guard let codec = resolved.codec, resolved.role == .media, let planner = planners[resolved.scheme] else {
                let description = resolved.context.description
                handlers.append(
                    CopyingStream(output: output, description: description, action: .copied, encrypting: false)
                )
                continue
            }
            try resolved.requireReadableLabel()
            if let fileLengthSize = resolved.fileLengthSize, let source = resolved.sourceLengthSize,
                source != fileLengthSize
            {
                output.parameters = try stream.parameters.declaringNALLengthSize(source, codec: codec)
            }
            try resolved.context.description.requireParticipant(
                if: request.keys.mode == .perParticipant,
                file: request.files.input
            )
            handlers.append(try planner.handler(for: resolved, codec: codec, output: output))
        }
        return JobPlan(handlers: handlers)
    }
}

extension DecryptRequest {
    /// Stops the job when a participant has no keys and the policy is fail (its frames would fail
    /// as missingKey one by one otherwise, and nothing is written either way).
    func requireKeys(_ found: Bool, for resolved: ResolvedStream) throws(FrameCryptError) {
        guard !found, onFailure == .fail, let participant = resolved.participant else { return }
        throw resolved.context.streamFailure(.keyFailure, "no key for participant \(participant)")
    }
}

/// The server-injected-frame trailer as the user writes it.
package enum ServerInjectedTrailer {
    /// The trailer's bytes from hex; nil for empty or invalid hex.
    package static func bytes(hex: String) -> [UInt8]? {
        guard let bytes = ByteEncoding.bytes(hex: hex), !bytes.isEmpty else { return nil }
        return bytes
    }
}
