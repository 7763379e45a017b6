package import FrameCryptCapture
package import FrameCryptCore
package import FrameCryptFormat
import FrameCryptMedia

/// Everything `framecrypt verify-keys` needs.
package struct VerifyKeysRequest {
    package var input: String
    package var keys: KeySet
    /// Overrides the participants the streams' labels name.
    package var participants: ParticipantAssignment
    /// Frames checked per key index of each stream; nil checks every frame.
    package var framesPerKeyIndex: Int?
    /// Ratchet steps searched beyond each given key.
    package var ratchetWindow: Int
    /// SDK receivers to play every frame through as well (`--receiver`).
    package var receivers: [ReceiverProfile] = []
    /// The room's server-injected-frame trailer, for the receivers.
    package var serverInjectedTrailer: [UInt8]? = nil
    /// How to read the input when it is an RTP capture (pcap, pcapng, rtpdump, Janus `.mjr`).
    package var capture = CaptureSelection()

    /// Frames checked per key index unless asked otherwise.
    package static let defaultFramesPerKeyIndex = 10

    package init(
        input: String,
        keys: KeySet,
        participants: ParticipantAssignment = ParticipantAssignment(),
        framesPerKeyIndex: Int? = defaultFramesPerKeyIndex,
        ratchetWindow: Int = FrameDecryptor.defaultRatchetWindow
    ) {
        self.input = input
        self.keys = keys
        self.participants = participants
        self.framesPerKeyIndex = framesPerKeyIndex
        self.ratchetWindow = ratchetWindow
    }
}

/// The outcome of `verify-keys`: one entry per audio and video stream.
package struct KeyVerificationReport: Sendable, Encodable {
    /// True when every encrypted stream is `ok`, `ratcheted` or `header-restored`, and every
    /// receiver asked for delivers every frame.
    package let ok: Bool
    package var file: String
    package let streams: [StreamKeyReport]
    /// With `--receiver`: what each SDK receiver shows per stream.
    package var receivers: [StreamReceiverReport]? = nil
    /// The input was an RTP capture: its streams, continuity and what was skipped.
    package var capture: CaptureReport? = nil
}

/// Which key authenticates one stream's frames. Keys appear only as fingerprints.
package struct StreamKeyReport: Sendable, Encodable {
    package let index: Int
    package let kind: StreamType
    package let codec: String
    package let participant: String?
    /// The worst status over the stream's key indices.
    package let status: KeyStatus
    /// The key index the status comes from (the stream's first when all agree).
    package let keyIndex: Int?
    /// Ratchet steps from the given key to the sender's, at that key index.
    package let ratchetSteps: Int
    package let framesChecked: Int
    package let framesFailed: Int
    package let keyFingerprint: String?
    /// Each key index the stream's frames use.
    package let keyIndices: [KeyIndexCheck]
    /// For a wrong key in per-participant mode: the other participant whose key authenticates the frames.
    package let authenticatesWith: String?
    /// One line saying what the status means for this stream.
    package let message: String

    private enum CodingKeys: String, CodingKey {
        case index, kind, codec, participant, status, keyIndex, ratchetSteps, framesChecked, framesFailed
        case keyFingerprint, keyIndices, authenticatesWith, message
    }

    /// This report with another status and message, for a verdict that needs the file's other streams.
    func replacingStatus(_ status: KeyStatus, message: String) -> StreamKeyReport {
        StreamKeyReport(
            index: index,
            kind: kind,
            codec: codec,
            participant: participant,
            status: status,
            keyIndex: keyIndex,
            ratchetSteps: ratchetSteps,
            framesChecked: framesChecked,
            framesFailed: framesFailed,
            keyFingerprint: keyFingerprint,
            keyIndices: keyIndices,
            authenticatesWith: authenticatesWith,
            message: message
        )
    }

    /// Every field is written, absent ones as null, so that scripts find the documented shape.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(kind, forKey: .kind)
        try container.encode(codec, forKey: .codec)
        try container.encode(participant, forKey: .participant)
        try container.encode(status, forKey: .status)
        try container.encode(keyIndex, forKey: .keyIndex)
        try container.encode(ratchetSteps, forKey: .ratchetSteps)
        try container.encode(framesChecked, forKey: .framesChecked)
        try container.encode(framesFailed, forKey: .framesFailed)
        try container.encode(keyFingerprint, forKey: .keyFingerprint)
        try container.encode(keyIndices, forKey: .keyIndices)
        try container.encode(authenticatesWith, forKey: .authenticatesWith)
        try container.encode(message, forKey: .message)
    }
}

