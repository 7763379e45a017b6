import FrameCryptCore
import FrameCryptFormat

/// Turns one FrameCryptor stream's received frames into vectors, decrypting them in order as the
/// stream's receiver does, so that each vector records the state that receiver reports.
struct FrameCryptorVectorRecorder {
    let codec: FrameCodec
    let kind: MediaKind
    /// The participant in key references; nil for the shared key.
    let keyOwner: String?
    let keys: KeySet
    let ring: KeyRing?
    let serverInjectedTrailer: [UInt8]?
    var decryptor: FrameDecryptor
    var form: FrameForm
    private var transform = FrameTransform()
    private var plain: [UInt8] = []

    init(
        codec: FrameCodec,
        kind: MediaKind,
        keyOwner: String?,
        keys: KeySet,
        ring: KeyRing?,
        decryptor: FrameDecryptor,
        lengthSize: Int?
    ) {
        self.codec = codec
        self.kind = kind
        self.keyOwner = keyOwner
        self.keys = keys
        self.ring = ring
        serverInjectedTrailer = decryptor.serverInjectedTrailer
        self.decryptor = decryptor
        form = FrameForm(lengthSize: lengthSize, codec: decryptor.codec)
    }

    /// The vector of the next frame; nil for an empty frame (passed through, nothing to test).
    mutating func record(_ payload: [UInt8], keyFrame: Bool, id: String) -> ExportedVector? {
        var attempts: [([UInt8], DecryptOutcome)] = []
        let outcome =
            form.read(
                payload,
                { bytes in
                    let outcome = decryptor.decrypt(bytes, into: &plain)
                    attempts.append((bytes, outcome))
                    return outcome
                },
                accepts: { if case .failed = $0 { false } else { true } }
            ) ?? .failed(.format(.truncated(bodyLength: payload.count)))
        let frame = attempts.first { $0.1 == outcome }?.0 ?? payload
        guard !frame.isEmpty, outcome != .passedThrough else { return nil }
        var keyIndex: Int?
        var iv: FrameIV?
        let packetTrailer = PacketTrailer.parse(frame[...])
        let body = frame.dropLast(packetTrailer?.length ?? 0)
        if outcome != .serverInjected, case .success(let sealed) = transform.parse(body, codec: codec) {
            keyIndex = Int(sealed.keyIndex)
            iv = sealed.iv
        }
        let position = keyIndex.flatMap { ring?.ratchetPosition(at: $0) }
        var vector = ExportedVector(
            id: id,
            kind: kind.rawValue,
            codec: codec.name,
            keyFrame: keyFrame,
            keyRef: ExportedVector.KeyReference(participant: keyOwner, keyIndex: keyIndex),
            expectedState: outcome.state.name,
            plaintextHex: ByteEncoding.hex(plain),
            encryptedHex: ByteEncoding.hex(frame),
            note: ""
        )
        vector.kdf = keys.parameters.function.rawValue
        vector.ratchetSalt = String(decoding: keys.parameters.ratchetSalt, as: UTF8.self)
        vector.keyBits = keys.parameters.keyBits
        vector.keyRingSize = keys.ringSize
        vector.keyIndex = keyIndex
        if let packetTrailer {
            vector.packetTrailerHex = ByteEncoding.hex(Array(frame.suffix(packetTrailer.length)))
            vector.frameMetadata = packetTrailer.metadata
        }
        describe(outcome, in: &vector, iv: iv, sealedLength: body.count, position: position)
        return vector
    }

    /// Fills in what the receiver's outcome tells about the frame: the sender's IV inputs and the
    /// ratchet steps of a decrypted frame, the recovery that opened it, the trailer of a server
    /// frame, or why it failed.
    ///
    /// - Parameter position: how far the receiver's key at the frame's key index is ratcheted.
    private func describe(
        _ outcome: DecryptOutcome,
        in vector: inout ExportedVector,
        iv: FrameIV?,
        sealedLength: Int,
        position: Int?
    ) {
        switch outcome {
        case .decrypted(let steps):
            vector.ssrc = iv?.ssrc
            vector.rtpTimestamp = iv?.rtpTimestamp
            vector.sendCount = iv?.impliedSendCount
            vector.clearBytes = ClearPrefix.length(of: plain[...], codec: codec)
            vector.escapingBytesInserted = codec.isH26x && sealedLength > plain.count + FrameLayout.overhead
            vector.receiverRatchetSteps = (position ?? steps) - steps
            vector.ratchetStepsToDecrypt = steps
        case .recovered(let recovery):
            vector.receiverRatchetSteps = position
            vector.recovery = recovery.rawValue
            vector.note = "opened only with the clear prefix of \(recovery.rawValue)"
        case .serverInjected:
            vector.serverInjectedTrailerHex = serverInjectedTrailer.map(ByteEncoding.hex)
        case .failed(let failure):
            vector.receiverRatchetSteps = position
            vector.note = failure.description
        case .passedThrough:
            break
        }
    }
}

/// Turns one SFrame stream's received frames into vectors, decrypting them in order.
struct SFrameVectorRecorder {
    let codec: FrameCodec
    let kind: MediaKind
    let keyOwner: String?
    let suite: SFrameCipherSuite
    let scope: SFrameKeyScope?
    let carriage: SFrameCarriage
    var decryptor: SFrameDecryptor
    private var plain: [UInt8] = []

    init(
        codec: FrameCodec,
        kind: MediaKind,
        keyOwner: String?,
        suite: SFrameCipherSuite,
        scope: SFrameKeyScope?,
        carriage: SFrameCarriage
    ) {
        self.codec = codec
        self.kind = kind
        self.keyOwner = keyOwner
        self.suite = suite
        self.scope = scope
        self.carriage = carriage
        decryptor = SFrameDecryptor(keys: scope)
    }

    /// The vector of the next frame.
    mutating func record(_ payload: [UInt8], keyFrame: Bool, id: String) -> ExportedVector {
        let ciphertext = carriage.unwrap(payload[...])
        var outcome = DecryptOutcome.failed(.sframeFraming)
        var header: SFrameHeader?
        if let ciphertext {
            (outcome, header) = decryptor.decrypt(ciphertext, into: &plain)
            if outcome.state == .ok && !carriage.agrees(plain, with: payload[...]) {
                outcome = .failed(.sframeFraming)
            }
        }
        if case .failed = outcome {
            plain.removeAll()
        }
        var vector = ExportedVector(
            id: id,
            kind: kind.rawValue,
            codec: codec.name,
            keyFrame: keyFrame,
            scheme: EncryptionScheme.sframe.rawValue,
            keyRef: ExportedVector.KeyReference(
                participant: keyOwner,
                keyIndex: header.flatMap { scope?.index(serving: $0.keyID) }
            ),
            expectedState: outcome.state.name,
            plaintextHex: ByteEncoding.hex(plain),
            encryptedHex: ByteEncoding.hex(ciphertext ?? payload[...]),
            note: ""
        )
        vector.cipherSuite = suite.name
        vector.kid = header?.keyID
        vector.ctr = header?.counter
        if case .failed(let failure) = outcome {
            vector.note = failure.description
        }
        return vector
    }
}
