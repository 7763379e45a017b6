import FrameCryptCrypto
import FrameCryptFormat

/// A header vector of RFC 9605 Appendix C.1: `encode(kid, ctr) == encoded` and back.
struct SFrameHeaderVector {
    let keyID: UInt64
    let counter: UInt64
    let encoded: [UInt8]

    init(_ json: JSONField) throws(FrameCryptError) {
        keyID = try json.field("kid").unsigned64()
        counter = try json.field("ctr").unsigned64()
        encoded = try json.field("encoded").hexBytes()
    }

    func run() -> VectorResult {
        let header = SFrameHeader(keyID: keyID, counter: counter)
        let decoded: String?
        switch SFrameHeader.parse(encoded[...]) {
        case .success((let parsed, let length)):
            decoded =
                parsed == header && length == encoded.count
                ? nil : "gives KID \(parsed.keyID), CTR \(parsed.counter) in \(length) bytes"
        case .failure(let failure):
            decoded = failure.description
        }
        return VectorResult(
            section: "header",
            id: "kid=0x\(String(keyID, radix: 16)) ctr=0x\(String(counter, radix: 16))",
            checks: [
                VectorCheck("encode", failure: mismatch(header.encoded, encoded)),
                VectorCheck("decode", failure: decoded),
            ]
        )
    }
}

/// An AES-CTR + HMAC vector of RFC 9605 Appendix C.2: seal and open with a 48-byte key.
struct SFrameCTRHMACVector {
    let suite: SFrameCipherSuite
    let key: SecretBytes
    let encryptionKey: SecretBytes
    let authenticationKey: SecretBytes
    let nonce: [UInt8]
    let aad: [UInt8]
    let plaintext: [UInt8]
    let ciphertext: [UInt8]

    init(_ json: JSONField) throws(FrameCryptError) {
        suite = try json.sframeSuite("cipher_suite")
        guard !suite.isGCM else { throw json.error("an AES-CTR-HMAC vector needs suite 1, 2 or 3") }
        key = try json.field("key").secretHexBytes()
        encryptionKey = try json.field("enc_key").secretHexBytes()
        authenticationKey = try json.field("auth_key").secretHexBytes()
        nonce = try json.field("nonce").hexBytes()
        aad = try json.field("aad").hexBytes()
        plaintext = try json.field("pt").hexBytes()
        ciphertext = try json.field("ct").hexBytes()
    }

    func run() -> VectorResult {
        var checks = [VectorCheck("key split", failure: keySplitMismatch())]
        do {
            let cipher = try AESCTRHMACKey(key: key, tagLength: suite.tagLength)
            guard let nonce = AEADNonce(bytes: nonce) else {
                throw FrameCryptError(.malformedInput, "nonce is not 12 bytes")
            }
            var sealed: [UInt8] = []
            try cipher.seal(plaintext[...], authenticating: aad[...], nonce: nonce, into: &sealed, at: 0)
            checks.append(VectorCheck("encrypt", failure: mismatch(sealed, ciphertext)))
            var opened: [UInt8] = []
            let authentic = try cipher.open(
                ciphertext[...],
                authenticating: aad[...],
                nonce: nonce,
                into: &opened,
                at: 0
            )
            checks.append(
                VectorCheck("decrypt", failure: authentic ? mismatch(opened, plaintext) : "authentication failed")
            )
        } catch {
            checks.append(VectorCheck("key setup", failure: "\(error)"))
        }
        return VectorResult(section: "aes_ctr_hmac", id: suite.name, checks: checks)
    }

    private func keySplitMismatch() -> String? {
        let whole = key.withUnsafeBytes { Array($0) }
        let split =
            encryptionKey.withUnsafeBytes { Array($0) } == Array(whole.prefix(SFrameCipherSuite.ctrKeyLength))
            && authenticationKey.withUnsafeBytes { Array($0) } == Array(whole.dropFirst(SFrameCipherSuite.ctrKeyLength))
        return split ? nil : "enc_key ‖ auth_key differs from key"
    }
}

/// A full SFrame vector of RFC 9605 Appendix C.3: key derivation, nonce, AAD, encrypt and decrypt.
struct SFrameFrameVector {
    let suite: SFrameCipherSuite
    let keyID: UInt64
    let counter: UInt64
    let baseKey: SecretBytes
    let keyLabel: [UInt8]
    let saltLabel: [UInt8]
    let secret: SecretBytes
    let key: SecretBytes
    let salt: SecretBytes
    let metadata: [UInt8]
    let nonce: [UInt8]
    let aad: [UInt8]
    let plaintext: [UInt8]
    let ciphertext: [UInt8]

