package import FrameCryptCrypto
package import FrameCryptFormat

/// The sending side of one SFrame stream: seals each frame as `header ‖ ciphertext ‖ tag` under
/// one key and KID, taking counters from the key's shared ``SFrameCounter``.
package struct SFrameEncryptor {
    package let key: SFrameKey
    private let counter: SFrameCounter
    /// The metadata authenticated with each header (framecrypt's files use none).
    let metadata: [UInt8]
    private var aad: [UInt8] = []

    package init(key: SFrameKey, counter: SFrameCounter, metadata: [UInt8] = []) {
        self.key = key
        self.counter = counter
        self.metadata = metadata
    }

    /// Why a frame was not sealed.
    package enum Failure: Error, Equatable {
        /// The key's counter has used 2^64−1: encrypting again would repeat a nonce.
        case counterExhausted
        /// The cipher failed; the crypto library's error.
        case cipherFailed(CryptoError)
    }

    /// Seals `frame` into `output` (replacing its contents), returning the header used.
    package mutating func encrypt(_ frame: ArraySlice<UInt8>, into output: inout [UInt8]) -> Result<
        SFrameHeader, Failure
    > {
        output.removeAll(keepingCapacity: true)
        guard let value = counter.take() else { return .failure(.counterExhausted) }
        let header = SFrameHeader(keyID: key.keyID, counter: value)
        header.append(to: &output)
        aad.removeAll(keepingCapacity: true)
        aad.append(contentsOf: output)
        aad.append(contentsOf: metadata)
        do {
            try key.seal(frame, header: header, aad: aad[...], into: &output, at: output.count)
        } catch {
            output.removeAll(keepingCapacity: true)
            return .failure(.cipherFailed(error))
        }
        return .success(header)
    }
}

/// The receiving side of SFrame frames: parses the header, finds the key for its KID, refuses a
/// counter the key has already accepted, and opens the frame.
package struct SFrameDecryptor {
    /// Where keys for KIDs come from; nil when the participant has no keys at all.
    let keys: SFrameKeyScope?
    /// The metadata authenticated with each header.
    let metadata: [UInt8]
    private var aad: [UInt8] = []

    package init(keys: SFrameKeyScope?, metadata: [UInt8] = []) {
        self.keys = keys
        self.metadata = metadata
    }

    /// Opens one SFrame ciphertext into `output` (replacing its contents).
    ///
    /// - Returns: the outcome and, when the header parsed, the header.
    package mutating func decrypt(_ ciphertext: ArraySlice<UInt8>, into output: inout [UInt8]) -> (
        outcome: DecryptOutcome, header: SFrameHeader?
    ) {
        output.removeAll(keepingCapacity: true)
        let header: SFrameHeader
        let length: Int
        switch SFrameHeader.parse(ciphertext) {
        case .success(let parsed): (header, length) = parsed
        case .failure(let failure): return (.failed(.sframeHeader(failure)), nil)
        }
        let key: SFrameKey?
        do {
            key = try keys?.key(for: header.keyID)
        } catch {
            return (.failed(.derivationFailed), header)
        }
        guard let key else { return (.failed(.unknownKeyID(header.keyID)), header) }
        guard !key.acceptedCounters.contains(header.counter) else {
            return (.failed(.replayedCounter(keyID: header.keyID, counter: header.counter)), header)
        }
        let body = ciphertext.dropFirst(length)
        guard body.count >= key.suite.tagLength else {
            return (.failed(.sframeTooShort(bodyLength: body.count, tagLength: key.suite.tagLength)), header)
        }
        aad.removeAll(keepingCapacity: true)
        aad.append(contentsOf: ciphertext.prefix(length))
        aad.append(contentsOf: metadata)
        do {
            guard try key.open(body, header: header, aad: aad[...], into: &output, at: 0) else {
                return (.failed(.sframeAuthenticationFailed(keyID: header.keyID)), header)
            }
        } catch {
            return (.failed(.cipherFailed(reason: error.description)), header)
        }
        return (.decrypted(ratchetSteps: 0), header)
    }
}
