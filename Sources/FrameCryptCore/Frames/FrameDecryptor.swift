import FrameCryptCrypto
package import FrameCryptFormat

/// Why a frame was not decrypted. Descriptions are one line and never contain key material.
package enum DecryptFailure: Sendable, Hashable, CustomStringConvertible {
    /// The bytes are not a FrameCryptor frame (too short, bad trailer, bad AV1 envelope).
    case format(FrameFormatFailure)
    /// The trailer names a key index at or beyond the ring size.
    case keyIndexOutOfRing(keyIndex: UInt8, ringSize: Int)
    /// No key is set at the trailer's key index, or the participant has no keys at all.
    case noKey(keyIndex: UInt8)
    /// No key authenticated the frame: the current one nor any of `ratchetSteps` steps ahead.
    case authenticationFailed(ratchetSteps: Int)
    /// The frame carries the server-injected-frame trailer but is not a known blank frame.
    case unexpectedServerInjectedPayload
    /// A receiver profile's SDK cannot open encrypted frames of this stream's codec. (Its payload
    /// stays small: the outcome is returned for every frame.)
    case codecUnsupported(receiver: ReceiverProfile.Name)
    /// A native receiver counted the H.26x clear prefix in 8 bits and authenticated the wrong header.
    case clearPrefixWrapped(ruleLength: Int)
    /// A receiver profile marked the key index invalid after too many failures and drops its frames unread.
    case keyMarkedInvalid(keyIndex: UInt8, tolerance: Int)
    /// Deriving a ratchet step failed inside the crypto library.
    case derivationFailed
    /// The cipher failed inside the crypto library (not a tag mismatch); the library's reason.
    case cipherFailed(reason: String)
    /// SFrame: the packet is not framed as the codec's SFrame carriage says (one NAL unit, one OBU).
    case sframeFraming
    /// SFrame: the frame does not start with a valid SFrame header.
    case sframeHeader(SFrameHeaderFailure)
    /// SFrame: no key serves the header's KID.
    case unknownKeyID(UInt64)
    /// SFrame: the key has already opened a frame with this counter (a replay or a duplicate).
    case replayedCounter(keyID: UInt64, counter: UInt64)
    /// SFrame: after the header there are fewer bytes than the suite's tag.
    case sframeTooShort(bodyLength: Int, tagLength: Int)
    /// SFrame: the tag does not authenticate the frame under the KID's key.
    case sframeAuthenticationFailed(keyID: UInt64)

    package var description: String {
        switch self {
        case .format(let failure): failure.description
        case .keyIndexOutOfRing(let index, let size): "key index \(index) is outside the key ring (size \(size))"
        case .noKey(let index): "no key at key index \(index)"
        case .authenticationFailed(0): "authentication failed with the current key"
        case .authenticationFailed(1): "authentication failed with the current key and 1 ratchet step ahead"
        case .authenticationFailed(let steps):
            "authentication failed with the current key and \(steps) ratchet steps ahead"
        case .unexpectedServerInjectedPayload:
            "frame ends with the server-injected-frame trailer but is not a known blank frame"
        case .codecUnsupported(let receiver): "\(receiver.rawValue) does not decrypt this codec's frames"
        case .clearPrefixWrapped(let length):
            "the clear prefix is \(length) bytes, which the native receiver counts in 8 bits (\(length & 0xFF)): it authenticates the wrong header"
        case .keyMarkedInvalid(let index, let tolerance):
            "dropped unread: key index \(index) was marked invalid after more than \(tolerance) failures in a row"
        case .derivationFailed: "key derivation failed"
        case .cipherFailed(let reason): reason
        case .sframeFraming:
            "the packet is not one SFrame ciphertext in its codec's framing, or its clear TOC byte was changed"
        case .sframeHeader(let failure): failure.description
        case .unknownKeyID(let keyID): "no key for KID \(keyID)"
        case .replayedCounter(let keyID, let counter):
            "replayed counter: KID \(keyID) CTR \(counter) was already accepted"
        case .sframeTooShort(let length, let tagLength):
            "frame too short: \(length) bytes after the SFrame header, the tag alone needs \(tagLength)"
        case .sframeAuthenticationFailed(let keyID): "authentication failed with the key for KID \(keyID)"
        }
    }

    /// The state an SDK reports for this failure.
    package var state: FrameCryptionState {
        switch self {
        case .keyIndexOutOfRing, .noKey, .unknownKeyID: .missingKey
        case .format, .authenticationFailed, .unexpectedServerInjectedPayload, .sframeFraming, .sframeHeader,
            .replayedCounter, .codecUnsupported, .keyMarkedInvalid, .clearPrefixWrapped,
            .sframeTooShort, .sframeAuthenticationFailed:
            .decryptionFailed
        case .derivationFailed, .cipherFailed: .internalError
        }
    }
}