    init(_ json: JSONField) throws(FrameCryptError) {
        suite = try json.sframeSuite("cipher_suite")
        keyID = try json.field("kid").unsigned64()
        counter = try json.field("ctr").unsigned64()
        baseKey = try json.field("base_key").secretHexBytes()
        keyLabel = try json.field("sframe_key_label").hexBytes()
        saltLabel = try json.field("sframe_salt_label").hexBytes()
        secret = try json.field("sframe_secret").secretHexBytes()
        key = try json.field("sframe_key").secretHexBytes()
        salt = try json.field("sframe_salt").secretHexBytes()
        metadata = try json.field("metadata").hexBytes()
        nonce = try json.field("nonce").hexBytes()
        aad = try json.field("aad").hexBytes()
        plaintext = try json.field("pt").hexBytes()
        ciphertext = try json.field("ct").hexBytes()
    }

    func run() -> VectorResult {
        let header = SFrameHeader(keyID: keyID, counter: counter)
        var checks = [
            VectorCheck("key label", failure: mismatch(suite.keyLabel(keyID: keyID), keyLabel)),
            VectorCheck("salt label", failure: mismatch(suite.saltLabel(keyID: keyID), saltLabel)),
            VectorCheck("aad", failure: mismatch(header.encoded + metadata, aad)),
        ]
        do {
            let derived = try SFrameKeyDerivation(baseKey: baseKey, keyID: keyID, suite: suite)
            checks.append(VectorCheck("secret", failure: derived.secret == secret ? nil : "differs from sframe_secret"))
            checks.append(VectorCheck("key", failure: derived.key == key ? nil : "differs from sframe_key"))
            checks.append(VectorCheck("salt", failure: derived.salt == salt ? nil : "differs from sframe_salt"))
            let nonces = derived.salt.withUnsafeBytes { SFrameNonce(salt: $0) }
            checks.append(
                VectorCheck(
                    "nonce",
                    failure: nonces.map { mismatch($0.bytes(counter: counter), nonce) } ?? "sframe_salt is not 12 bytes"
                )
            )
            checks += try roundTrip()
        } catch {
            checks.append(VectorCheck("derive", failure: "\(error)"))
        }
        return VectorResult(section: "sframe", id: suite.name, checks: checks)
    }

    /// Encrypts with a sender whose counter starts at the vector's, and decrypts with a receiver.
    private func roundTrip() throws -> [VectorCheck] {
        let sender = try SFrameKey(baseKey: baseKey, keyID: keyID, suite: suite)
        var encryptor = SFrameEncryptor(key: sender, counter: SFrameCounter(start: counter), metadata: metadata)
        var sealed: [UInt8] = []
        let encrypt: String? =
            switch encryptor.encrypt(plaintext[...], into: &sealed) {
            case .success: mismatch(sealed, ciphertext)
            case .failure(let failure): "\(failure)"
            }
        let receiver = SFrameKeyScope(suite: suite)
        receiver.setKey(baseKey, at: Int(keyID & 0xFF), keyID: keyID)
        var decryptor = SFrameDecryptor(keys: receiver, metadata: metadata)
        var opened: [UInt8] = []
        let decrypt: String? =
            switch decryptor.decrypt(ciphertext[...], into: &opened).outcome {
            case .decrypted: mismatch(opened, plaintext)
            case .failed(let failure): failure.description
            default: "not decrypted"
            }
        return [VectorCheck("encrypt", failure: encrypt), VectorCheck("decrypt", failure: decrypt)]
    }
}

extension JSONField {
    /// An SFrame cipher suite given by its number or registry name.
    func sframeSuite(_ name: String) throws(FrameCryptError) -> SFrameCipherSuite {
        let field = try field(name)
        let text: String
        switch field.value {
        case .integer(let number): text = String(number)
        case .string(let string): text = string
        default: throw field.error("expected a cipher suite number or name, found \(field.value.typeName)")
        }
        guard let suite = SFrameCipherSuite(named: text) else {
            let names = SFrameCipherSuite.allCases.map(\.name).joined(separator: ", ")
            throw field.error("\"\(text)\" is not an SFrame cipher suite (\(names), or 1-5)")
        }
        return suite
    }
}
