package import FrameCryptCrypto
package import FrameCryptFormat

/// The keys a job works with, as the user supplied them: one shared room key (possibly at several
/// ring indices) or keys per participant, with the scheme, derivation parameters and ring size.
///
/// Material stays in ``SecretBytes``; keys are derived when a ``KeyProvider`` or an
/// ``SFrameKeyStore`` is made.
package struct KeySet: Sendable {
    /// One key: whose (nil for the shared key), at which ring index, whether it was given as a
    /// string, and (SFrame) its explicit KID.
    struct Entry: Sendable {
        let participant: String?
        let index: Int
        let material: SecretBytes
        var isText = false
        var keyID: UInt64? = nil
        /// The KDF for this key when a receiver picks it per key (JS, by the key's form); nil for
        /// the set's own.
        var function: KeyDerivationFunction? = nil
    }

    package let mode: KeyProvider.Mode
    /// The scheme the keys are for; nil when the user did not say (a decrypting job then follows
    /// each stream's label, an encrypting one uses FrameCryptor).
    package internal(set) var scheme: EncryptionScheme?
    /// The SFrame cipher suite; nil when not given (the stream label's, else the default).
    package internal(set) var cipherSuite: SFrameCipherSuite?
    package let parameters: KeyDerivationParameters
    package let ringSize: Int
    let entries: [Entry]

    init(
        mode: KeyProvider.Mode,
        scheme: EncryptionScheme? = nil,
        cipherSuite: SFrameCipherSuite? = nil,
        parameters: KeyDerivationParameters,
        ringSize: Int,
        entries: [Entry]
    ) {
        self.mode = mode
        self.scheme = scheme
        self.cipherSuite = cipherSuite
        self.parameters = parameters
        self.ringSize = ringSize
        self.entries = entries
    }

    /// The same keys for `scheme` (and `cipherSuite`), as `--scheme` and `--cipher-suite` set them
    /// for a key from the environment or stdin.
    ///
    /// - Throws: ``FrameCryptError`` `.invalidArgument` when the keys already name another scheme,
    ///   or a suite is given for FrameCryptor keys.
    package func using(scheme: EncryptionScheme?, cipherSuite: SFrameCipherSuite?) throws(FrameCryptError) -> KeySet {
        var keys = self
        if let scheme {
            if let stated = self.scheme, stated != scheme {
                throw FrameCryptError(.invalidArgument, "the keys are for \(stated.rawValue), not \(scheme.rawValue)")
            }
            keys.scheme = scheme
        }
        if let cipherSuite {
            guard keys.scheme == .sframe else {
                throw FrameCryptError(.invalidArgument, "a cipher suite applies only to the sframe scheme")
            }
            keys.cipherSuite = cipherSuite
        }
        return keys
    }

    /// A single shared key at ring index `index`, as `setSharedKey(key, index)` sets it in an SDK.
    ///
    /// - Throws: ``FrameCryptError`` for a ring size outside 1–255 or an index outside the ring.
    package static func sharedKey(
        _ material: SecretBytes,
        isText: Bool = false,
        at index: Int,
        parameters: KeyDerivationParameters,
        ringSize: Int
    ) throws(FrameCryptError) -> KeySet {
        guard KeyRing.allowedSizes.contains(ringSize) else {
            throw FrameCryptError(.invalidArgument, "key ring size must be 1 to 255, not \(ringSize)")
        }
        guard (0..<ringSize).contains(index) else {
            throw FrameCryptError(.invalidArgument, "key index \(index) is outside the key ring (size \(ringSize))")
        }
        return KeySet(
            mode: .shared,
            parameters: parameters,
            ringSize: ringSize,
            entries: [Entry(participant: nil, index: index, material: material, isText: isText)]
        )
    }

    /// A single shared key given as text in `encoding` (from the environment or stdin).
    ///
    /// - Throws: ``FrameCryptError`` `.keyFailure` for empty material or a bad encoding, and the
    ///   errors of ``sharedKey(_:at:parameters:ringSize:)``.
    package static func sharedKey(
        text: String,
        encoding: KeyEncoding,
        at index: Int,
        parameters: KeyDerivationParameters,
        ringSize: Int
    ) throws(FrameCryptError) -> KeySet {
        let spec: KeyMaterialSpec =
            switch encoding {
            case .text: .text(text)
            case .hex: .hex(text.filter { !$0.isWhitespace })
            case .base64: .base64(text.filter { !$0.isWhitespace })
            }
        return try sharedKey(
            try spec.secret(),
            isText: encoding == .text,
            at: index,
            parameters: parameters,
            ringSize: ringSize
        )
    }

    /// The participants that have keys, sorted (empty for a shared key).
    package var participants: [String] {
        Array(Set(entries.compactMap(\.participant))).sorted()
    }

    /// The SFrame keys of the set; keys for each KID are derived when first used.
    package func makeSFrameKeys() -> SFrameKeyStore {
        SFrameKeyStore(keys: self)
    }

    /// The same keys, their derivations (AES keys and ratchet steps) kept and shared by every
    /// provider made from the result: a batch derives each key once, not once per file.
    package func cachingDerivations() -> KeySet {
        var parameters = parameters
        parameters.derivations = DerivationCache()
        return replacing(parameters: parameters)
    }

    /// The same set with other derivation parameters, other keys, or another mode.
    func replacing(
        mode: KeyProvider.Mode? = nil,
        parameters: KeyDerivationParameters? = nil,
        entries: [Entry]? = nil
    ) -> KeySet {
        KeySet(
            mode: mode ?? self.mode,
            scheme: scheme,
            cipherSuite: cipherSuite,
            parameters: parameters ?? self.parameters,
            ringSize: ringSize,
            entries: entries ?? self.entries
        )
    }

    /// A provider holding every key of the set, derived now (PBKDF2 runs once per key here, unless
    /// the set caches its derivations).
    package func makeProvider() throws(FrameCryptError) -> KeyProvider {
        let provider = try KeyProvider(mode: mode, ringSize: ringSize, parameters: parameters)
        for entry in entries {
            if let participant = entry.participant {
                try provider.setKey(entry.material, participant: participant, at: entry.index, function: entry.function)
            } else {
                try provider.setSharedKey(entry.material, at: entry.index, function: entry.function)
            }
        }
        return provider
    }
}

/// How key material given as text is written: UTF-8 text (what `setSharedKey("…")` uses), hex or base64.
package enum KeyEncoding: String, Sendable, CaseIterable {
    case text
    case hex
    case base64
}

extension KeySet {
    /// True when the ring `participant`'s frames use holds a key at `index` (the shared key's ring
    /// for every participant in shared mode).
    package func hasKey(participant: String, index: Int) -> Bool {
        entries.contains { $0.index == index && (mode == .shared || $0.participant == participant) }
    }
}
