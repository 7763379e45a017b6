import FrameCryptCrypto
import FrameCryptFormat

/// A whole-frame vector in the schema of `framecrypt-profile-vectors.json`: a plaintext frame, the
/// sender's key and IV inputs, and the exact encrypted frame.
struct ProfileFrameVector {
    let id: String
    let codec: FrameCodec
    let keyFrame: Bool
    let material: SecretBytes
    let parameters: KeyDerivationParameters
    let ringSize: Int
    let keyIndex: UInt8
    let ssrc: UInt32
    let rtpTimestamp: UInt32
    let sendCount: UInt64
    let clearBytes: Int
    let escapingBytesInserted: Bool
    let ratchetSteps: Int
    let plaintext: [UInt8]
    let encrypted: [UInt8]

    init(_ json: JSONField) throws(FrameCryptError) {
        id = try json.field("id").string()
        let kind = try json.field("kind").choice(MediaKind.self)
        codec = FrameCodec(kind: kind, name: try json.field("codec").string())
        keyFrame = try json.field("keyFrame").bool()
        material = try json.field("key").keyMaterial()
        parameters = try json.derivationParameters(
            function: try json.field("kdf").choice(KeyDerivationFunction.self),
            ratchetSalt: Array(try json.field("ratchetSalt").string().utf8),
            keyBits: try json.optional("keyBits")?.integer(in: 128...256) ?? 128
        )
        ringSize = try json.optional("keyRingSize")?.integer(in: KeyRing.allowedSizes) ?? KeyRing.defaultSize
        keyIndex = UInt8(try json.field("keyIndex").integer(in: 0...(ringSize - 1)))
        ssrc = UInt32(try json.field("ssrc").integer(in: 0...Int(UInt32.max)))
        rtpTimestamp = UInt32(try json.field("rtpTimestamp").integer(in: 0...Int(UInt32.max)))
        sendCount = UInt64(try json.field("sendCount").integer(in: 0...Int.max))
        clearBytes = try json.field("clearBytes").integer(in: 0...Int.max)
        escapingBytesInserted = try json.field("escapingBytesInserted").bool()
        ratchetSteps = try json.field("ratchetStepsToDecrypt").integer(in: 0...255)
        plaintext = try json.field("plaintextHex").hexBytes()
        encrypted = try json.field("encryptedHex").hexBytes()
    }

    /// Encrypts the plaintext as the vector's sender and decrypts the encrypted frame as a receiver
    /// that holds the un-ratcheted key.
    func run() -> VectorResult {
        VectorResult(
            section: "vectors",
            id: id,
            checks: [
                VectorCheck("encrypt", failure: encryptFailure()),
                VectorCheck("clear bytes", failure: clearBytesFailure()),
                VectorCheck("escaping", failure: escapingFailure()),
                VectorCheck("decrypt", failure: decryptFailure()),
            ]
        )
    }

    private func encryptFailure() -> String? {
        do {
            let ring = try KeyRing(size: ringSize, parameters: parameters)
            try ring.setKey(material, at: Int(keyIndex))
            try ring.ratchetKey(at: Int(keyIndex), steps: ratchetSteps)
            var sender = FrameEncryptor(codec: codec, keys: ring, keyIndex: keyIndex, ssrc: ssrc, sendCount: sendCount)
            var output: [UInt8] = []
            let outcome = sender.encrypt(plaintext, keyFrame: keyFrame, rtpTimestamp: rtpTimestamp, into: &output)
            guard outcome == .encrypted else { return "sender reported \(outcome.state.name)" }
            return mismatch(output, encrypted).map { "output \($0) of encryptedHex" }
        } catch {
            return error.message
        }
    }

    private func clearBytesFailure() -> String? {
        let computed = codec == .av1 ? 0 : ClearPrefix.length(of: plaintext[...], codec: codec)
        return computed == clearBytes
            ? nil : "the \(codec.name) rule leaves \(computed) bytes clear, vector says \(clearBytes)"
    }

    private func escapingFailure() -> String? {
        let inserted = codec.isH26x && encrypted.count > plaintext.count + FrameLayout.overhead
        return inserted == escapingBytesInserted
            ? nil : "escaping bytes inserted: \(inserted), vector says \(escapingBytesInserted)"
    }

    private func decryptFailure() -> String? {
        do {
            let ring = try KeyRing(size: ringSize, parameters: parameters)
            try ring.setKey(material, at: Int(keyIndex))
            var receiver = FrameDecryptor(codec: codec, keys: ring)
            var output: [UInt8] = []
            let outcome = receiver.decrypt(encrypted, into: &output)
            switch outcome {
            case .decrypted(let steps) where steps == ratchetSteps:
                return mismatch(output, plaintext).map { "output \($0) of plaintextHex" }
            case .decrypted(let steps):
                return "decrypted after \(steps) ratchet steps, vector says \(ratchetSteps)"
            case .failed(let failure):
                return "\(failure.state.name): \(failure)"
            case .passedThrough, .serverInjected:
                return "frame was passed through, not decrypted"
            }
        } catch {
            return error.message
        }
    }
}
