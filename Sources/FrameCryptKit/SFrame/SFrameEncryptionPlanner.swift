import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Chooses each stream's SFrame key, KID and counter for an encrypt job (`framecrypt-profile.md`
/// §4): per-participant keys give one KID per (participant, key index), a shared key one KID per
/// (key index, stream), and every stream that ends up under the same key and KID draws from one
/// counter, so no (key, KID, CTR) is used twice in a file.
struct SFrameEncryptionPlanner: EncryptionPlanner {
    private let store: SFrameKeyStore
    let suite: SFrameCipherSuite
    private let keyIndex: Int
    private let counters: SFrameCounterRange
    private var keyCounters: [[UInt8]: SFrameCounter] = [:]
    private var participantSenders: [String: UInt32] = [:]

    /// - Throws: ``FrameCryptError`` `.invalidArgument` for a scenario (FrameCryptor only) or a batch
    ///   job whose counters would pass 2^64−1.
    init(_ request: EncryptRequest) throws(FrameCryptError) {
        if request.scenario != nil {
            throw FrameCryptError(.invalidArgument, "scenarios apply to the webrtc-framecryptor scheme, not sframe")
        }
        store = request.keys.makeSFrameKeys()
        suite = request.keys.cipherSuite ?? .defaultSuite
        keyIndex = request.keyIndex
        counters = try request.counters()
    }

    /// The handler that encrypts `target` with its participant's key at the sender's key index;
    /// nil when the participant holds none.
    mutating func handler(for target: EncryptionTarget, identities: inout SenderIdentities) throws(FrameCryptError)
        -> (any StreamHandler)?
    {
        guard let scope = store.scope(for: target.participant, suite: suite), scope.hasKey(at: keyIndex) else {
            return nil
        }
        let sender: UInt32
        if store.mode == .perParticipant, let participant = target.participant {
            sender = participantSenders[participant] ?? identities.next().ssrc
            participantSenders[participant] = sender
        } else {
            sender = identities.next().ssrc
        }
        let derived: SFrameKey?
        let (keyID, explicit) = scope.senderKeyID(at: keyIndex, sender: sender)
        do {
            derived = try scope.key(for: keyID)
        } catch {
            throw FrameCryptError(.internalFailure, "SFrame key derivation failed: \(error)", cause: error)
        }
        guard let key = derived else {
            throw FrameCryptError(.internalFailure, "no SFrame key serves KID \(keyID)")
        }
        let counter = keyCounters[key.identity] ?? SFrameCounter(range: counters)
        keyCounters[key.identity] = counter

        let sourceLengthSize = target.sourceLengthSize
        let label = StreamLabel(
            scheme: StreamLabel.sframeScheme,
            keyMode: store.mode.labelText,
            participant: target.participant,
            cipherSuite: suite.name,
            kidLayout: explicit ? StreamLabel.explicitLayout : StreamLabel.senderIndexLayout,
            nalLengthSize: sourceLengthSize
        )
        return SFrameEncryptingStream(
            output: try target.encryptedOutput(label: label),
            context: target.context,
            encryptor: SFrameEncryptor(key: key, counter: counter),
            keyIndex: keyIndex,
            sourceLengthSize: sourceLengthSize,
            carriage: SFrameCarriage(
                codec: target.codec,
                nalLengthSize: sourceLengthSize.map { _ in EncryptingStream.encryptedLengthSize }
            )
        )
    }
}

/// Decrypts SFrame streams: each frame's KID picks the key from the participant's (or the
/// shared) keys under the stream's suite, and a counter accepted once is refused again.
struct SFrameDecryptionPlanner: DecryptionPlanner {
    private let request: DecryptRequest
    private let store: SFrameKeyStore

    init(_ request: DecryptRequest) {
        self.request = request
        store = request.keys.makeSFrameKeys()
    }

    func handler(
        for resolved: ResolvedStream,
        codec: FrameCodec,
        output: OutputStreamSpec
    ) throws(FrameCryptError) -> any StreamHandler {
        if let receiver = request.receiver {
            throw FrameCryptError(
                .invalidArgument,
                "\(resolved.context.description): --receiver \(receiver.name.rawValue) models a FrameCryptor SDK; this stream is SFrame"
            )
        }
        let suite = resolved.suite ?? .defaultSuite
        let scope = store.scope(for: resolved.participant, suite: suite)
        try request.requireKeys(scope != nil, for: resolved)
        let fileLengthSize = resolved.fileLengthSize
        return SFrameDecryptingStream(
            output: output,
            context: resolved.context,
            decryptor: SFrameDecryptor(keys: scope),
            suite: suite,
            carriage: SFrameCarriage(codec: codec, nalLengthSize: fileLengthSize),
            sourceLengthSize: fileLengthSize.map { _ in
                resolved.sourceLengthSize ?? EncryptingStream.encryptedLengthSize
            },
            policy: request.onFailure
        )
    }
}
