import FrameCryptCrypto
import FrameCryptFormat

/// The SFrame base keys of one participant (or the shared room key), by key index, and the keys
/// they derive per KID.
///
/// framecrypt's KID layout (docs/FORMAT.md): a key without an explicit KID serves every KID whose
/// low 8 bits are its key index (`KID = sender << 8 | key index`, the sender part chosen per file so
/// that two files under one key never share a KID); a key with an explicit KID serves that KID only.
package final class SFrameKeyScope {
    /// One base key at a ring index.
    struct BaseKey {
        let material: SecretBytes
        let explicitKeyID: UInt64?
    }

    let suite: SFrameCipherSuite
    private var baseKeys: [Int: BaseKey] = [:]
    private var derived: [UInt64: SFrameKey] = [:]

    init(suite: SFrameCipherSuite) {
        self.suite = suite
    }

    /// Sets the base key at `index`.
    func setKey(_ material: SecretBytes, at index: Int, keyID: UInt64?) {
        baseKeys[index] = BaseKey(material: material, explicitKeyID: keyID)
        derived.removeAll()
    }

    /// True when a base key is set at `index`.
    package func hasKey(at index: Int) -> Bool {
        baseKeys[index] != nil
    }

    /// The KID a sender uses for the key at `index`: the explicit one, else `sender << 8 | index`.
    package func senderKeyID(at index: Int, sender: UInt32) -> (keyID: UInt64, explicit: Bool) {
        if let explicit = baseKeys[index]?.explicitKeyID {
            return (explicit, true)
        }
        return (UInt64(sender) << 8 | UInt64(index), false)
    }

    /// The key for `keyID`, derived on first use; nil when no base key serves that KID.
    package func key(for keyID: UInt64) throws -> SFrameKey? {
        if let key = derived[keyID] {
            return key
        }
        let explicit = baseKeys.values.first { $0.explicitKeyID == keyID }
        let layered = baseKeys[Int(keyID & 0xFF)].flatMap { $0.explicitKeyID == nil ? $0 : nil }
        guard let base = explicit ?? layered else { return nil }
        let key = try SFrameKey(baseKey: base.material, keyID: keyID, suite: suite)
        derived[keyID] = key
        return key
    }

    /// The index of the base key that serves `keyID`, if one does.
    package func index(serving keyID: UInt64) -> Int? {
        if let explicit = baseKeys.first(where: { $0.value.explicitKeyID == keyID }) {
            return explicit.key
        }
        let index = Int(keyID & 0xFF)
        return baseKeys[index].flatMap { $0.explicitKeyID == nil ? index : nil }
    }
}
