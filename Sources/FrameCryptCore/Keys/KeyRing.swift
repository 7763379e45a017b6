package import FrameCryptCrypto

/// The keys of one participant (or of the shared room key): a ring of slots indexed by the key index
/// carried in each frame's trailer, as libwebrtc's `ParticipantKeyHandler` keeps them.
package final class KeyRing {
    /// Ring size every SDK uses by default.
    package static let defaultSize = 16
    /// Sizes the format allows (the key index is one byte and must be below the size).
    package static let allowedSizes = 1...255

    /// The number of slots.
    package let size: Int
    /// How this ring's material becomes keys.
    package let parameters: KeyDerivationParameters
    private var slots: [KeyChain?]
    /// Consecutive failures per key index, for receivers with a failure tolerance (the ring is the
    /// participant's handler, shared by their streams).
    private var failures: [UInt8: Int] = [:]
    private var invalidIndices: Set<UInt8> = []

    /// An empty ring.
    ///
    /// - Throws: ``FrameCryptError`` when `size` is outside 1–255.
    package init(size: Int = defaultSize, parameters: KeyDerivationParameters) throws(FrameCryptError) {
        guard Self.allowedSizes.contains(size) else {
            throw FrameCryptError(.invalidArgument, "key ring size must be 1 to 255, not \(size)")
        }
        self.size = size
        self.parameters = parameters
        slots = Array(repeating: nil, count: size)
    }

    private init(copying other: KeyRing) {
        size = other.size
        parameters = other.parameters
        slots = other.slots.map { $0?.copy() }
    }

    /// Puts `material` into slot `index`, deriving its key now.
    ///
    /// - Throws: ``FrameCryptError`` for an index outside the ring or a failed derivation.
    /// - Parameter function: the KDF for this key when it differs from the ring's (JS picks it per
    ///   key by the key's form).
    package func setKey(_ material: SecretBytes, at index: Int, function: KeyDerivationFunction? = nil)
        throws(FrameCryptError)
    {
        try checkIndex(index)
        var parameters = parameters
        if let function {
            parameters.function = function
        }
        do {
            slots[index] = try KeyChain(material: material, parameters: parameters)
        } catch {
            throw FrameCryptError(.internalFailure, "key derivation failed: \(error)", cause: error)
        }
    }

    /// Ratchets slot `index` forward `steps` times, as a sender does when it rotates by ratcheting.
    ///
    /// - Throws: ``FrameCryptError`` for an index outside the ring, an empty slot or a failed derivation.
    package func ratchetKey(at index: Int, steps: Int = 1) throws(FrameCryptError) {
        try checkIndex(index)
        guard let chain = slots[index] else {
            throw FrameCryptError(.keyFailure, "no key at index \(index) to ratchet")
        }
        do {
            try chain.advance(by: steps)
        } catch {
            throw FrameCryptError(.internalFailure, "key derivation failed: \(error)", cause: error)
        }
    }

    /// True when slot `index` holds a key.
    package func hasKey(at index: Int) -> Bool {
        slots.indices.contains(index) && slots[index] != nil
    }

    /// The fingerprint of slot `index`'s current key (first 8 hex digits of the SHA-256 of the
    /// derived AES key), or nil when the slot is empty.
    package func fingerprint(at index: Int) -> String? {
        chain(at: index)?.fingerprint
    }

    /// How many ratchet steps slot `index`'s current key is ahead of the material it was set with;
    /// nil for an empty slot.
    package func ratchetPosition(at index: Int) -> Int? {
        chain(at: index)?.position
    }

    /// A ring with the same keys whose ratchet state then evolves on its own (native shared-key clones).
    package func copy() -> KeyRing {
        KeyRing(copying: self)
    }

    /// True when a receiver with a failure tolerance gave up on key index `index`.
    package func isMarkedInvalid(_ index: UInt8) -> Bool {
        invalidIndices.contains(index)
    }

    /// Counts a failure at `index`; past `tolerance`'s limit the index is marked invalid.
    package func countFailure(at index: UInt8, tolerance: ReceiverProfile.FailureTolerance) {
        guard case .perKeyIndex(let limit) = tolerance else { return }
        failures[index, default: 0] += 1
        if failures[index, default: 0] > limit {
            invalidIndices.insert(index)
        }
    }

    /// A success at `index` ends its run of failures.
    package func countSuccess(at index: UInt8) {
        if !failures.isEmpty {
            failures[index] = nil
        }
    }

    /// The chain of slot `index`, or nil for an index outside the ring or an empty slot.
    func chain(at index: Int) -> KeyChain? {
        slots.indices.contains(index) ? slots[index] : nil
    }

    private func checkIndex(_ index: Int) throws(FrameCryptError) {
        guard slots.indices.contains(index) else {
            throw FrameCryptError(.invalidArgument, "key index \(index) is outside the key ring (size \(size))")
        }
    }
}
