import FrameCryptCrypto
import FrameCryptFormat

/// A captured frame from `framecryptor-published.json`: an encrypted frame, its plaintext and the key.
///
/// The sender's IV inputs are read back from the encrypted frame's own IV, so the vector is checked
/// in both directions.
struct PublishedFrameVector {
    let id: String
    let codec: FrameCodec
    let parameters: KeyDerivationParameters
    let material: SecretBytes
    let keyIndex: UInt8
    let encrypted: [UInt8]
    let decrypted: [UInt8]

    init(_ json: JSONField) throws(FrameCryptError) {
        id = try json.field("id").string()
        codec = FrameCodec(kind: try json.field("kind").choice(MediaKind.self), name: try json.field("codec").string())
        parameters = try json.derivationParameters(
            function: try json.field("kdf").choice(KeyDerivationFunction.self),
            ratchetSalt: try json.field("salt_hex").hexBytes()
        )
        material = try json.field("key_material_hex").secretHexBytes()
        keyIndex = UInt8(try json.field("key_index").integer(in: 0...(KeyRing.defaultSize - 1)))
        encrypted = try json.field("encrypted_hex").hexBytes()
        decrypted = try json.field("decrypted_hex").hexBytes()
    }

    func run() -> VectorResult {
        VectorResult(
            section: "frames",
            id: id,
            checks: [
                VectorCheck("decrypt", failure: decryptFailure()), VectorCheck("encrypt", failure: encryptFailure()),
            ]
        )
    }

    private func keyRing() throws -> KeyRing {
        let ring = try KeyRing(parameters: parameters)
        try ring.setKey(material, at: Int(keyIndex))
        return ring
    }

    private func decryptFailure() -> String? {
        do {
            var receiver = FrameDecryptor(codec: codec, keys: try keyRing())
            var output: [UInt8] = []
            let outcome = receiver.decrypt(encrypted, into: &output)
            guard outcome == .decrypted(ratchetSteps: 0) else {
                if case .failed(let failure) = outcome { return "\(failure.state.name): \(failure)" }
                return "frame was not decrypted with the current key"
            }
            return mismatch(output, decrypted).map { "output \($0) of decrypted_hex" }
        } catch {
            return "\(error)"
        }
    }

    private func encryptFailure() -> String? {
        var transform = FrameTransform()
        let sealed: SealedFrame
        switch transform.parse(encrypted[...], codec: codec) {
        case .success(let parsed): sealed = parsed
        case .failure(let failure): return "cannot read the sender's IV: \(failure)"
        }
        guard sealed.keyIndex == keyIndex else {
            return "trailer key index \(sealed.keyIndex), vector says \(keyIndex)"
        }
        do {
            var sender = FrameEncryptor(
                codec: codec,
                keys: try keyRing(),
                keyIndex: keyIndex,
                ssrc: sealed.iv.ssrc,
                sendCount: UInt64(sealed.iv.impliedSendCount)
            )
            var output: [UInt8] = []
            let outcome = sender.encrypt(
                decrypted,
                rtpTimestamp: sealed.iv.rtpTimestamp,
                into: &output
            )
            guard outcome == .encrypted else { return "sender reported \(outcome.state.name)" }
            return mismatch(output, encrypted).map { "output \($0) of encrypted_hex" }
        } catch {
            return "\(error)"
        }
    }
}
