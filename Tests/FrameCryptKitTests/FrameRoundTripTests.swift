import FrameCryptCrypto
import FrameCryptFormat
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

@Suite("Frame encryption and decryption")
struct FrameRoundTripTests {
    @Test("every codec's real frames round-trip and keep the clear prefix, trailer and size of the profile")
    func everyCodec() throws {
        let keys = try TestFrames.ring(function: .hkdf)
        for frame in try TestFrames.all() {
            let encrypted = TestFrames.encrypt(frame, keys: keys)
            #expect(Array(encrypted.suffix(2)) == [0x0C, 0x00], "\(frame.id)")
            let prefix = ClearPrefix.length(of: frame.bytes[...], codec: frame.codec)
            #expect(encrypted.prefix(prefix) == frame.bytes.prefix(prefix), "\(frame.id)")
            let escapes = encrypted.count - (frame.bytes.count + FrameLayout.overhead)
            #expect(frame.codec.isH26x ? escapes >= 0 : escapes == 0, "\(frame.id)")
            var receiver = FrameDecryptor(codec: frame.codec, keys: keys)
            var decrypted: [UInt8] = []
            #expect(receiver.decrypt(encrypted, into: &decrypted) == .decrypted(ratchetSteps: 0), "\(frame.id)")
            #expect(decrypted == frame.bytes, "\(frame.id)")
        }
    }

    @Test("H.26x ciphertext never contains a start code, whatever IV the sender uses")
    func escapedTailHasNoStartCode() throws {
        let keys = try TestFrames.ring(function: .hkdf)
        let frames = try TestFrames.all().filter(\.codec.isH26x)
        for frame in frames {
            for ssrc: UInt32 in [0, 1, 0x0000_0100, 0x1234_5678] {
                for timestamp: UInt32 in [0, 3, 0x0300_0000] {
                    let encrypted = TestFrames.encrypt(frame, keys: keys, ssrc: ssrc, rtpTimestamp: timestamp)
                    let prefix = ClearPrefix.length(of: encrypted[...], codec: frame.codec)
                    let tail = Array(encrypted[prefix...])
                    let startCode = (0..<(tail.count - 2)).contains {
                        tail[$0] == 0 && tail[$0 + 1] == 0 && tail[$0 + 2] <= 2
                    }
                    #expect(!startCode, "\(frame.id) ssrc \(ssrc)")
                    var receiver = FrameDecryptor(codec: frame.codec, keys: keys)
                    var decrypted: [UInt8] = []
                    #expect(receiver.decrypt(encrypted, into: &decrypted) == .decrypted(ratchetSteps: 0))
                    #expect(decrypted == frame.bytes)
                }
            }
        }
    }

    @Test("an H.264 frame whose clear prefix exceeds 253 bytes decrypts (no 8-bit wrap)")
    func longPrefix() throws {
        let startCode: [UInt8] = [0, 0, 0, 1]
        let sei = [0x06, 0x05] + [UInt8](repeating: 0x5C, count: 400)
        let slice: [UInt8] = [0x65, 0x88, 0x84] + (0..<300).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let frame = TestFrames.Frame(
            id: "long-sei",
            codec: .h264,
            keyFrame: true,
            bytes: startCode + sei + startCode + slice
        )
        let keys = try TestFrames.ring(function: .hkdf)
        let encrypted = TestFrames.encrypt(frame, keys: keys)
        let clear = 4 + sei.count + 4 + 2
        #expect(ClearPrefix.length(of: encrypted[...], codec: .h264) == clear)
        #expect(encrypted.prefix(clear) == frame.bytes.prefix(clear))
        var receiver = FrameDecryptor(codec: .h264, keys: keys)
        var decrypted: [UInt8] = []
        #expect(receiver.decrypt(encrypted, into: &decrypted) == .decrypted(ratchetSteps: 0))
        #expect(decrypted == frame.bytes)
    }

    @Test("the IV follows SSRC, RTP timestamp and a send count that grows per frame from the start value")
    func sendCounter() throws {
        let keys = try TestFrames.ring(function: .hkdf)
        var sender = FrameEncryptor(codec: .opus, keys: keys, keyIndex: 0, ssrc: 0xCAFE_F00D, sendCount: 0xFFFE)
        var transform = FrameTransform()
        for step in 0..<3 {
            var output: [UInt8] = []
            let timestamp = UInt32(960 * step)
            #expect(
                sender.encrypt([0x78, 1, 2, 3], rtpTimestamp: timestamp, into: &output) == .encrypted
            )
            let sealed = try transform.parse(output[...], codec: .opus).get()
            #expect(sealed.iv.ssrc == 0xCAFE_F00D)
            #expect(sealed.iv.rtpTimestamp == timestamp)
            #expect(sealed.iv.impliedSendCount == UInt32((0xFFFE + step) % 0xFFFF))
        }
        #expect(sender.sendCount == 0xFFFE + 3)
    }

    @Test("empty frames pass through both ways")
    func emptyFrames() throws {
        let keys = try TestFrames.ring(function: .hkdf)
        var sender = FrameEncryptor(codec: .vp8, keys: keys, keyIndex: 0, ssrc: 1)
        var receiver = FrameDecryptor(codec: .vp8, keys: keys)
        var output: [UInt8] = [1]
        #expect(sender.encrypt([], rtpTimestamp: 0, into: &output) == .passedThrough)
        #expect(output.isEmpty)
        #expect(receiver.decrypt([], into: &output) == .passedThrough)
        #expect(sender.sendCount == 0)
    }

    @Test("reused output buffers holding a larger earlier frame give exactly the fresh result")
    func reusedBuffers() throws {
        let keys = try TestFrames.ring(function: .hkdf)
        let frames = try TestFrames.all().sorted { $0.bytes.count > $1.bytes.count }
        var encryptedBuffer = [UInt8](repeating: 0xEE, count: 100_000)
        var decryptedBuffer = [UInt8](repeating: 0xDD, count: 100_000)
        for frame in frames {
            var sender = FrameEncryptor(codec: frame.codec, keys: keys, keyIndex: 0, ssrc: 7)
            #expect(
                sender.encrypt(frame.bytes, rtpTimestamp: 9, into: &encryptedBuffer)
                    == .encrypted
            )
            #expect(encryptedBuffer == TestFrames.encrypt(frame, keys: keys, ssrc: 7, rtpTimestamp: 9), "\(frame.id)")
            var receiver = FrameDecryptor(codec: frame.codec, keys: keys)
            #expect(receiver.decrypt(encryptedBuffer, into: &decryptedBuffer) == .decrypted(ratchetSteps: 0))
            #expect(decryptedBuffer == frame.bytes, "\(frame.id)")
            var corrupted = encryptedBuffer
            corrupted[corrupted.count - 20] ^= 1
            #expect(receiver.decrypt(corrupted, into: &decryptedBuffer).state == .decryptionFailed)
            #expect(decryptedBuffer.isEmpty)
            decryptedBuffer = [UInt8](repeating: 0xDD, count: 100_000)
        }
    }
}
