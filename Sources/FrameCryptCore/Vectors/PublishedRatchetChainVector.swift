import FrameCryptCrypto
import FrameCryptFormat

/// A ratchet-chain vector from `framecryptor-published.json`: one plaintext sealed with each key of
/// a PBKDF2 ratchet chain, with a fixed IV and AAD.
struct PublishedRatchetChainVector {
    let id: String
    let parameters: KeyDerivationParameters
    let material: SecretBytes
    let plaintext: [UInt8]
    let iv: FrameIV
    let aad: [UInt8]
    let ciphertexts: [[UInt8]]

    init(_ json: JSONField) throws(FrameCryptError) {
        id = try json.field("id").string()
        parameters = try json.derivationParameters(
            function: try json.field("kdf").choice(KeyDerivationFunction.self),
            ratchetSalt: try json.field("salt_hex").hexBytes()
        )
        material = try json.field("material_hex").secretHexBytes()
        plaintext = try json.field("plaintext_hex").hexBytes()
        let ivField = try json.field("iv_hex")
        guard let iv = FrameIV(bytes: try ivField.hexBytes()[...]) else { throw ivField.error("an IV is 12 bytes") }
        self.iv = iv
        aad = try json.field("aad_hex").hexBytes()
        ciphertexts = try json.field("ciphertexts_hex").array().map { field throws(FrameCryptError) in
            try field.hexBytes()
        }
    }

    /// A sender seals the plaintext, ratcheting after each ciphertext; a receiver holding the first
    /// key follows the chain through its ratchet window.
    func run() -> VectorResult {
        VectorResult(
            section: "ratchet_chain",
            id: id,
            checks: [
                VectorCheck("encrypt", failure: encryptFailure()), VectorCheck("decrypt", failure: decryptFailure()),
            ]
        )
    }

    private func encryptFailure() -> String? {
        do {
            let chain = try KeyChain(material: material, parameters: parameters)
            for (step, expected) in ciphertexts.enumerated() {
                var output: [UInt8] = []
                try OpenSSLFrameCipher(key: chain.current).seal(
                    plaintext[...],
                    authenticating: aad[...],
                    iv: iv,
                    into: &output,
                    at: 0
                )
                if let difference = mismatch(output, expected) {
                    return "step \(step): output \(difference) of the expected ciphertext"
                }
                try chain.advance(by: 1)
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    private func decryptFailure() -> String? {
        do {
            let chain = try KeyChain(material: material, parameters: parameters)
            for (step, ciphertext) in ciphertexts.enumerated() {
                var output: [UInt8] = []
                var cipherFailure: CipherFailure?
                let found = try chain.search(window: FrameDecryptor.defaultRatchetWindow) { key in
                    do throws(CipherFailure) {
                        return try OpenSSLFrameCipher(key: key).open(
                            ciphertext[...],
                            authenticating: aad[...],
                            iv: iv,
                            into: &output,
                            at: 0
                        )
                    } catch {
                        cipherFailure = error
                        return false
                    }
                }
                if let cipherFailure { throw cipherFailure }
                guard let found else { return "step \(step): no key in the ratchet window opens it" }
                guard found == min(step, 1) else {
                    return "step \(step): opened \(found) steps ahead, expected \(min(step, 1))"
                }
                if let difference = mismatch(output, plaintext) {
                    return "step \(step): output \(difference) of the plaintext"
                }
            }
            return nil
        } catch {
            return "\(error)"
        }
    }
}
