import FrameCryptFormat

/// An exported SFrame frame vector (`"scheme": "sframe"` in a `vectors` array): the frame form
/// plaintext, the SFrame ciphertext (header, ciphertext and tag, without container carriage), the
/// suite, KID and counter, and a reference to the base key in the vector file's key file.
struct ProfileSFrameVector {
    let id: String
    let keys: VectorKeys
    let participant: String?
    let suite: SFrameCipherSuite
    let keyID: UInt64?
    let counter: UInt64?
    let expected: FrameCryptionState
    let plaintext: [UInt8]
    let encrypted: [UInt8]

    init(_ json: JSONField, keys: () throws(FrameCryptError) -> VectorKeys?) throws(FrameCryptError) {
        id = try json.field("id").string()
        let reference = try json.field("keyRef")
        guard let loaded = try keys() else {
            throw reference.error(
                "references a key file, but neither the command nor the vector file (\"keyFile\") names one"
            )
        }
        self.keys = loaded
        participant = try reference.optional("participant")?.string()
        suite = try json.sframeSuite("cipherSuite")
        keyID = try json.optional("kid")?.unsigned64()
        counter = try json.optional("ctr")?.unsigned64()
        let name = try json.field("expectedState").string()
        guard let state = FrameCryptionState.allCases.first(where: { $0.name == name }) else {
            throw try json.field("expectedState").error("\"\(name)\" is not a FrameCryptor state")
        }
        expected = state
        plaintext = try json.field("plaintextHex").hexBytes()
        encrypted = try json.field("encryptedHex").hexBytes()
        if expected == .ok && (keyID == nil || counter == nil) {
            throw json.error("a vector that decrypts needs \"kid\" and \"ctr\"")
        }
    }

    /// Encrypts the plaintext under the KID and counter (for frames that decrypt) and opens the
    /// ciphertext with a receiver holding the referenced base keys.
    func run() -> VectorResult {
        var checks: [VectorCheck] = []
        if expected == .ok, let keyID, let counter {
            checks.append(VectorCheck("encrypt", failure: encryptFailure(keyID: keyID, counter: counter)))
        }
        checks.append(VectorCheck("decrypt", failure: decryptFailure()))
        return VectorResult(section: "vectors", id: id, checks: checks)
    }

    private func encryptFailure(keyID: UInt64, counter: UInt64) -> String? {
        do {
            guard let key = try keys.sframeScope(participant: participant, suite: suite)?.key(for: keyID) else {
                return "no key serves KID \(keyID)"
            }
            var encryptor = SFrameEncryptor(key: key, counter: SFrameCounter(start: counter))
            var sealed: [UInt8] = []
            switch encryptor.encrypt(plaintext[...], into: &sealed) {
            case .success: return mismatch(sealed, encrypted).map { "output \($0) of encryptedHex" }
            case .failure(let failure): return "\(failure)"
            }
        } catch {
            return "key derivation failed"
        }
    }

    private func decryptFailure() -> String? {
        var decryptor = SFrameDecryptor(keys: keys.sframeScope(participant: participant, suite: suite))
        var opened: [UInt8] = []
        let outcome = decryptor.decrypt(encrypted[...], into: &opened).outcome
        guard outcome.state == expected else {
            let reason = if case .failed(let failure) = outcome { ": \(failure)" } else { "" }
            return "reported \(outcome.state.name)\(reason), vector says \(expected.name)"
        }
        return expected == .ok ? mismatch(opened, plaintext).map { "output \($0) of plaintextHex" } : nil
    }
}
