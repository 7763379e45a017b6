import FrameCryptCrypto
import FrameCryptShared

/// Key material derived once and shared by every job of a batch that uses the same keys.
///
/// A text key costs a 100 000-iteration PBKDF2 (tens of milliseconds) for its AES key and for each
/// ratchet step; without this, a batch of a thousand files repeats that for every file. Entries are
/// found by comparing the material itself (a batch holds a handful of keys and steps), so nothing
/// computed from a key, such as a digest, is kept to look it up. Every entry is ``SecretBytes``,
/// wiped when the last job's key set lets go of the cache at the end of the batch.
final class DerivationCache: Sendable {
    private struct Entry {
        let material: SecretBytes
        let function: KeyDerivationFunction
        let salt: [UInt8]
        let length: Int
        let derived: SecretBytes
    }

    private let entries = Guarded<[Entry]>([])

    /// How many derivations ran, not counting the ones served from the cache.
    var derivations: Int {
        entries.withLock { $0.count }
    }

    /// The `length`-byte derivation of `material` by `function` under `salt`: computed by `derive`
    /// on first use, then kept.
    ///
    /// The lock is held while deriving, so jobs that need the same key wait for one derivation
    /// instead of each running their own.
    func derived(
        from material: SecretBytes,
        function: KeyDerivationFunction,
        salt: [UInt8],
        length: Int,
        by derive: (SecretBytes, Int) throws -> SecretBytes
    ) rethrows -> SecretBytes {
        try entries.withLock { entries in
            if let known = entries.first(where: {
                $0.length == length && $0.function == function && $0.salt == salt && $0.material == material
            }) {
                return known.derived
            }
            let derived = try derive(material, length)
            entries.append(
                Entry(material: material, function: function, salt: salt, length: length, derived: derived)
            )
            return derived
        }
    }
}
