import FrameCryptCrypto
import FrameCryptFormat

/// Another reading of the keys a user holds: what the doctor tries when the keys as stated do not
/// open a file's frames. Each variant says, without key material, how it differs.
package struct KeyVariant: Sendable {
    /// What was changed, in words a user recognises ("HKDF instead of PBKDF2").
    package let change: String
    package let keys: KeySet

    package init(change: String, keys: KeySet) {
        self.change = change
        self.keys = keys
    }
}

extension KeySet {
    /// The same keys under another KDF.
    package func derived(by function: KeyDerivationFunction) -> KeySet {
        var parameters = parameters
        parameters.function = function
        return replacing(parameters: parameters)
    }

    /// The same keys with another ratchet salt.
    package func salted(_ salt: [UInt8]) -> KeySet {
        var parameters = parameters
        parameters.ratchetSalt = salt
        return replacing(parameters: parameters)
    }

    /// The same keys for another AES key size (128 or 256).
    package func sized(_ keyBits: Int) -> KeySet {
        var parameters = parameters
        parameters.keyBits = keyBits
        return replacing(parameters: parameters)
    }

    /// The keys read the other way between string and bytes: a string key that is hex or base64
    /// taken as the bytes it spells, and a byte key taken as the string of its hex or base64 (what an
    /// app passes when it hands an SDK the text it stores). Each KDF is tried for each reading.
    package func stringBytesVariants() -> [KeyVariant] {
        var variants: [KeyVariant] = []
        let readings: [(String, (SecretBytes) -> [UInt8]?, Bool)] =
            isText
            ? [
                (
                    "the string key's hex decoded to bytes",
                    { $0.withUnsafeBytes { ByteEncoding.bytes(hexDigits: Array($0)) } }, false
                ),
                (
                    "the string key's base64 decoded to bytes",
                    { $0.withUnsafeBytes { ByteEncoding.bytes(base64Symbols: Array($0)) } }, false
                ),
            ]
            : [
                (
                    "the byte key's hex digits as a string key",
                    { $0.withUnsafeBytes { ByteEncoding.hexDigits(of: $0) } }, true
                ),
                (
                    "the byte key's base64 as a string key",
                    { $0.withUnsafeBytes { ByteEncoding.base64Symbols(of: Array($0)) } }, true
                ),
            ]
        for (change, read, isText) in readings {
            guard let read = reread(read, asText: isText) else { continue }
            for function in KeyDerivationFunction.allCases {
                variants.append(KeyVariant(change: "\(change), \(function.rawValue)", keys: read.derived(by: function)))
            }
        }
        return variants
    }

    /// Every entry's material put through `read`; nil when some entry has no such reading.
    private func reread(_ read: (SecretBytes) -> [UInt8]?, asText: Bool) -> KeySet? {
        var reread: [Entry] = []
        for entry in entries {
            guard var bytes = read(entry.material), !bytes.isEmpty else { return nil }
            reread.append(
                Entry(
                    participant: entry.participant,
                    index: entry.index,
                    material: SecretBytes(wiping: &bytes),
                    isText: asText,
                    keyID: entry.keyID
                )
            )
        }
        return replacing(entries: reread)
    }

    /// How many keys the set holds.
    package var keyCount: Int {
        entries.count
    }

    /// Key `position` of the set as the only (shared) key, at ring index `index`: a key the sender
    /// used at another index than the key file gives it, or another participant's. The change
    /// names the key by holder and index, never by material.
    package func single(_ position: Int, at index: Int) -> KeyVariant? {
        guard entries.indices.contains(position), (0..<ringSize).contains(index) else { return nil }
        let entry = entries[position]
        let holder = entry.participant.map { "\($0)'s key" } ?? "the shared key"
        return KeyVariant(
            change: "\(holder) at index \(entry.index) used at index \(index)",
            keys: replacing(
                mode: .shared,
                entries: [Entry(participant: nil, index: index, material: entry.material, isText: entry.isText)]
            )
        )
    }
}
