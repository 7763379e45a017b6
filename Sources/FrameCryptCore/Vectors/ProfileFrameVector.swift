import FrameCryptCrypto
import FrameCryptFormat

/// A whole-frame vector in the schema of `framecrypt-profile-vectors.json`: a plaintext frame, the
/// sender's key and IV inputs, and the exact encrypted frame.
///
/// Exported vectors (docs/FIXTURES.md) may instead reference their key (`keyRef`: participant and
/// key index in the vector file's key file), say how far the receiver's stored key is already
/// ratcheted (`receiverRatchetSteps`), carry the room's trailer for a server-injected frame, and
/// expect a failure (`expectedState`): those are checked on the receiving side only.
struct ProfileFrameVector {
    /// What a sender needs to reproduce the encrypted frame.
    struct SenderInputs {
        let ssrc: UInt32
        let rtpTimestamp: UInt32
        let sendCount: UInt64
        let clearBytes: Int
        let escapingBytesInserted: Bool
        /// The native sender's 8-bit clear-prefix count (`nativeSenderPrefixWrap`).
        let flavor: SenderFlavor
    }

    let id: String
    let codec: FrameCodec
    let keyFrame: Bool
    /// The key given in the vector; nil when it is referenced.
    let material: SecretBytes?
    /// The keys a `keyRef` points into, and the participant it names.
    let referenced: VectorKeys?
    let participant: String?
    let parameters: KeyDerivationParameters
    let ringSize: Int
    let keyIndex: UInt8?
    let sender: SenderInputs?
    let receiverSteps: Int
    let ratchetSteps: Int
    let expected: FrameCryptionState
    let serverInjectedTrailer: [UInt8]?
    /// The LiveKit packet trailer's values; the trailer ends `encryptedHex`.
    let metadata: FrameMetadata
    /// How a receiver must open the frame when the codec rule cannot (`nativeSenderPrefixWrap`, or
    /// an exported vector's `recovery`).
    let recovery: ClearPrefixRecovery?
    let plaintext: [UInt8]
    let encrypted: [UInt8]

    init(_ json: JSONField, keys: () throws(FrameCryptError) -> VectorKeys?) throws(FrameCryptError) {
        id = try json.field("id").string()
        let kind = try json.field("kind").choice(MediaKind.self)
        codec = FrameCodec(kind: kind, name: try json.field("codec").string())
        keyFrame = try json.field("keyFrame").bool()
        (material, referenced, participant) = try Self.key(of: json, keys: keys)
        parameters = try json.derivationParameters(
            function: try json.field("kdf").choice(KeyDerivationFunction.self),
            ratchetSalt: Array(try json.field("ratchetSalt").string().utf8),
            keyBits: try json.optional("keyBits")?.integer(in: 128...256) ?? 128
        )
        let size = try json.optional("keyRingSize")?.integer(in: KeyRing.allowedSizes) ?? KeyRing.defaultSize
        ringSize = size
        keyIndex = try json.optional("keyIndex").map { (field) throws(FrameCryptError) in
            UInt8(try field.integer(in: 0...(size - 1)))
        }
        ratchetSteps = try json.optional("ratchetStepsToDecrypt")?.integer(in: 0...255) ?? 0
        receiverSteps = try json.optional("receiverRatchetSteps")?.integer(in: 0...Int(UInt16.max)) ?? 0
        serverInjectedTrailer = try json.optional("serverInjectedTrailerHex")?.hexBytes()
        expected = try Self.expectedState(of: json, ratchetSteps: ratchetSteps)
        plaintext = try json.field("plaintextHex").hexBytes()
        encrypted = try json.field("encryptedHex").hexBytes()
        metadata = try Self.frameMetadata(of: json, encrypted: encrypted)
        let wraps = try json.optional("nativeSenderPrefixWrap")?.bool() ?? false
        recovery = try Self.recovery(of: json, wraps: wraps)
        let decrypts = expected == .ok || expected == .keyRatcheted
        if decrypts && serverInjectedTrailer == nil && (recovery == nil || wraps) {
            guard keyIndex != nil else { throw json.error("missing field \"keyIndex\"") }
            sender = SenderInputs(
                ssrc: UInt32(try json.field("ssrc").integer(in: 0...Int(UInt32.max))),
                rtpTimestamp: UInt32(try json.field("rtpTimestamp").integer(in: 0...Int(UInt32.max))),
                sendCount: UInt64(try json.field("sendCount").integer(in: 0...Int.max)),
                clearBytes: try json.field("clearBytes").integer(in: 0...Int.max),
                escapingBytesInserted: try json.field("escapingBytesInserted").bool(),
                flavor: wraps ? .native : .profile
            )
        } else {
            sender = nil
        }
    }