/// Tells which of the given keys authenticate a file's frames, by AES-GCM tag checks alone.
package enum KeyVerification {
    /// Reads `request.input` once and checks the sampled frames of every audio and video stream.
    ///
    /// - Throws: ``FrameCryptError`` for a missing (66) or malformed (65) input, one without audio or
    ///   video (65), or a bad `--map` (64);
    ///   key outcomes are in the report, not thrown.
    package static func run(_ request: VerifyKeysRequest, progress: (JobProgress) -> Void = { _ in })
        throws(FrameCryptError) -> KeyVerificationReport
    {
        if let report = try PreparedCapture.running(
            request,
            { (inner) throws(FrameCryptError) in try run(inner, progress: progress) }
        ) {
            return report
        }
        let provider = try request.keys.scheme == .sframe ? nil : request.keys.makeProvider()
        let sframeKeys = request.keys.makeSFrameKeys()
        var reader = try PacketReader(request.input)
        let streams = reader.streams
        try request.participants.validate(streamCount: streams.count, file: request.input)
        var checks: [Int: StreamEntry] = [:]
        for stream in streams {
            let resolved = try ResolvedStream(
                stream,
                file: request.input,
                participants: request.participants,
                keys: request.keys
            )
            guard let codec = resolved.codec else { continue }
            try resolved.requireReadableLabel()
            let participant = resolved.participant
            if let suite = resolved.suite {
                checks[stream.index] = StreamEntry(
                    check: SFrameKeyCheck(
                        scope: sframeKeys.scope(for: participant, suite: suite),
                        carriage: SFrameCarriage(codec: codec, nalLengthSize: resolved.fileLengthSize),
                        framesPerKeyIndex: request.framesPerKeyIndex
                    ),
                    participant: participant,
                    codec: codec,
                    suite: suite
                )
                continue
            }
            // Each stream gets its own copy, so that its ratchet steps count from the given key.
            let ring: KeyRing? =
                provider?.mode == .shared
                ? provider?.keyRing(for: participant ?? "")?.copy()
                : participant.flatMap { provider?.keyRing(for: $0)?.copy() }
            let check = StreamKeyCheck(
                codec: codec,
                ring: ring,
                ratchetWindow: request.ratchetWindow,
                framesPerKeyIndex: request.framesPerKeyIndex,
                lengthSize: resolved.fileLengthSize
            )
            checks[stream.index] = StreamEntry(check: check, participant: participant, codec: codec)
        }
        guard !checks.isEmpty else {
            throw FrameCryptError(
                .malformedInput,
                "\(request.input): no audio or video stream to check the keys against"
            )
        }
        var payload: [UInt8] = []
        try reader.forEach(progress: progress) { (packet) throws(FrameCryptError) in
            if let entry = checks[packet.streamIndex] {
                packet.copyPayload(into: &payload)
                entry.check.check(payload)
            }
            return true
        }
        let reports = alteredHeaders(
            streams.compactMap { stream -> StreamKeyReport? in
                guard let entry = checks[stream.index] else { return nil }
                return report(stream, entry: entry, request: request, provider: provider, sframeKeys: sframeKeys)
            },
            sharedKey: provider?.mode == .shared
        )
        guard !request.receivers.isEmpty else {
            return KeyVerificationReport(
                ok: reports.allSatisfy { $0.status.decrypts },
                file: request.input,
                streams: reports
            )
        }
        let receivers = try ReceiverPass.run(
            ReceiverPassRequest(
                input: request.input,
                keys: request.keys,
                participants: request.participants,
                profiles: request.receivers,
                serverInjectedTrailer: request.serverInjectedTrailer
            )
        )
        return KeyVerificationReport(
            ok: reports.allSatisfy { $0.status.decrypts }
                && receivers.allSatisfy { $0.receivers.allSatisfy(\.decryptsAll) },
            file: request.input,
            streams: reports,
            receivers: receivers
        )
    }

    /// `reports` with each FrameCryptor stream that no key authenticates turned to `header-altered`
    /// when the key it was checked with authenticates another stream of the file (any stream with a
    /// shared key, the same participant's otherwise): the key is right, so the frames changed.
    private static func alteredHeaders(_ reports: [StreamKeyReport], sharedKey: Bool) -> [StreamKeyReport] {
        reports.map { report in
            guard report.status == .wrongKey, report.authenticatesWith == nil,
                report.keyIndices.allSatisfy({ $0.keyID == nil }),
                let witness = reports.first(where: { other in
                    other.index != report.index && other.status.decrypts && other.status != .notEncrypted
                        && other.keyIndices.allSatisfy { $0.keyID == nil }
                        && (sharedKey || (report.participant != nil && other.participant == report.participant))
                })
            else { return report }
            return report.replacingStatus(
                .headerAltered,
                message:
                    "the frames' trailers and IVs parse and the same key authenticates stream \(witness.index), but not these frames: their clear header, which is authenticated, was changed after encryption (a remux that rewrote codec header bytes)"
            )
        }
    }

    /// What verify-keys checks in one stream.
    private struct StreamEntry {
        let check: any KeyChecking
        let participant: String?
        let codec: FrameCodec
        /// The SFrame suite; nil for FrameCryptor streams.
        var suite: SFrameCipherSuite? = nil
    }

    private static func report(
        _ stream: MediaStream,
        entry: StreamEntry,
        request: VerifyKeysRequest,
        provider: KeyProvider?,
        sframeKeys: SFrameKeyStore
    ) -> StreamKeyReport {
        let indices = entry.check.results
        let participant = entry.participant
        let worst = indices.min { $0.status < $1.status }
        let status = worst?.status ?? .notEncrypted
        var authenticatesWith: String?
        if status == .wrongKey, request.keys.mode == .perParticipant, let frame = entry.check.firstFailedFrame {
            authenticatesWith = request.keys.participants.first { other in
                guard other != participant else { return false }
                if let suite = entry.suite {
                    return sframeKeys.scope(for: other, suite: suite).map { SFrameKeyCheck.opens(frame, with: $0) }
                        ?? false
                }
                guard let ring = provider?.keyRing(for: other)?.copy() else { return false }
                var decryptor = FrameDecryptor(codec: entry.codec, keys: ring, ratchetWindow: request.ratchetWindow)
                var plain: [UInt8] = []
                if case .decrypted = decryptor.decrypt(frame, into: &plain) {
                    return true
                }
                return false
            }
        }
        return StreamKeyReport(
            index: stream.index,
            kind: stream.type,
            codec: stream.codecName,
            participant: participant,
            status: status,
            keyIndex: worst?.keyIndex,
            ratchetSteps: worst?.ratchetSteps ?? 0,
            framesChecked: indices.reduce(0) { $0 + $1.framesChecked },
            framesFailed: indices.reduce(0) { $0 + $1.framesFailed },
            keyFingerprint: worst?.keyFingerprint,
            keyIndices: indices,
            authenticatesWith: authenticatesWith,
            message: message(
                status,
                index: worst,
                participant: participant,
                request: request,
                hasKeys: provider.map { provider in participant.map { provider.keyRing(for: $0) != nil } ?? false }
                    ?? (entry.suite.flatMap { sframeKeys.scope(for: participant, suite: $0) } != nil),
                authenticatesWith: authenticatesWith
            )
        )
    }

    private static func message(
        _ status: KeyStatus,
        index: KeyIndexCheck?,
        participant: String?,
        request: VerifyKeysRequest,
        hasKeys: Bool,
        authenticatesWith: String?
    ) -> String {
        let keyIndex = index.map { "key index \($0.keyIndex)" } ?? "no key index"
        switch status {
        case .ok:
            return "the given key authenticates the frames at \(keyIndex)"
        case .ratcheted:
            return "the sender's key at \(keyIndex) is \(index?.ratchetSteps ?? 0) ratchet steps ahead of the given one"
        case .notEncrypted:
            return "no frame is encrypted"
        case .headerAltered:
            return "the clear header was changed after encryption"
        case .headerRestored:
            return
                "the frames authenticate once the access-unit delimiter a tool removed after encryption is put back (mkvmerge removes them): the keys are right; framecrypt decrypt restores the frames, receivers that follow the codec rule cannot"
        case .damagedFrames:
            return
                "\(index?.framesFailed ?? 0) of \(index?.framesChecked ?? 0) frames at \(keyIndex) fail with a key that authenticates the others: they are damaged"
        case .missingKey:
            if request.keys.mode == .perParticipant && participant == nil {
                return "the stream names no participant, so no participant's keys can be chosen for it"
            }
            if request.keys.mode == .perParticipant, let participant, !hasKeys {
                return "no key for participant \(participant)"
            }
            if let keyID = index?.keyID {
                return "no key serves KID \(keyID) (key index \(keyID & 0xFF) in framecrypt's layout)"
            }
            return "no key at \(keyIndex)"
        case .wrongKey:
            if let authenticatesWith {
                return
                    "the key of \(authenticatesWith), not \(participant ?? "the stream's participant"), authenticates the frames: the stream is mapped to the wrong participant"
            }
            if let keyID = index?.keyID {
                return "the key for KID \(keyID) does not authenticate the frames"
            }
            return
                "no given key authenticates the frames at \(keyIndex), nor \(request.ratchetWindow) ratchet steps ahead of it"
        }
    }
}
