import FrameCryptCrypto

extension KeySet {
    /// The keys as `profile`'s SDK holds them when an app hands it the same key file: the KDF it
    /// picks for them, the AES key size it derives, and the bytes it makes of a string key.
    ///
    /// Where these differ from the file's own parameters the receiver derives other AES keys, and
    /// its frames fail exactly as they would in that SDK.
    package func received(by profile: ReceiverProfile) throws(FrameCryptError) -> KeySet {
        var parameters = parameters
        parameters.function = Self.function(profile.derivation, stated: parameters.function, text: isText)
        if profile.always128BitKeys {
            parameters.keyBits = 128
        }
        var received: [Entry] = []
        for entry in entries {
            var copy = entry
            if entry.isText, profile.textEncoding == .utf16LowBytes {
                copy = Entry(
                    participant: entry.participant,
                    index: entry.index,
                    material: Self.utf16LowBytes(of: entry.material),
                    isText: true,
                    keyID: entry.keyID
                )
            }
            if profile.derivation == .byMaterialType {
                copy.function = Self.function(profile.derivation, stated: parameters.function, text: entry.isText)
            }
            received.append(copy)
        }
        return replacing(parameters: parameters, entries: received)
    }

    /// Why `profile`'s SDK would hold other keys than these, in words (empty when it holds the same).
    package func receiverDifferences(_ profile: ReceiverProfile) -> [String] {
        let sdk = profile.name.rawValue
        var differences: [String] = []
        let function = Self.function(profile.derivation, stated: parameters.function, text: isText)
        if function != parameters.function {
            switch profile.derivation {
            case .byMaterialType:
                differences.append(
                    "\(sdk) derives \(isText ? "string" : "byte") keys with \(function.rawValue.uppercased()), these keys use \(parameters.function.rawValue.uppercased())"
                )
            case .option:
                differences.append("\(sdk) has no HKDF option: it derives PBKDF2")
            }
        }
        if profile.always128BitKeys && parameters.keyBits != 128 {
            differences.append("\(sdk) derives 128-bit AES keys only, these are \(parameters.keyBits)-bit")
        }
        if profile.textEncoding == .utf16LowBytes,
            entries.contains(where: { $0.isText && $0.material.withUnsafeBytes { $0.contains { $0 >= 0x80 } } })
        {
            differences.append(
                "\(sdk) makes string keys into bytes by UTF-16 code units cut to a byte, not UTF-8, and this key is not ASCII"
            )
        }
        return differences
    }

    /// True when every key was given as a string (the form JS imports for PBKDF2).
    package var isText: Bool {
        entries.allSatisfy(\.isText)
    }

    private static func function(
        _ derivation: ReceiverProfile.Derivation,
        stated: KeyDerivationFunction,
        text: Bool
    ) -> KeyDerivationFunction {
        switch derivation {
        case .byMaterialType: text ? .pbkdf2 : .hkdf
        case .option(let hkdfAvailable): stated == .hkdf && hkdfAvailable ? .hkdf : .pbkdf2
        }
    }

    /// The low byte of each UTF-16 code unit of the UTF-8 text in `material`, decoded without
    /// making a `String` (which could not be wiped).
    private static func utf16LowBytes(of material: SecretBytes) -> SecretBytes {
        var bytes: [UInt8] = []
        material.withUnsafeBytes { raw in
            bytes.reserveCapacity(raw.count)
            var input = raw.makeIterator()
            var decoder = Unicode.UTF8()
            while case .scalarValue(let scalar) = decoder.decode(&input) {
                UTF16.encode(scalar) { bytes.append(UInt8(truncatingIfNeeded: $0)) }
            }
        }
        return SecretBytes(wiping: &bytes)
    }
}