    /// The vector's key: given (`key`), or referenced into the vector file's keys (`keyRef`).
    private static func key(of json: JSONField, keys: () throws(FrameCryptError) -> VectorKeys?)
        throws(FrameCryptError) -> (material: SecretBytes?, referenced: VectorKeys?, participant: String?)
    {
        guard let reference = try json.optional("keyRef") else {
            return (try json.field("key").keyMaterial().material, nil, nil)
        }
        guard let keys = try keys() else {
            throw reference.error(
                "references a key file, but neither the command nor the vector file (\"keyFile\") names one"
            )
        }
        let participant = try reference.optional("participant")?.string()
        if keys.keys.mode == .perParticipant && !keys.keys.participants.contains(participant ?? "") {
            throw reference.error("the key file has no keys for participant \(participant ?? "(none)")")
        }
        return (nil, keys, participant)
    }

    /// The state a receiver must report: `expectedState`, else ok (or ratcheted when it ratchets).
    private static func expectedState(of json: JSONField, ratchetSteps: Int) throws(FrameCryptError)
        -> FrameCryptionState
    {
        guard let state = try json.optional("expectedState") else { return ratchetSteps > 0 ? .keyRatcheted : .ok }
        let name = try state.string()
        guard let named = FrameCryptionState.allCases.first(where: { $0.name == name }) else {
            throw state.error("\"\(name)\" is not a FrameCryptor state")
        }
        return named
    }

    /// The LiveKit packet trailer's values (`frameMetadata`), checked against the trailer that ends
    /// the encrypted frame when the vector gives one (`packetTrailerHex`).
    private static func frameMetadata(of json: JSONField, encrypted: [UInt8]) throws(FrameCryptError) -> FrameMetadata {
        if let trailer = try json.optional("packetTrailerHex") {
            guard let parsed = PacketTrailer.parse(encrypted[...]),
                encrypted.suffix(parsed.length).elementsEqual(try trailer.hexBytes())
            else {
                throw trailer.error("is not the LiveKit packet trailer that ends encryptedHex")
            }
        }
        guard let field = try json.optional("frameMetadata") else { return FrameMetadata() }
        return FrameMetadata(
            userTimestamp: try field.optional("userTimestamp").map { (value) throws(FrameCryptError) in
                UInt64(try value.integer(in: 0...Int.max))
            },
            frameId: try field.optional("frameId").map { (value) throws(FrameCryptError) in
                UInt32(try value.integer(in: 0...Int(UInt32.max)))
            }
        )
    }

