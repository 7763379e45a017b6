import FrameCryptFormat

/// A frame being put together from its packets' payloads.
struct FrameParts {
    /// The frame's bytes so far.
    var bytes: [UInt8] = []
    /// AV1: the OBUs so far, the last one possibly continuing in the next packet.
    var obus: [[UInt8]] = []
    var keyFrame = false
    /// Picture size a payload header stated (VP9's scalability structure).
    var size: (width: Int, height: Int)? = nil
}

/// One codec's RTP payload format, both ways: the payloads of a frame's packets back into the
/// frame a receiver's FrameCryptor sees (as libwebrtc's depacketizers give it), and a frame into
/// payloads of at most ``maximumPayload`` bytes (as libwebrtc's packetizers cut it).
protocol PayloadFormatRules: Sendable {
    /// Whether `payload` is a frame's first packet.
    func opensFrame(_ payload: [UInt8]) -> Bool
    /// Adds what `payload` carries to `parts`; false when the payload is malformed.
    func add(_ payload: [UInt8], to parts: inout FrameParts) -> Bool
    /// The finished frame.
    func finish(_ parts: FrameParts) -> [UInt8]
    /// The payloads of `frame`, in order; nil when the format cannot carry it.
    func packetize(_ frame: [UInt8], keyFrame: Bool, pictureID: Int, size: (width: Int, height: Int)?) -> [[UInt8]]?
}

extension PayloadFormatRules {
    func finish(_ parts: FrameParts) -> [UInt8] {
        parts.bytes
    }
}

/// The largest RTP payload the packetizers write: libwebrtc's default of 1200 bytes of packet
/// (`kDefaultMaxPacketSize`) less the RTP header and extensions it reserves.
let maximumPayload = 1100

/// The payload format rules of `codec`; nil for codecs framecrypt has none for.
func payloadRules(for codec: FrameCodec) -> (any PayloadFormatRules)? {
    switch codec {
    case .vp8: VP8Payload()
    case .vp9: VP9Payload()
    case .h264, .h265: H26xPayload(codec: codec)
    case .av1: AV1Payload()
    case .opus: OpusPayload()
    default: nil
    }
}

/// Opus (RFC 7587): one frame per packet, as it is.
struct OpusPayload: PayloadFormatRules {
    func opensFrame(_ payload: [UInt8]) -> Bool {
        true
    }

    func add(_ payload: [UInt8], to parts: inout FrameParts) -> Bool {
        parts.bytes += payload
        parts.keyFrame = true
        return !payload.isEmpty
    }

    func packetize(_ frame: [UInt8], keyFrame: Bool, pictureID: Int, size: (width: Int, height: Int)?) -> [[UInt8]]? {
        [frame]
    }
}
