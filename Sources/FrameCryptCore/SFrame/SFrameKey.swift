import FrameCryptCrypto
package import FrameCryptFormat

/// What one base key derives for one KID under one cipher suite (RFC 9605 §4.4.2).
struct SFrameKeyDerivation {
    /// `HKDF-Extract("", base_key)`.
    let secret: SecretBytes
    /// `HKDF-Expand(secret, key label, Nk)`.
    let key: SecretBytes
    /// `HKDF-Expand(secret, salt label, Nn)`.
    let salt: SecretBytes

    init(baseKey: SecretBytes, keyID: UInt64, suite: SFrameCipherSuite) throws {
        let hash: DigestAlgorithm = suite.hash == .sha512 ? .sha512 : .sha256
        secret = try KeyDerivation.hkdfExtract(hash: hash, salt: [], keyMaterial: baseKey)
        key = try KeyDerivation.hkdfExpand(
            hash: hash,
            pseudorandomKey: secret,
            info: suite.keyLabel(keyID: keyID),
            length: suite.keyLength
        )
        salt = try KeyDerivation.hkdfExpand(
            hash: hash,
            pseudorandomKey: secret,
            info: suite.saltLabel(keyID: keyID),
            length: SFrameCipherSuite.nonceLength
        )
    }
}

/// The SFrame key for one (base key, KID, suite): the AEAD, the salt its nonces are made from, and
/// the counters a receiver has accepted under it, so that a replayed counter is refused.
package final class SFrameKey {
    package let keyID: UInt64
    package let suite: SFrameCipherSuite
    /// First 8 hex digits of the SHA-256 of `sframe_key`: tells keys apart without revealing them.
    let fingerprint: String
    /// The SHA-256 of `sframe_key ‖ sframe_salt`: equal exactly when two keys would make the same
    /// nonces, which must then share one counter.
    package let identity: [UInt8]
    private let aead: any AEADKey
    private let nonces: SFrameNonce
    /// Counters of frames this key has opened.
    private(set) var acceptedCounters = CounterSet()

    init(baseKey: SecretBytes, keyID: UInt64, suite: SFrameCipherSuite) throws {
        let derived = try SFrameKeyDerivation(baseKey: baseKey, keyID: keyID, suite: suite)
        self.keyID = keyID
        self.suite = suite
        aead =
            suite.isGCM
            ? try AESGCMKey(key: derived.key) : try AESCTRHMACKey(key: derived.key, tagLength: suite.tagLength)
        guard let nonces = derived.salt.withUnsafeBytes({ SFrameNonce(salt: $0) }) else {
            throw FrameCryptError(.internalFailure, "SFrame key setup: a salt of \(derived.salt.count) bytes")
        }
        self.nonces = nonces
        fingerprint = ByteEncoding.hex(try SHA256.digest(derived.key).prefix(4))
        identity = try SHA256.digest(concatenating: [derived.key, derived.salt])
    }

    /// The nonce of `counter`: the salt XOR the counter.
    private func nonce(counter: UInt64) -> AEADNonce {
        let (first, second, third) = nonces.words(counter: counter)
        return AEADNonce(first, second, third)
    }

    /// Seals `plaintext` for `header`, authenticating `aad`, at `offset` in `output`.
    func seal(
        _ plaintext: ArraySlice<UInt8>,
        header: SFrameHeader,
        aad: ArraySlice<UInt8>,
        into output: inout [UInt8],
        at offset: Int
    ) throws(CryptoError) {
        try aead.seal(plaintext, authenticating: aad, nonce: nonce(counter: header.counter), into: &output, at: offset)
    }

    /// Opens `ciphertextAndTag` for `header`, authenticating `aad`, at `offset` in `output`. A
    /// success records the counter as accepted.
    ///
    /// - Returns: false when the tag does not authenticate the frame.
    /// - Throws: ``CryptoError`` when the cipher itself failed.
    func open(
        _ ciphertextAndTag: ArraySlice<UInt8>,
        header: SFrameHeader,
        aad: ArraySlice<UInt8>,
        into output: inout [UInt8],
        at offset: Int
    ) throws(CryptoError) -> Bool {
        guard
            try aead.open(
                ciphertextAndTag,
                authenticating: aad,
                nonce: nonce(counter: header.counter),
                into: &output,
                at: offset
            )
        else { return false }
        acceptedCounters.insert(header.counter)
        return true
    }
}
