import FrameCryptFormat

/// The SSRC and RTP timestamp offset of one sending stream.
package struct SenderIdentity {
    package let ssrc: UInt32
    package let rtpOffset: UInt32
}

/// Hands out a random SSRC (distinct within the file) and RTP offset per stream, as independent live
/// senders would have. With a seed the values are reproducible, for fixtures; without one they come
/// from the system's random source, so that encrypting a file twice never repeats an IV.
package struct SenderIdentities {
    private var generator: any RandomNumberGenerator
    private var used: Set<UInt32> = []

    package init(seed: UInt64?) {
        generator = seed.map { SplitMix64(seed: $0) as any RandomNumberGenerator } ?? SystemRandomNumberGenerator()
    }

    package mutating func next() -> SenderIdentity {
        var ssrc = UInt32.random(in: 0...UInt32.max, using: &generator)
        while !used.insert(ssrc).inserted {
            ssrc = UInt32.random(in: 0...UInt32.max, using: &generator)
        }
        return SenderIdentity(ssrc: ssrc, rtpOffset: UInt32.random(in: 0...UInt32.max, using: &generator))
    }

    /// A first send count as the JS SDK draws it: `floor(Math.random() * 0xFFFF)`, 0 to 0xFFFE.
    package mutating func nextJSSendCount() -> UInt64 {
        UInt64.random(in: 0...0xFFFE, using: &generator)
    }
}
