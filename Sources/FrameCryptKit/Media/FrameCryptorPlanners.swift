import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Encrypts streams as libwebrtc's FrameCryptor does (`framecrypt-profile.md` §2): one key ring per
/// participant (or the shared one), the sender's key index in every trailer, a sender identity
/// (SSRC, RTP offset) per stream, and the scenario's schedule when there is one.
final class FrameCryptorEncryptionPlanner: EncryptionPlanner {
    private let request: EncryptRequest
    /// The keys, derived on a thread of their own while the job opens its files.
    private let provider: BackgroundResult<KeyProvider>
    /// The scenario, with the receiver that predicts what each of its frames shows.
    private let scenario: (plan: Scenario, model: ReceiverModel)?
    private(set) var warnings: [String] = []

    /// - Throws: ``FrameCryptError`` `.invalidArgument` for options that belong to another scheme.
    init(_ request: EncryptRequest) throws(FrameCryptError) {
        if request.counterStart != 0 {
            throw FrameCryptError(.invalidArgument, "a counter start applies only to the sframe scheme")
        }
        self.request = request
        if let plan = request.scenario {
            scenario = (plan, try ReceiverModel(keys: request.keys, receiver: request.receiver))
        } else {
            scenario = nil
        }
        let keys = request.keys
        provider = BackgroundResult { () throws(FrameCryptError) in try keys.makeProvider() }
    }

    /// A process must not exit while OpenSSL derives keys on another thread.
    deinit {
        provider.wait()
    }

    func check(_ streams: [MediaStream]) throws(FrameCryptError) {
        if let scenario = request.scenario {
            try ScenarioPlan.check(scenario, streams: streams, file: request.files.input)
        }
    }

    func handler(for target: EncryptionTarget, identities: inout SenderIdentities) throws(FrameCryptError)
        -> (any StreamHandler)?
    {
        try warnIfGeneric(target)
        guard let ring = try provider.value().keyRing(for: target.participant ?? ""), ring.hasKey(at: request.keyIndex)
        else { return nil }
        let codec = target.codec
        let scenario = try self.scenario.map { (plan, model) throws(FrameCryptError) in
            try ScenarioPlan.stream(
                plan,
                description: target.context.description,
                codec: codec,
                keys: request.keys,
                keyIndex: request.keyIndex,
                model: model,
                file: request.files.input
            )
        }
        let sender = identities.next()
        let sendCount = request.scenario?.sendCounter == .random ? identities.nextJSSendCount() : 0
        let parameters = request.keys.parameters
        let label = StreamLabel(
            scheme: StreamLabel.frameCryptorScheme,
            keyMode: request.keys.mode.labelText,
            participant: target.participant,
            kdf: parameters.function.rawValue,
            ratchetSalt: String(decoding: parameters.ratchetSalt, as: UTF8.self),
            keyRingSize: request.keys.ringSize,
            keyBits: parameters.keyBits,
            nalLengthSize: target.sourceLengthSize
        )
        return EncryptingStream(
            output: try target.encryptedOutput(label: label),
            description: target.context.description,
            file: request.files.input,
            encryptor: FrameEncryptor(
                codec: codec,
                keys: ring,
                keyIndex: UInt8(request.keyIndex),
                ssrc: sender.ssrc,
                sendCount: sendCount,
                flavor: request.sender
            ),
            appendsFrameMetadata: request.frameMetadata && codec.kind == .video,
            sender: sender,
            sourceLengthSize: target.sourceLengthSize,
            timeBase: target.stream.timeBase,
            rtpClockRate: RTPClock.rate(for: codec, sampleRate: target.stream.parameters.sampleRate),
            scenario: scenario,
            inBandParameterSets: request.sendsParameterSetsInBand && target.sourceLengthSize != nil
                ? ParameterSetRecord.annexB(of: target.stream.parameters.extradata, codec: codec) : nil
        )
    }

    /// A codec without a FrameCryptor rule is encrypted under the generic one, with a warning;
    /// `--strict` refuses it.
    private func warnIfGeneric(_ target: EncryptionTarget) throws(FrameCryptError) {
        switch target.codec {
        case .otherAudio, .otherVideo: break
        default: return
        }
        let rule = target.codec.kind == .audio ? "1 clear byte" : "no clear bytes"
        let subject = "\(request.files.input): \(target.context.description.label): codec \(target.codec.name)"
        guard !request.strict else {
            throw FrameCryptError(
                .unsupported,
                "\(subject) has no FrameCryptor rule, and the generic rule (\(rule)) was refused"
            )
        }
        warnings.append("\(subject) has no FrameCryptor rule; encrypted with \(rule)")
    }
}

/// Decrypts FrameCryptor streams as a receiver holding the keys would: the participant's key ring,
/// ratcheting up to the request's window, server-injected frames let through.
final class FrameCryptorDecryptionPlanner: DecryptionPlanner {
    private let request: DecryptRequest
    /// The keys, derived on a thread of their own while the job opens its files.
    private let provider: BackgroundResult<KeyProvider>

    init(_ request: DecryptRequest) {
        self.request = request
        let keys = request.keys
        let receiver = request.receiver
        provider = BackgroundResult { () throws(FrameCryptError) in
            try (receiver.map { profile throws(FrameCryptError) in try keys.received(by: profile) } ?? keys)
                .makeProvider()
        }
    }

    /// A process must not exit while OpenSSL derives keys on another thread.
    deinit {
        provider.wait()
    }

    func handler(
        for resolved: ResolvedStream,
        codec: FrameCodec,
        output: OutputStreamSpec
    ) throws(FrameCryptError) -> any StreamHandler {
        let ring = try provider.value().keyRing(for: resolved.participant ?? "")
        try request.requireKeys(ring != nil, for: resolved)
        return DecryptingStream(
            output: output,
            description: resolved.context.description,
            file: request.files.input,
            decryptor: decryptor(codec: codec, ring: ring),
            fileLengthSize: resolved.fileLengthSize,
            sourceLengthSize: resolved.sourceLengthSize ?? EncryptingStream.encryptedLengthSize,
            timeBase: resolved.stream.timeBase,
            policy: request.onFailure
        )
    }

    private func decryptor(codec: FrameCodec, ring: KeyRing?) -> FrameDecryptor {
        guard let receiver = request.receiver else {
            return FrameDecryptor(
                codec: codec,
                keys: ring,
                ratchetWindow: request.ratchetWindow,
                serverInjectedTrailer: request.serverInjectedTrailer
            )
        }
        return FrameDecryptor(
            codec: codec,
            keys: ring,
            receiver: receiver,
            mode: request.keys.mode,
            serverInjectedTrailer: request.serverInjectedTrailer
        )
    }
}
