package import FrameCryptCrypto

/// Where a cryptor gets its keys: one shared room key, or one key ring per participant.
///
/// In shared mode each participant works on its own copy of the shared ring, created on first use,
/// so that one sender's ratchet does not move another's keys (libwebrtc's `GetSharedKey`). Setting a
/// shared key updates every copy.
package final class KeyProvider {
    /// Shared room key or per-participant keys.
    package enum Mode: String, Sendable {
        case shared
        case perParticipant
    }

    package let mode: Mode
    private let ringSize: Int
    private let parameters: KeyDerivationParameters
    private let sharedRing: KeyRing
    private var rings: [String: KeyRing] = [:]

    /// A provider with no keys yet.
    ///
    /// - Throws: ``FrameCryptError`` for a ring size outside 1–255.
    package init(
        mode: Mode,
        ringSize: Int = KeyRing.defaultSize,
        parameters: KeyDerivationParameters
    ) throws(FrameCryptError) {
        self.mode = mode
        self.ringSize = ringSize
        self.parameters = parameters
        sharedRing = try KeyRing(size: ringSize, parameters: parameters)
    }

    /// Sets the shared key at `index` for everyone, including participants already seen.
    ///
    /// - Throws: ``FrameCryptError`` outside shared mode, for a bad index or a failed derivation.
    package func setSharedKey(_ material: SecretBytes, at index: Int, function: KeyDerivationFunction? = nil)
        throws(FrameCryptError)
    {
        guard mode == .shared else {
            throw FrameCryptError(.invalidArgument, "a shared key needs shared-key mode")
        }
        try sharedRing.setKey(material, at: index, function: function)
        for ring in rings.values {
            try ring.setKey(material, at: index, function: function)
        }
    }

    /// Sets `participant`'s key at `index`.
    ///
    /// - Throws: ``FrameCryptError`` outside per-participant mode, for a bad index or a failed derivation.
    package func setKey(
        _ material: SecretBytes,
        participant: String,
        at index: Int,
        function: KeyDerivationFunction? = nil
    ) throws(FrameCryptError) {
        guard mode == .perParticipant else {
            throw FrameCryptError(.invalidArgument, "a participant key needs per-participant mode")
        }
        if let ring = rings[participant] {
            try ring.setKey(material, at: index, function: function)
        } else {
            let ring = try KeyRing(size: ringSize, parameters: parameters)
            try ring.setKey(material, at: index, function: function)
            rings[participant] = ring
        }
    }

    /// The key ring `participant`'s frames use, or nil when a per-participant provider has no key
    /// for them. The same ring is returned for every stream of a participant.
    package func keyRing(for participant: String) -> KeyRing? {
        if let ring = rings[participant] {
            return ring
        }
        guard mode == .shared else { return nil }
        let ring = sharedRing.copy()
        rings[participant] = ring
        return ring
    }
}
