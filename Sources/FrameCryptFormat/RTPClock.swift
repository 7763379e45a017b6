/// The RTP clock a WebRTC sender stamps a stream's frames with (`framecrypt-profile.md` §1).
public enum RTPClock {
    /// The clock rate of every video payload type.
    public static let videoRate = 90_000
    /// Opus always uses a 48 kHz RTP clock, whatever its input rate (RFC 7587 §4.1).
    public static let opusRate = 48_000

    /// Clock rate in Hz for a stream of `codec`; other audio uses its sample rate (48 kHz if unknown).
    public static func rate(for codec: FrameCodec, sampleRate: Int) -> Int {
        switch codec {
        case .opus: opusRate
        case .aac, .otherAudio: sampleRate > 0 ? sampleRate : opusRate
        case .vp8, .vp9, .av1, .h264, .h265, .otherVideo: videoRate
        }
    }

    /// The RTP timestamp of a frame: the stream's random offset plus its time on the RTP clock,
    /// modulo 2³².
    ///
    /// - Parameter ticks: the presentation time already converted to the RTP clock.
    public static func timestamp(offset: UInt32, ticks: Int64) -> UInt32 {
        offset &+ UInt32(truncatingIfNeeded: ticks)
    }
}
