package import FrameCryptFormat

/// One RTP stream of a capture (one SSRC), depacketized into frames.
package struct CaptureStream: Sendable {
    package let ssrc: UInt32
    package let payloadType: UInt8
    package let codec: FrameCodec
    /// The RTP clock rate: 90000 for video, 48000 for Opus.
    package let clockRate: Int
    package let source: Endpoint
    package let destination: Endpoint
    /// The participant `--map` gave this SSRC.
    package var participant: String?
    /// The complete frames, in order; incomplete ones are left out (``incompleteFrames``).
    package var frames: [CapturedFrame] = []
    package var sequence: SequenceReport
    /// Frames that could not be put together: a packet of theirs was lost or malformed.
    package var incompleteFrames: [IncompleteFrame] = []
    /// The complete frames that follow a gap in the sequence numbers, by index.
    package var framesAfterLoss: [Int] = []
    /// Padding-only packets (bandwidth probes): counted in the sequence, no frame bytes.
    package var paddingPackets = 0
    /// Frames recovered from RED redundancy after their own packet was lost.
    package var redundancyRecovered = 0
    /// Packets recovered from RTX retransmissions.
    package var retransmissions = 0
    /// Picture size, when a payload header stated it (VP9) or a clear key frame shows it (VP8).
    package var size: (width: Int, height: Int)? = nil
    /// H.264/H.265: the first parameter sets (VPS, SPS, PPS) the stream sent, each behind a 4-byte
    /// start code.
    package var parameterSets: [UInt8]? = nil
    /// Arrival of the first and last packets, seconds.
    package var firstArrival: Double
    package var lastArrival: Double
}

/// A frame put together from its packets, as a receiver's FrameCryptor gets it.
package struct CapturedFrame: Sendable {
    /// The RTP timestamp, unwrapped (no jump at 2^32).
    package let rtpTimestamp: Int64
    /// When its first packet arrived, seconds.
    package let arrival: Double
    package let data: [UInt8]
    package let keyFrame: Bool
    /// The sequence number of its first packet.
    package let firstSequence: Int
    /// Recovered from a RED redundant block.
    package let recovered: Bool
}

/// A frame left out because it could not be put together whole. It is never decrypted and never
/// counted as a decryption failure.
package struct IncompleteFrame: Sendable, Encodable {
    package let rtpTimestamp: UInt32
    package let firstSequence: Int
    package let lastSequence: Int
    /// The complete frames before it in the stream: it stood between frame `after - 1` and `after`.
    package let after: Int
    /// `first-packet-lost`, `last-packet-lost`, `packet-lost-inside`, `malformed-payload`,
    /// `capture-ends-inside`.
    package let reason: String
}