/// What happened to one frame on the receiving side.
package enum DecryptOutcome: Sendable, Hashable {
    /// Decrypted; `ratchetSteps` > 0 when the key had to be ratcheted forward to open it.
    case decrypted(ratchetSteps: Int)
    /// An empty frame, passed through unchanged.
    case passedThrough
    /// A known blank frame injected by the server; output is the frame without its trailer.
    case serverInjected
    /// Decrypted with the current key only after the codec rule's clear prefix failed, with the
    /// prefix a real sender used instead; receivers that follow the rule fail on such frames.
    case recovered(ClearPrefixRecovery)
    /// Not decrypted; the output is empty.
    case failed(DecryptFailure)

    /// The state an SDK would report: ok, keyRatcheted, or the failure's state.
    package var state: FrameCryptionState {
        switch self {
        case .decrypted(let steps): steps > 0 ? .keyRatcheted : .ok
        case .passedThrough, .serverInjected, .recovered: .ok
        case .failed(let failure): failure.state
        }
    }
}

/// The receiving side of one stream: decrypts its frames in order with a participant's key ring,
/// catching up with a sender that ratcheted its key, as libwebrtc's FrameCryptor does.
package struct FrameDecryptor {
    /// The ratchet window every native SDK uses by default.
    package static let defaultRatchetWindow = 16

    package let codec: FrameCodec
    /// How many ratchet steps beyond the stored key a frame may be; 0 disables the search.
    package let ratchetWindow: Int
    /// The room's server-injected-frame trailer, if one is configured.
    package let serverInjectedTrailer: [UInt8]?
    /// Whether frames the codec rule cannot open are tried with the prefixes real senders used.
    package var recoversClearPrefixes = true
    /// The SDK receiver this decryptor behaves as; nil for framecrypt's own, which opens every
    /// frame the format allows.
    package let receiver: ReceiverProfile?
    /// Whether a success found exactly `ratchetWindow` steps ahead becomes the stored key.
    private let keepsEdgeStep: Bool
    private let tolerance: ReceiverProfile.FailureTolerance
    /// Precomputed so that framecrypt's own receiver pays nothing for the profiles on its hot path.
    private let stripsPacketTrailer: Bool
    private let countsFailures: Bool
    private let plays: Bool
    /// The LiveKit packet trailer's metadata of the last frame, when it carried one.
    package private(set) var frameMetadata: FrameMetadata?
    private let keys: KeyRing?
    private var transform = FrameTransform()

    /// - Parameters:
    ///   - keys: the sending participant's ring; nil when there is no key for them at all.
    package init(
        codec: FrameCodec,
        keys: KeyRing?,
        ratchetWindow: Int = defaultRatchetWindow,
        serverInjectedTrailer: [UInt8]? = nil
    ) {
        self.codec = codec
        self.keys = keys
        self.ratchetWindow = max(0, ratchetWindow)
        self.serverInjectedTrailer = serverInjectedTrailer
        receiver = nil
        keepsEdgeStep = true
        tolerance = .unlimited
        stripsPacketTrailer = true
        countsFailures = false
        plays = false
    }

    /// A decryptor that behaves as `receiver`'s SDK does for keys in `mode`: its ratchet search and
    /// failure tolerance, its server-injected-frame filter, and no recovery of other senders'
    /// clear prefixes. `keys` must already be the keys as that SDK holds them
    /// (``KeySet/received(by:)``).
    package init(
        codec: FrameCodec,
        keys: KeyRing?,
        receiver: ReceiverProfile,
        mode: KeyProvider.Mode,
        serverInjectedTrailer: [UInt8]? = nil
    ) {
        let search = receiver.search(for: mode)
        self.codec = codec
        self.keys = keys
        self.receiver = receiver
        self.serverInjectedTrailer = serverInjectedTrailer
        ratchetWindow = search.reach
        if case .chain(_, let keeps) = search {
            keepsEdgeStep = keeps
        } else {
            keepsEdgeStep = true
        }
        tolerance = receiver.tolerance(for: mode)
        stripsPacketTrailer = receiver.stripsPacketTrailer
        countsFailures = tolerance != .unlimited
        plays = true
        recoversClearPrefixes = false
    }

    /// Decrypts one received frame into `output` (frame form), replacing its contents.
    ///
    /// A success found by ratcheting makes that key the stored one for the following frames.
    ///
    /// - Parameter keyFrame: the frame's type as the sender's encoder marked it; only a receiver
    ///   that falls back to VP8's clear bytes (JS) reads it.
    package mutating func decrypt(_ frame: [UInt8], keyFrame: Bool = false, into output: inout [UInt8])
        -> DecryptOutcome
    {
        let outcome = open(frame, keyFrame: keyFrame, into: &output)
        switch outcome {
        case .decrypted, .serverInjected, .recovered: break
        case .passedThrough, .failed: output.removeAll(keepingCapacity: true)
        }
        return outcome
    }

    private mutating func open(_ received: [UInt8], keyFrame: Bool, into output: inout [UInt8]) -> DecryptOutcome {
        frameMetadata = nil
        guard !received.isEmpty else { return .passedThrough }
        var frame = received[...]
        if stripsPacketTrailer, let packetTrailer = PacketTrailer.parse(frame) {
            frameMetadata = packetTrailer.metadata
            frame = frame.dropLast(packetTrailer.length)
        }
        if let trailer = serverInjectedTrailer,
            let payload = ServerInjectedFrames.payload(of: frame, trailer: trailer)
        {
            guard forwards(serverInjected: payload) else {
                return .failed(.unexpectedServerInjectedPayload)
            }
            output.removeAll(keepingCapacity: true)
            output.append(contentsOf: payload)
            return .serverInjected
        }
        if plays, let refusal = codecRefusal() {
            return refusal
        }
        let sealed: SealedFrame
        switch plays ? receiverParse(frame, keyFrame: keyFrame) : transform.parse(frame, codec: codec) {
        case .success(let parsed): sealed = parsed
        case .failure(let failure):
            return recovered(frame, ruleFailed: nil, keys: keys, into: &output) ?? .failed(.format(failure))
        }
        guard let keys else { return .failed(.noKey(keyIndex: sealed.keyIndex)) }
        guard Int(sealed.keyIndex) < keys.size else {
            return .failed(.keyIndexOutOfRing(keyIndex: sealed.keyIndex, ringSize: keys.size))
        }
        if countsFailures, case .perKeyIndex(let failures) = tolerance, keys.isMarkedInvalid(sealed.keyIndex) {
            return .failed(.keyMarkedInvalid(keyIndex: sealed.keyIndex, tolerance: failures))
        }
        guard let chain = keys.chain(at: Int(sealed.keyIndex)) else {
            if countsFailures {
                keys.countFailure(at: sealed.keyIndex, tolerance: tolerance)
            }
            return .failed(.noKey(keyIndex: sealed.keyIndex))
        }
        // The search's attempts answer only whether a key authenticates; a cipher failure is
        // kept aside and reported after it (the hot path stays free of error plumbing).
        var cipherFailure: CipherFailure?
        let steps: Int?
        do {
            steps = try chain.search(window: ratchetWindow, keepsEdgeStep: keepsEdgeStep) { key in
                do throws(CipherFailure) {
                    return try FrameTransform.open(sealed, cipher: OpenSSLFrameCipher(key: key), into: &output)
                } catch {
                    cipherFailure = error
                    return false
                }
            }
        } catch {
            return .failed(.derivationFailed)
        }
        if let cipherFailure {
            return .failed(.cipherFailed(reason: cipherFailure.description))
        }
        guard let steps else {
            if let recovery = recovered(frame, ruleFailed: sealed, keys: keys, into: &output) {
                return recovery
            }
            return authenticationFailure(frame, keyIndex: sealed.keyIndex, keys: keys)
        }
        if countsFailures {
            keys.countSuccess(at: sealed.keyIndex)
        }
        return .decrypted(ratchetSteps: steps)
    }

    /// A frame no key in the window opened: counted against the key index when the receiver has a
    /// failure tolerance, and explained by the 8-bit prefix when a native receiver wrapped it.
    @inline(never)
    private func authenticationFailure(_ frame: ArraySlice<UInt8>, keyIndex: UInt8, keys: KeyRing) -> DecryptOutcome {
        if countsFailures {
            keys.countFailure(at: keyIndex, tolerance: tolerance)
        }
        if receiver?.wrapsClearPrefix == true, codec.isH26x {
            let ruleLength = ClearPrefix.ruleLength(of: frame, codec: codec)
            if ruleLength > 0xFF {
                return .failed(.clearPrefixWrapped(ruleLength: ruleLength))
            }
        }
        return .failed(.authenticationFailed(ratchetSteps: ratchetWindow))
    }

    /// The refusal of a profile's SDK that cannot open this codec at all.
    @inline(never)
    private func codecRefusal() -> DecryptOutcome? {
        guard let receiver, !receiver.supports(codec) else { return nil }
        return .failed(.codecUnsupported(receiver: receiver.name))
    }

    /// The frame split as the profile's SDK reads it: its clear bytes and framing.
    @inline(never)
    private mutating func receiverParse(_ frame: ArraySlice<UInt8>, keyFrame: Bool)
        -> Result<SealedFrame, FrameFormatFailure>
    {
        guard let reading = receiver?.reading(of: frame, codec: codec, keyFrame: keyFrame) else {
            return transform.parse(frame, codec: codec)
        }
        return transform.parse(frame, codec: reading.codec, clearBytes: reading.clearBytes)
    }

    /// Whether this receiver forwards a frame that carried the room's trailer.
    private func forwards(serverInjected payload: ArraySlice<UInt8>) -> Bool {
        switch receiver?.serverFrames ?? .blankPayloads {
        case .blankPayloads: ServerInjectedFrames.isKnownBlankPayload(payload)
        case .pinnedDigests: ServerInjectedFrames.pinnedPayloads.contains { payload.elementsEqual($0.bytes) }
        }
    }

    /// ``recover(_:ruleFailed:keys:into:)`` as an outcome: recovered, a cipher failure, or nil
    /// when no clear prefix opens the frame.
    private mutating func recovered(
        _ frame: ArraySlice<UInt8>,
        ruleFailed: SealedFrame?,
        keys: KeyRing?,
        into output: inout [UInt8]
    ) -> DecryptOutcome? {
        do {
            return try recover(frame, ruleFailed: ruleFailed, keys: keys, into: &output).map { .recovered($0) }
        } catch {
            return .failed(.cipherFailed(reason: error.description))
        }
    }

    /// Tries the clear prefixes of ``ClearPrefixRecovery`` with the current key of the frame's key
    /// index: 3-byte start codes in the rule's prefix (`ruleFailed`, the frame as the rule parsed
    /// it), an access-unit delimiter a tool removed from its front, then a wrapped native prefix
    /// when the rule found no slice or one at byte 256 or later.
    private mutating func recover(
        _ frame: ArraySlice<UInt8>,
        ruleFailed: SealedFrame?,
        keys: KeyRing?,
        into output: inout [UInt8]
    ) throws(CipherFailure) -> ClearPrefixRecovery? {
        guard recoversClearPrefixes, codec.isH26x, let keys else { return nil }
        if let sealed = ruleFailed {
            guard let key = Self.currentKey(keys, index: sealed.keyIndex) else { return nil }
            let cipher = OpenSSLFrameCipher(key: key)
            for variant in ClearPrefixRecovery.threeByteVariants(of: sealed.aad)
            where try FrameTransform.open(sealed.authenticating(variant[...]), cipher: cipher, into: &output) {
                return .threeByteStartCode
            }
            for variant in ClearPrefixRecovery.accessUnitDelimiterVariants(of: sealed.aad, codec: codec)
            where try FrameTransform.open(sealed.authenticating(variant[...]), cipher: cipher, into: &output) {
                return .accessUnitDelimiterRemoved
            }
        }
        let ruleLength = ClearPrefix.ruleLength(of: frame, codec: codec)
        guard ruleLength == 0 || ruleLength > 0xFF else { return nil }
        for length in ClearPrefixRecovery.wrappedLengths(of: frame, codec: codec) {
            guard case .success(let candidate) = transform.parse(frame, codec: codec, clearBytes: length),
                let key = Self.currentKey(keys, index: candidate.keyIndex)
            else { continue }
            if try FrameTransform.open(candidate, cipher: OpenSSLFrameCipher(key: key), into: &output) {
                return .nativePrefixWrap
            }
        }
        return nil
    }

    private static func currentKey(_ keys: KeyRing, index: UInt8) -> AESGCMKey? {
        guard Int(index) < keys.size else { return nil }
        return try? keys.chain(at: Int(index))?.key(aheadBy: 0)
    }
}
