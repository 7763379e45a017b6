@testable import FrameCryptFormat

/// The codecs a selector byte picks from. scripts/fuzz-seeds.py writes seeds with this order.
package enum FuzzCodecs {
    package static let all: [FrameCodec] = [
        .opus, .aac, .vp8, .vp9, .av1, .h264, .h265, .otherAudio("pcm_s16le"), .otherVideo("mjpeg"),
    ]

    /// The codec `selector` names, wrapping around.
    package static func codec(_ selector: UInt8) -> FrameCodec {
        all[Int(selector) % all.count]
    }
}
