package import FrameCryptCrypto
package import FrameCryptFormat

extension KeyMaterialSpec {
    /// The material in wiped storage.
    ///
    /// - Throws: ``FrameCryptError`` `.keyFailure` for empty material or a bad encoding.
    package func secret() throws(FrameCryptError) -> SecretBytes {
        do {
            var bytes = try decodedBytes()
            return SecretBytes(wiping: &bytes)
        } catch {
            throw FrameCryptError(.keyFailure, error.description)
        }
    }
}

extension JSONField {
    /// A key written as `{"text": …}`, `{"hex": …}` or `{"base64": …}` (exactly one of them), and
    /// whether it was text.
    func keyMaterial() throws(FrameCryptError) -> (material: SecretBytes, isText: Bool) {
        let encodings = try keys().filter { ["text", "hex", "base64"].contains($0) }
        guard encodings.count == 1, let encoding = encodings.first else {
            throw error("a key needs exactly one of \"text\", \"hex\" or \"base64\"")
        }
        let text = try field(encoding).string()
        let spec: KeyMaterialSpec =
            switch encoding {
            case "text": .text(text)
            case "hex": .hex(text)
            default: .base64(text)
            }
        do {
            return (try spec.secret(), encoding == "text")
        } catch {
            throw self.error(error.message)
        }
    }
}

extension JSONField {
    /// Key derivation parameters from already-read field values; a bad combination is reported
    /// against this object.
    func derivationParameters(
        function: KeyDerivationFunction,
        ratchetSalt: [UInt8],
        keyBits: Int = 128
    ) throws(FrameCryptError) -> KeyDerivationParameters {
        do {
            return try KeyDerivationParameters(function: function, ratchetSalt: ratchetSalt, keyBits: keyBits)
        } catch {
            throw self.error(error.message)
        }
    }
}

extension JSONField {
    /// Hex-encoded secret bytes (key material or an expected key), moved into wiped storage.
    func secretHexBytes() throws(FrameCryptError) -> SecretBytes {
        var bytes = try hexBytes()
        return SecretBytes(wiping: &bytes)
    }
}
