package import FrameCryptFormat

/// How `inspect` judged one frame from its own bytes.
package enum FrameState: String, Sendable, Encodable {
    /// A FrameCryptor frame (trailer and IV structure) or an SFrame frame (header and tag).
    case encrypted
    /// No sign of encryption.
    case clear
    /// A known blank frame with a server's trailer.
    case serverInjected = "server-injected"
    /// No bytes.
    case empty
    /// Too short for tag, IV and trailer, or its NAL units run past its end, in a stream that is encrypted.
    case truncated
    /// The IV structure of the stream's sender but a trailer that is not `0x0C`; in an SFrame
    /// stream, a frame without a valid SFrame header.
    case malformed
    /// Neither a FrameCryptor frame nor a valid clear frame of the codec: ciphertext cut at new frame
    /// boundaries (an elementary-stream round trip re-frames H.264/H.265 by encrypted slice headers),
    /// or a frame that holds another's trailer inside.
    case unrecognized
}

/// One frame as `inspect --frames` lists it. Carries no key material (there is none to carry).
package struct FrameRecord: Sendable {
    package let stream: Int
    /// The frame's number within its stream, from 0.
    package let frame: Int
    /// Presentation timestamp (decoding timestamp when there is none) in the stream's time base.
    package let pts: Int64?
    /// The same in seconds.
    package let time: Double?
    package let size: Int
    /// The container's key-frame flag.
    package let keyFrame: Bool
    package let state: FrameState
    package let keyIndex: UInt8?
    package let iv: FrameIV?
    /// Bytes left clear at the start.
    package let clearBytes: Int
    /// SFrame frames: the header's KID and CTR.
    package let sframeHeader: SFrameHeader?

    init(
        stream: Int,
        frame: Int,
        pts: Int64?,
        time: Double?,
        size: Int,
        keyFrame: Bool,
        state: FrameState,
        keyIndex: UInt8?,
        iv: FrameIV?,
        clearBytes: Int,
        sframeHeader: SFrameHeader? = nil
    ) {
        self.stream = stream
        self.frame = frame
        self.pts = pts
        self.time = time
        self.size = size
        self.keyFrame = keyFrame
        self.state = state
        self.keyIndex = keyIndex
        self.iv = iv
        self.clearBytes = clearBytes
        self.sframeHeader = sframeHeader
    }

    /// The IV as 24 hex digits.
    package var ivHex: String? {
        iv.map { ByteEncoding.hex($0.bytes) }
    }

    /// One compact JSON object, written by hand: listing an hour of frames must not cost an encoder
    /// per frame. Every field is a number, a boolean or a fixed word, so nothing needs escaping.
    package var jsonLine: String {
        var fields = ["\"stream\":\(stream)", "\"frame\":\(frame)"]
        fields.append("\"pts\":\(pts.map(String.init) ?? "null")")
        fields.append("\"time\":\(time.map { String($0) } ?? "null")")
        fields.append("\"size\":\(size)")
        fields.append("\"keyFrame\":\(keyFrame)")
        fields.append("\"state\":\"\(state.rawValue)\"")
        fields.append("\"clearBytes\":\(clearBytes)")
        fields.append("\"keyIndex\":\(keyIndex.map(String.init) ?? "null")")
        fields.append("\"iv\":\(ivHex.map { "\"\($0)\"" } ?? "null")")
        fields.append("\"kid\":\(sframeHeader.map { String($0.keyID) } ?? "null")")
        fields.append("\"ctr\":\(sframeHeader.map { String($0.counter) } ?? "null")")
        return "{" + fields.joined(separator: ",") + "}"
    }
}

/// A 32-bit value as 8 hex digits.
func hex32(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
}
