package import FrameCryptFormat

/// What happened to one frame on the sending side.
package enum EncryptOutcome: Sendable, Hashable {
    /// The frame was encrypted.
    case encrypted
    /// An empty frame, passed through unchanged as every SDK does.
    case passedThrough
    /// Not encrypted: the frame has fewer bytes than the `clearBytes` its codec leaves clear, so no
    /// receiver could open it (``ClearPrefix/ruleLength(of:codec:)``). Only a broken frame is this short.
    case tooShort(clearBytes: Int)
    /// Not encrypted; the output is empty. `missingKey` when the sender's key index has no key
    /// (the frame is dropped, or sent in clear by a caller simulating a key that is not ready),
    /// `encryptionFailed` when the key's ratchet step could not be derived.
    case failed(FrameCryptionState)
    /// Not encrypted because the cipher failed; the output is empty. The reason is the crypto
    /// library's.
    case cipherFailed(reason: String)

    /// The state an SDK would report for this frame.
    package var state: FrameCryptionState {
        switch self {
        case .encrypted, .passedThrough: .ok
        case .tooShort, .cipherFailed: .encryptionFailed
        case .failed(let state): state
        }
    }
}

/// Which sender's clear-prefix count to reproduce.
package enum SenderFlavor: String, Sendable, CaseIterable {
    /// framecrypt's profile: the codec rule, as every receiver derives it (what JS senders do).
    case profile
    /// LiveKit's native sender: the same count in 8 bits, so H.264/H.265 prefixes of 256 bytes or
    /// more wrap and the frame cannot be opened by a receiver that follows the codec rule
    /// (``ClearPrefix/nativeSenderLength(of:codec:)``).
    case native
    /// A JS sender that could not tell the video codec (Safari published H.264 that way): VP8's
    /// clear bytes on every video frame, 10 on key frames and 3 otherwise, and no emulation
    /// prevention. Receivers that know the codec cannot open H.264/H.265 frames sealed so.
    case codecless
}

/// The sending side of one stream (one SSRC): encrypts its frames in order, as libwebrtc's
/// FrameCryptor does, counting frames for the IV.
package struct FrameEncryptor {
    package let codec: FrameCodec
    package let ssrc: UInt32
    /// The key index written into every frame's trailer.
    package var keyIndex: UInt8
    /// How many times the sender has ratcheted the key at ``keyIndex`` since it was set.
    package var ratchetSteps = 0
    /// Frames sent so far on this SSRC; the next frame's IV uses it, then it grows by one.
    package private(set) var sendCount: UInt64
    /// The clear bytes the last sealed frame kept, and the codec whose framing sealed its tail.
    package private(set) var lastClearBytes = 0
    /// Whether the last sealed frame was sealed under VP8's rule and framing (``SenderFlavor/codecless``).
    package private(set) var lastSealedAsVP8 = false
    /// Whose clear-prefix count the sealed frames carry.
    package var flavor: SenderFlavor
    private let keys: KeyRing
    private var transform = FrameTransform()
    private let isVideo: Bool

    /// - Parameters:
    ///   - sendCount: 0 for a native sender; JS senders start at a random value below 0xFFFF.
    package init(
        codec: FrameCodec,
        keys: KeyRing,
        keyIndex: UInt8,
        ssrc: UInt32,
        sendCount: UInt64 = 0,
        flavor: SenderFlavor = .profile
    ) {
        self.flavor = flavor
        self.codec = codec
        isVideo = codec.kind == .video
        self.keys = keys
        self.keyIndex = keyIndex
        self.ssrc = ssrc
        self.sendCount = sendCount
    }

    /// Encrypts one frame (in frame form) into `output`, replacing its contents.
    ///
    /// - Parameters:
    ///   - rtpTimestamp: the frame's RTP timestamp.
    ///   - metadata: values for a LiveKit packet trailer after the E2EE trailer (``PacketTrailer``);
    ///     none is appended when they are empty.
    package mutating func encrypt(
        _ frame: [UInt8],
        rtpTimestamp: UInt32,
        metadata: FrameMetadata = FrameMetadata(),
        keyFrame: Bool = false,
        into output: inout [UInt8]
    ) -> EncryptOutcome {
        guard !frame.isEmpty else {
            output = frame
            return .passedThrough
        }
        let asVP8 = isVideo && flavor == .codecless
        let clearBytes =
            !asVP8
            ? ClearPrefix.ruleLength(of: frame[...], codec: codec)
            : keyFrame ? ClearPrefix.vp8KeyFrame : ClearPrefix.vp8DeltaFrame
        guard clearBytes <= frame.count else {
            output.removeAll(keepingCapacity: true)
            return .tooShort(clearBytes: clearBytes)
        }
        guard let chain = keys.chain(at: Int(keyIndex)) else {
            output.removeAll(keepingCapacity: true)
            return .failed(.missingKey)
        }
        guard let key = try? chain.key(aheadBy: ratchetSteps) else {
            output.removeAll(keepingCapacity: true)
            return .failed(.encryptionFailed)
        }
        let iv = FrameIV(ssrc: ssrc, rtpTimestamp: rtpTimestamp, sendCount: sendCount)
        sendCount += 1
        let sealedClearBytes =
            flavor == .native ? ClearPrefix.nativeSenderLength(of: frame[...], codec: codec) : clearBytes
        lastClearBytes = sealedClearBytes
        lastSealedAsVP8 = asVP8
        do {
            try transform.seal(
                frame,
                codec: asVP8 ? .vp8 : codec,
                clearBytes: sealedClearBytes,
                iv: iv,
                keyIndex: keyIndex,
                cipher: OpenSSLFrameCipher(key: key),
                into: &output
            )
        } catch {
            return .cipherFailed(reason: error.description)
        }
        PacketTrailer.append(metadata, to: &output)
        return .encrypted
    }
}
