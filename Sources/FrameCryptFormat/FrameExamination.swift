/// What one frame's own bytes say about it, read without a key (`framecrypt-profile.md` §5).
///
/// A FrameCryptor frame ends in `IV ‖ 0x0C ‖ key index`, and its IV's third word is its second
/// minus a send count below 0xFFFF. A clear frame matches both by chance about once in 2²⁴ frames,
/// where a trailer test alone would misjudge one clear frame in 256. What cannot be decided from one
/// frame (whether a short frame is a truncated encrypted one, whether a frame with a bad trailer
/// belongs to an encrypted stream) is left to the caller, which sees the whole stream.
public struct FrameExamination: Sendable {
    /// The frame's shape.
    public enum Shape: Sendable, Hashable {
        /// No bytes at all.
        case empty
        /// Trailer and IV structure of a FrameCryptor frame.
        case sealed
        /// Too few bytes after the clear prefix for tag, IV and trailer.
        case tooShort
        /// The IV structure of a FrameCryptor frame, but the trailer's first byte is not 12.
        case badTrailer
        /// None of the above: a clear frame.
        case clear
    }

    /// What the frame's bytes look like.
    public let shape: Shape
    /// Bytes left clear by the codec rule.
    public let clearPrefixLength: Int
    /// The trailer's key index (sealed and bad-trailer frames).
    public let keyIndex: UInt8?
    /// The IV (sealed and bad-trailer frames).
    public let iv: FrameIV?
    /// Emulation-prevention bytes in the tail (H.264/H.265).
    public let escapeBytes: Int
    /// True when escaping changed the IV or trailer bytes: receivers that read them from the escaped
    /// frame (libwebrtc m125 and the native SDKs built on it) fail on such frames.
    public let ivNeedsEscaping: Bool
    /// What the clear bytes say.
    public let header: ClearHeader
    /// The LiveKit packet trailer after the E2EE trailer, if the frame carries one: its length and
    /// metadata. The rest of the examination reads the frame without it.
    public let packetTrailer: (length: Int, metadata: FrameMetadata)?

    /// Examines `frame` (in frame form) as a stream of `codec` would carry it.
    public init(_ received: ArraySlice<UInt8>, codec: FrameCodec) {
        packetTrailer = PacketTrailer.parse(received)
        let frame = received.dropLast(packetTrailer?.length ?? 0)
        let prefixLength = ClearPrefix.length(of: frame, codec: codec)
        clearPrefixLength = prefixLength
        header = ClearHeader(frame[frame.startIndex..<(frame.startIndex + prefixLength)], codec: codec)
        let escapedTail = frame[(frame.startIndex + prefixLength)...]
        let tail: ArraySlice<UInt8>
        if codec.isH26x && EmulationPrevention.needsUnescaping(escapedTail) {
            escapeBytes = EmulationPrevention.escapeCount(escapedTail)
            tail = Self.unescapedEnd(of: escapedTail)
            ivNeedsEscaping = !escapedTail.suffix(Self.ivAndTrailer).elementsEqual(tail.suffix(Self.ivAndTrailer))
        } else {
            escapeBytes = 0
            tail = escapedTail
            ivNeedsEscaping = false
        }
        let sealedLength = escapedTail.count - escapeBytes
        guard !frame.isEmpty else {
            (shape, keyIndex, iv) = (.empty, nil, nil)
            return
        }
        guard sealedLength >= FrameLayout.overhead, tail.count >= Self.ivAndTrailer else {
            (shape, keyIndex, iv) = (.tooShort, nil, nil)
            return
        }
        let ivStart = tail.endIndex - Self.ivAndTrailer
        let parsedIV = FrameIV(bytes: tail[ivStart..<(ivStart + FrameIV.byteCount)])
        guard let parsedIV, parsedIV.impliedSendCount < Self.sendCountModulus else {
            (shape, keyIndex, iv) = (.clear, nil, nil)
            return
        }
        shape = tail[tail.endIndex - 2] == UInt8(FrameIV.byteCount) ? .sealed : .badTrailer
        keyIndex = tail[tail.endIndex - 1]
        iv = parsedIV
    }

    /// Bytes the cryptor added: tag, IV, trailer and escapes.
    public var overheadBytes: Int {
        shape == .sealed ? FrameLayout.overhead + escapeBytes : 0
    }

    /// IV and trailer bytes at the end of every frame.
    static let ivAndTrailer = FrameIV.byteCount + FrameLayout.trailerLength
    /// Send counts are taken modulo 0xFFFF.
    public static let sendCountModulus: UInt32 = 0xFFFF
    /// Escaped bytes unescaped at the end of a tail: enough for the IV and trailer however many
    /// escapes they hold.
    private static let unescapedWindow = 3 * ivAndTrailer

    /// The end of the unescaped tail. Only the last bytes are needed; unescaping starts a little
    /// earlier so that the escapes near the end are found exactly as a full pass would find them.
    private static func unescapedEnd(of tail: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var unescaped: [UInt8] = []
        EmulationPrevention.unescape(tail.suffix(unescapedWindow), appendingTo: &unescaped)
        return unescaped[...]
    }
}
