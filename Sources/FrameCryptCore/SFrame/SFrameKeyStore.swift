package import FrameCryptFormat

/// The SFrame keys of a job: the key set's base keys grouped into one ``SFrameKeyScope`` per
/// participant (or one for the shared key) and cipher suite, made on first use.
///
/// Unlike FrameCryptor rings, shared-key scopes are not copied per participant: SFrame keys do not
/// ratchet here, and one scope lets every stream that derives the same key share its counters.
package final class SFrameKeyStore {
    package let mode: KeyProvider.Mode
    private let entries: [KeySet.Entry]
    private var scopes: [String: SFrameKeyScope] = [:]

    init(keys: KeySet) {
        mode = keys.mode
        entries = keys.entries
    }

    /// The scope `participant`'s frames use under `suite`, or nil when a per-participant store has
    /// no key for them.
    package func scope(for participant: String?, suite: SFrameCipherSuite) -> SFrameKeyScope? {
        let owner = mode == .shared ? nil : participant
        guard mode == .shared || owner != nil else { return nil }
        let name = "\(suite.rawValue):\(owner ?? "")"
        if let scope = scopes[name] {
            return scope
        }
        let owned = entries.filter { $0.participant == owner }
        guard !owned.isEmpty else { return nil }
        let scope = SFrameKeyScope(suite: suite)
        for entry in owned {
            scope.setKey(entry.material, at: entry.index, keyID: entry.keyID)
        }
        scopes[name] = scope
        return scope
    }
}
