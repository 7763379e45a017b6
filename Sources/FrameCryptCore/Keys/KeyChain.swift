import FrameCryptCrypto

/// One key-ring slot: its current material and the ratchet steps ahead of it, derived on demand
/// and kept, so that a receiver searching its ratchet window derives each step once, not per frame.
final class KeyChain {
    /// A material and the AES key derived from it.
    struct Link {
        let material: SecretBytes
        let key: AESGCMKey
        /// The key's fingerprint, safe to show.
        let fingerprint: String

        init(material: SecretBytes, parameters: KeyDerivationParameters) throws {
            self.material = material
            (key, fingerprint) = try parameters.encryptionKey(from: material)
        }
    }

    private let parameters: KeyDerivationParameters
    /// `links[0]` is the slot's current key; `links[i]` is i ratchet steps ahead.
    private var links: [Link]
    /// Ratchet steps the current key is ahead of the material the slot was set with.
    private(set) var position = 0

    init(material: SecretBytes, parameters: KeyDerivationParameters) throws {
        self.parameters = parameters
        links = [try Link(material: material, parameters: parameters)]
    }

    private init(links: [Link], parameters: KeyDerivationParameters, position: Int) {
        self.links = links
        self.parameters = parameters
        self.position = position
    }

    /// How many ratchet steps ahead of the current key are derived and kept.
    var cachedStepsAhead: Int {
        links.count - 1
    }

    /// The current key.
    var current: AESGCMKey {
        links[0].key
    }

    /// The current key's fingerprint.
    var fingerprint: String {
        links[0].fingerprint
    }

    /// The key `steps` ratchet steps ahead of the current one, deriving the missing links once.
    func key(aheadBy steps: Int) throws -> AESGCMKey {
        while links.count <= steps {
            let next = try parameters.ratchet(links[links.count - 1].material)
            links.append(try Link(material: next, parameters: parameters))
        }
        return links[steps].key
    }

    /// Makes the key `steps` ahead the current one (after a sender ratchet or a receiver catch-up).
    func advance(by steps: Int) throws {
        _ = try key(aheadBy: steps)
        links.removeFirst(steps)
        position += steps
    }

    /// An independent chain starting from the same state (derived links are shared, not re-derived).
    func copy() -> KeyChain {
        KeyChain(links: links, parameters: parameters, position: position)
    }
}

extension KeyChain {
    /// Tries the current key, then the keys 1…`window` ratchet steps ahead, until `attempt` succeeds
    /// with one; that key becomes the current one, except a success at exactly `window` steps when
    /// `keepsEdgeStep` is false (native's revert condition also fires there).
    ///
    /// - Returns: the number of steps that succeeded, or nil when no key in the window did.
    func search(window: Int, keepsEdgeStep: Bool = true, _ attempt: (AESGCMKey) -> Bool) throws -> Int? {
        if attempt(current) {
            return 0
        }
        for steps in stride(from: 1, through: window, by: 1) where attempt(try key(aheadBy: steps)) {
            if steps < window || keepsEdgeStep {
                try advance(by: steps)
            }
            return steps
        }
        return nil
    }
}
