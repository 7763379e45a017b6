/// The stable codes of `inspect` findings; scripts may match on them.
package enum FindingCode: String, Sendable, Encodable, CaseIterable {
    /// A stream label that is not one framecrypt writes (bytes changed in the file): it is ignored
    /// and the stream's frames are judged by their bytes.
    case malformedLabel = "malformed-label"
    /// The same IV twice under the same key index, in one stream or in two streams that may share a key.
    case nonceReuse = "nonce-reuse"
    /// Clear frames in a stream that also has encrypted ones.
    case mixedClearAndEncrypted = "mixed-clear-and-encrypted"
    /// Frames that are neither FrameCryptor frames nor valid clear frames of the codec: ciphertext
    /// re-framed at new boundaries, or damaged.
    case unrecognizedFrames = "unrecognized-frames"
    /// A trailer key index at or beyond the key-ring size.
    case keyIndexOutOfRing = "key-index-out-of-ring"
    /// A frame of an encrypted stream too short for tag, IV and trailer, or cut inside a NAL unit.
    case truncatedFrame = "truncated-frame"
    /// The sender's IV structure but not the `0x0C` trailer byte.
    case malformedTrailer = "malformed-trailer"
    /// Two streams with the same SSRC in their IVs.
    case ssrcCollision = "ssrc-collision"
    /// An H.264/H.265 frame whose bytes before the first slice exceed 253: libwebrtc's native
    /// receiver stores the clear length in 8 bits and cannot decrypt it.
    case nativeH26xPrefixWrap = "native-h26x-prefix-wrap"
    /// An H.264/H.265 frame whose IV or trailer needed emulation prevention: receivers built on
    /// libwebrtc m125 read them from the escaped bytes and fail.
    case ivNeedsEscaping = "iv-needs-escaping"
    /// Clear bytes that do not parse as the codec's header, or disagree with the container's key-frame flag.
    case clearHeaderMismatch = "clear-header-mismatch"
    /// SFrame: a (KID, CTR) seen again under what may be the same key: a replayed frame or a reused nonce.
    case counterRepeat = "counter-repeat"
    /// SFrame: a KID's counters skip values, so frames are missing.
    case counterGap = "counter-gap"
    /// SFrame: a frame of an SFrame stream without a valid header or carriage.
    case sframeHeaderInvalid = "sframe-header-invalid"
    /// Capture: RTP packets missing from a stream's sequence numbers.
    case packetLoss = "packet-loss"
    /// Capture: packets that arrived after a later one (put back in order).
    case packetReordering = "packet-reordering"
    /// Capture: packets that arrived more than once.
    case duplicatePackets = "duplicate-packets"
    /// Capture: frames left out because a packet of theirs was lost or malformed (never counted
    /// as decryption failures).
    case incompleteFrames = "incomplete-frames"
    /// Capture: a stream that took over another's endpoints and payload type with a new SSRC.
    case ssrcChange = "ssrc-change"
    /// Capture: SRTP packets no given SRTP key authenticated.
    case srtpUnauthenticated = "srtp-unauthenticated"
    /// Capture: the IVs' send counter skips values: frames the sender encrypted never arrived.
    case sendCountJump = "send-count-jump"
}

/// Something `inspect` found that a receiver or an auditor should know.
package struct Finding: Sendable, Encodable {
    /// Frames listed in a finding at most; `frameCount` has the full number.
    static let listedFrames = 64

    package let code: FindingCode
    package let stream: Int
    /// The other stream involved (nonce reuse across streams, SSRC collision).
    package let otherStream: Int?
    /// The frames concerned, in order, the first ``listedFrames`` of them.
    package let frames: [Int]
    package let frameCount: Int
    /// One line, naming what is wrong and what follows from it.
    package let message: String

    /// "1 frame" or "N frames".
    static func counted(_ count: Int) -> String {
        count == 1 ? "1 frame" : "\(count) frames"
    }

    init(code: FindingCode, stream: Int, otherStream: Int? = nil, frames: [Int], message: String) {
        self.code = code
        self.stream = stream
        self.otherStream = otherStream
        self.frames = Array(frames.prefix(Self.listedFrames))
        self.frameCount = frames.count
        self.message = message
    }
}
