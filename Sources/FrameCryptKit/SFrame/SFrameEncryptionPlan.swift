import FrameCryptFormat
import FrameCryptMedia

/// Chooses each stream's SFrame key, KID and counter for an encrypt job (`framecrypt-profile.md`
/// §4): per-participant keys give one KID per (participant, key index), a shared key one KID per
/// (key index, stream), and every stream that ends up under the same key and KID draws from one
/// counter, so no (key, KID, CTR) is used twice in a file.
struct SFrameEncryptionPlan {
    private let store: SFrameKeyStore
    let suite: SFrameCipherSuite
    private let keyIndex: Int
    private let counters: SFrameCounterRange
    private var keyCounters: [[UInt8]: SFrameCounter] = [:]
    private var participantSenders: [String: UInt32] = [:]

    init(keys: KeySet, keyIndex: Int, counters: SFrameCounterRange) {
        store = keys.makeSFrameKeys()
        suite = keys.cipherSuite ?? .defaultSuite
        self.keyIndex = keyIndex
        self.counters = counters
    }

    /// The key scope of `participant`'s frames when it holds a key at the sender's key index.
    func scope(for participant: String?) -> SFrameKeyScope? {
        store.scope(for: participant, suite: suite).flatMap { $0.hasKey(at: keyIndex) ? $0 : nil }
    }

    /// The handler that encrypts `stream` with `scope`'s key at the sender's key index.
    mutating func handler(
        for stream: MediaStream,
        codec: FrameCodec,
        scope: SFrameKeyScope,
        output: OutputStreamSpec,
        context: StreamContext,
        identities: inout SenderIdentities,
        format: OutputFormat
    ) throws(FrameCryptError) -> any StreamHandler {
        let participant = context.description.participant
        let sender: UInt32
        if store.mode == .perParticipant, let participant {
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
            throw FrameCryptError(.internalFailure, "SFrame key derivation failed: \(error)")
        }
        guard let key = derived else {
            throw FrameCryptError(.internalFailure, "no SFrame key serves KID \(keyID)")
        }
        let counter = keyCounters[key.identity] ?? SFrameCounter(range: counters)
        keyCounters[key.identity] = counter

        let sourceLengthSize = stream.parameters.nalLengthSize(codec: codec)
        var output = output
        let label = StreamLabel(
            scheme: StreamLabel.sframeScheme,
            keyMode: store.mode == .shared ? "shared" : "per-participant",
            participant: participant,
            cipherSuite: suite.name,
            kidLayout: explicit ? StreamLabel.explicitLayout : StreamLabel.senderIndexLayout,
            nalLengthSize: sourceLengthSize
        )
        output.metadata = StreamTags.labelled(output.metadata, with: label, for: format)
        let encryptedLengthSize = sourceLengthSize.map { _ in EncryptingStream.encryptedLengthSize }
        if let sourceLengthSize, sourceLengthSize != EncryptingStream.encryptedLengthSize {
            output.parameters = try stream.parameters.declaringNALLengthSize(
                EncryptingStream.encryptedLengthSize,
                codec: codec
            )
        }
        return SFrameEncryptingStream(
            output: output,
            context: context,
            encryptor: SFrameEncryptor(key: key, counter: counter),
            keyIndex: keyIndex,
            sourceLengthSize: sourceLengthSize,
            carriage: SFrameCarriage(codec: codec, nalLengthSize: encryptedLengthSize)
        )
    }
}
