import FrameCryptCrypto
import FrameCryptFormat

/// Which function turns key material into AES keys and ratchets it.
package enum KeyDerivationFunction: String, Sendable, Hashable, CaseIterable {
    /// PBKDF2-HMAC-SHA256, 100 000 iterations: every SDK's default, used for text keys.
    case pbkdf2
    /// HKDF-SHA256 with 128 zero bytes of info: the JS SDK's choice for raw-byte keys, an option natively.
    case hkdf
}

/// How key material becomes AES-GCM keys: the KDF, the ratchet salt and the AES key size.
///
/// The same parameters drive the ratchet: the next material is the KDF's 32-byte output.
package struct KeyDerivationParameters: Sendable, Hashable {
    /// The salt every SDK uses unless configured otherwise.
    package static let defaultRatchetSalt = "LKFrameEncryptionKey"
    /// PBKDF2 iteration count fixed by the format.
    package static let pbkdf2Iterations = 100_000
    /// HKDF info fixed by the format: 128 zero bytes.
    package static let hkdfInfo = [UInt8](repeating: 0, count: 128)
    /// Length of ratcheted material.
    package static let ratchetMaterialLength = 32

    package var function: KeyDerivationFunction
    package var ratchetSalt: [UInt8]
    /// 128 (every native SDK) or 256 (JS-only interoperability).
    package var keyBits: Int
    /// Where derivations are kept for reuse across a batch's jobs; nil derives every time. Not part
    /// of the parameters' identity.
    var derivations: DerivationCache?

    /// - Throws: ``FrameCryptError`` when `keyBits` is neither 128 nor 256.
    package init(
        function: KeyDerivationFunction = .pbkdf2,
        ratchetSalt: [UInt8] = Array(defaultRatchetSalt.utf8),
        keyBits: Int = 128
    ) throws(FrameCryptError) {
        guard keyBits == 128 || keyBits == 256 else {
            throw FrameCryptError(.invalidArgument, "AES key size must be 128 or 256 bits, not \(keyBits)")
        }
        self.function = function
        self.ratchetSalt = ratchetSalt
        self.keyBits = keyBits
    }

    /// The AES-GCM key derived from `material`, with its fingerprint: the first 8 hex digits of the
    /// SHA-256 of the derived key, which tells keys apart in reports without revealing them.
    func encryptionKey(from material: SecretBytes) throws -> (key: AESGCMKey, fingerprint: String) {
        let derived = try derive(material, length: keyBits / 8)
        let digest = try SHA256.digest(derived)
        return (try AESGCMKey(key: derived), ByteEncoding.hex(digest.prefix(4)))
    }

    /// The material that follows `material` in the ratchet chain.
    func ratchet(_ material: SecretBytes) throws -> SecretBytes {
        try derive(material, length: Self.ratchetMaterialLength)
    }

    private func derive(_ material: SecretBytes, length: Int) throws -> SecretBytes {
        guard let derivations else { return try computeDerivation(material, length: length) }
        return try derivations.derived(
            from: material,
            function: function,
            salt: ratchetSalt,
            length: length,
            by: computeDerivation
        )
    }

    private func computeDerivation(_ material: SecretBytes, length: Int) throws -> SecretBytes {
        switch function {
        case .pbkdf2:
            try KeyDerivation.pbkdf2SHA256(
                password: material,
                salt: ratchetSalt,
                iterations: Self.pbkdf2Iterations,
                length: length
            )
        case .hkdf:
            try KeyDerivation.hkdfSHA256(keyMaterial: material, salt: ratchetSalt, info: Self.hkdfInfo, length: length)
        }
    }
}

extension KeyDerivationParameters {
    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.function == rhs.function && lhs.ratchetSalt == rhs.ratchetSalt && lhs.keyBits == rhs.keyBits
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(function)
        hasher.combine(ratchetSalt)
        hasher.combine(keyBits)
    }
}
