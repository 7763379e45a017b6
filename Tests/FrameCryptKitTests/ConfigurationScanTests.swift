import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// How far frames are reordered, read from presentation timestamps in decoding order: what the muxer
/// needs to derive decoding timestamps for H.264/H.265 read from Matroska.
@Suite("Reorder depth")
struct ConfigurationScanTests {
    @Test(
        "no B-frames 0, one B-frame between references 1, a B-pyramid 2",
        arguments: [
            ([0, 1, 2, 3], 0), ([0, 3, 1, 2, 6, 4, 5], 1), ([0, 4, 2, 1, 3, 8, 6, 5, 7], 2),
        ] as [([Int64], Int)]
    )
    func depth(presentation: [Int64], expected: Int) {
        #expect(ConfigurationScan.reorderDepth(presentation) == expected)
    }
}
