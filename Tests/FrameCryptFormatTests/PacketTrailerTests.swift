import Testing

@testable import FrameCryptFormat

@Suite("LiveKit packet trailer")
struct PacketTrailerTests {
    /// The trailer LiveKit's native sender appended to `native-vp8-packet-trailer-delta`
    /// (native-captures.json), with the values its publisher attached.
    static let captured = ByteEncoding.bytes(hex: "fef7fff9f5dbe7d8d5d3fdfbfffffff3ea4c4b5453") ?? []
    static let capturedMetadata = FrameMetadata(userTimestamp: 1_700_000_000_584_236, frameId: 12)

    @Test("the native sender's trailer parses to its publisher's values, and writing them gives its bytes")
    func nativeTrailer() throws {
        let frame: [UInt8] = [0x31, 0x32, 0x0C, 0x00] + Self.captured
        let parsed = try #require(PacketTrailer.parse(frame[...]))
        #expect(parsed.length == 21)
        #expect(parsed.metadata == Self.capturedMetadata)
        var written: [UInt8] = []
        PacketTrailer.append(Self.capturedMetadata, to: &written)
        #expect(written == Self.captured)
    }

    @Test(
        "one value alone gives a shorter trailer; zero values are left out, as the SDKs do",
        arguments: [
            (FrameMetadata(userTimestamp: 7), 15), (FrameMetadata(frameId: 9), 11),
            (FrameMetadata(userTimestamp: 0, frameId: 0), 0),
        ]
    )
    func lengths(metadata: FrameMetadata, length: Int) {
        var frame: [UInt8] = [1, 2, 3]
        PacketTrailer.append(metadata, to: &frame)
        #expect(frame.count == 3 + length)
        #expect(PacketTrailer.parse(frame[...])?.metadata == (length > 0 ? metadata : nil))
    }

    @Test(
        "no trailer: no magic, a length that does not fit, or no known field",
        arguments: [
            [0x0C, 0x00], Array("LKTS".utf8), [0xFF - 40] + Array("LKTS".utf8),
            [0xFC, 0xFB, 0x01, 0x02, 0x03, 0x04, 0xFF - 11] + Array("LKTS".utf8),
        ] as [[UInt8]]
    )
    func notATrailer(frame: [UInt8]) {
        #expect(PacketTrailer.parse(frame[...]) == nil)
    }
}