    /// How a receiver must open the frame: `recovery`, else the native prefix wrap when the
    /// vector's sender wraps.
    private static func recovery(of json: JSONField, wraps: Bool) throws(FrameCryptError) -> ClearPrefixRecovery? {
        guard let named = try json.optional("recovery") else { return wraps ? .nativePrefixWrap : nil }
        guard let recovery = ClearPrefixRecovery(rawValue: try named.string()) else {
            throw named.error("is not one of \(ClearPrefixRecovery.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return recovery
    }

    /// Encrypts the plaintext as the vector's sender and decrypts the encrypted frame as a receiver
    /// that holds the key ratcheted `receiverRatchetSteps` times; vectors that do not decrypt, and
    /// server-injected frames, are checked on the receiving side only.
    func run() -> VectorResult {
        var checks: [VectorCheck] = []
        if let sender {
            checks += [
                VectorCheck("encrypt", failure: encryptFailure(sender)),
                VectorCheck("clear bytes", failure: clearBytesFailure(sender)),
                VectorCheck("escaping", failure: escapingFailure(sender)),
            ]
        }
        checks.append(VectorCheck("decrypt", failure: decryptFailure()))
        return VectorResult(section: "vectors", id: id, checks: checks)
    }

    /// The ring a party holds: the vector's key or the referenced participant's keys, with slot
    /// `keyIndex` ratcheted `steps` times.
    private func ring(ratchetedBy steps: Int) throws(FrameCryptError) -> KeyRing? {
        if let referenced {
            return try referenced.ring(participant: participant, keyIndex: keyIndex.map(Int.init), steps: steps)
        }
        guard let material, let keyIndex else { return nil }
        let ring = try KeyRing(size: ringSize, parameters: parameters)
        try ring.setKey(material, at: Int(keyIndex))
        try ring.ratchetKey(at: Int(keyIndex), steps: steps)
        return ring
    }

    private func encryptFailure(_ inputs: SenderInputs) -> String? {
        do {
            guard let ring = try ring(ratchetedBy: 0), let keyIndex else { return "no key for the sender" }
            var sender = FrameEncryptor(
                codec: codec,
                keys: ring,
                keyIndex: keyIndex,
                ssrc: inputs.ssrc,
                sendCount: inputs.sendCount,
                flavor: inputs.flavor
            )
            sender.ratchetSteps = receiverSteps + ratchetSteps
            var output: [UInt8] = []
            let outcome = sender.encrypt(
                plaintext,
                rtpTimestamp: inputs.rtpTimestamp,
                metadata: metadata,
                into: &output
            )
            guard outcome == .encrypted else { return "sender reported \(outcome.state.name)" }
            return mismatch(output, encrypted).map { "output \($0) of encryptedHex" }
        } catch {
            return error.message
        }
    }

    private func clearBytesFailure(_ inputs: SenderInputs) -> String? {
        let computed =
            inputs.flavor == .native
            ? ClearPrefix.nativeSenderLength(of: plaintext[...], codec: codec)
            : ClearPrefix.length(of: plaintext[...], codec: codec)
        return computed == inputs.clearBytes
            ? nil : "the \(codec.name) rule leaves \(computed) bytes clear, vector says \(inputs.clearBytes)"
    }

    private func escapingFailure(_ inputs: SenderInputs) -> String? {
        let sealedCount = encrypted.count - (PacketTrailer.parse(encrypted[...])?.length ?? 0)
        let inserted = codec.isH26x && sealedCount > plaintext.count + FrameLayout.overhead
        return inserted == inputs.escapingBytesInserted
            ? nil : "escaping bytes inserted: \(inserted), vector says \(inputs.escapingBytesInserted)"
    }

    private func decryptFailure() -> String? {
        do {
            var receiver = FrameDecryptor(
                codec: codec,
                keys: try ring(ratchetedBy: receiverSteps),
                serverInjectedTrailer: serverInjectedTrailer
            )
            var output: [UInt8] = []
            let outcome = receiver.decrypt(encrypted, into: &output)
            if receiver.frameMetadata ?? FrameMetadata() != metadata {
                return "packet trailer read as \(String(describing: receiver.frameMetadata)), vector says \(metadata)"
            }
            if let recovery, outcome != .recovered(recovery) {
                return "\(outcome.state.name) without the \(recovery.rawValue) recovery the vector names"
            }
            switch outcome {
            case .decrypted(let steps) where steps != ratchetSteps:
                return "decrypted after \(steps) ratchet steps, vector says \(ratchetSteps)"
            case .decrypted, .serverInjected, .recovered:
                guard outcome.state == expected else {
                    return "reported \(outcome.state.name), vector says \(expected.name)"
                }
                if outcome == .serverInjected && serverInjectedTrailer == nil {
                    return "passed through as a server-injected frame"
                }
                return mismatch(output, plaintext).map { "output \($0) of plaintextHex" }
            case .failed(let failure):
                return failure.state == expected
                    ? nil : "\(failure.state.name): \(failure), vector says \(expected.name)"
            case .passedThrough:
                return "frame was passed through, not decrypted"
            }
        } catch {
            return error.message
        }
    }
}
