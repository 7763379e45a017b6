import Testing

@testable import FrameCryptFormat

@Suite("AV1 envelope")
struct AV1EnvelopeTests {
    @Test(
        "key and delta envelopes parse back, with one- and multi-byte sizes",
        arguments: [true, false],
        [0, 30, 126, 127, 5000]
    )
    func roundTrip(keyFrame: Bool, sealedCount: Int) {
        var frame: [UInt8] = []
        AV1Envelope.append(keyFrame: keyFrame, sealedCount: sealedCount, to: &frame)
        let headerLength = frame.count
        frame += [UInt8](repeating: 0x5A, count: sealedCount)
        let parsed = AV1Envelope.parse(frame[...])
        #expect(parsed?.length == headerLength)
        #expect(parsed?.keyFrame == keyFrame)
    }

    @Test("the layout of a key-frame envelope")
    func keyFrameLayout() {
        var frame: [UInt8] = []
        AV1Envelope.append(keyFrame: true, sealedCount: 200, to: &frame)
        #expect(frame == [0x0A, 0x00, 0x32, 0xC9, 0x01, 0x00])
    }

    @Test(
        "invalid envelopes are refused",
        arguments: [
            [], [0x32], [0x0A, 0x01, 0x32, 0x02, 0x00, 0xAA], [0x32, 0x03, 0x00, 0xAA], [0x32, 0x02, 0x01, 0xAA],
            [0x12, 0x02, 0x00, 0xAA], [0x32, 0x00], [0x32, 0x80, 0x80],
        ] as [[UInt8]]
    )
    func invalid(bytes: [UInt8]) {
        #expect(AV1Envelope.parse(bytes[...]) == nil)
    }

    @Test("LEB128 writes and reads the same values")
    func leb128() {
        for value: UInt64 in [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 40] {
            var bytes: [UInt8] = []
            LEB128.append(value, to: &bytes)
            #expect(LEB128.read(bytes[...])?.value == value)
            #expect(LEB128.read(bytes[...])?.length == bytes.count)
        }
    }
}
