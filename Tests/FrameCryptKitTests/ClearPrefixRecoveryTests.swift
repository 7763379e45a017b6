import FrameCryptFormat
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// Frames real H.264 senders seal with another clear prefix than the codec rule gives: framecrypt's
/// receiver opens them with the current key and says how.
@Suite("clear-prefix recovery")
struct ClearPrefixRecoveryTests {
    /// An IDR access unit: SPS, PPS, an SEI of `seiLength` bytes, then the slice (after a 3-byte
    /// start code when asked), with a body long enough to seal.
    static func accessUnit(seiLength: Int, threeByteSlice: Bool = false) -> [UInt8] {
        var frame: [UInt8] = [0, 0, 0, 1, 0x67, 0x42, 0xC0, 0x1E, 0xDA, 0x02, 0x80]
        frame += [0, 0, 0, 1, 0x68, 0xCE, 0x3C, 0x80]
        frame += [0, 0, 0, 1, 0x06, 0x05] + (0..<seiLength).map { UInt8(0x20 + $0 % 90) } + [0x80]
        frame += threeByteSlice ? [0, 0, 1] : [0, 0, 0, 1]
        frame += [0x65, 0x88, 0x84] + (0..<400).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
        return frame
    }

    static func send(_ frame: [UInt8], flavor: SenderFlavor, ring: KeyRing) -> [UInt8] {
        var sender = FrameEncryptor(codec: .h264, keys: ring, keyIndex: 0, ssrc: 0x5EED, flavor: flavor)
        var sealed: [UInt8] = []
        #expect(sender.encrypt(frame, rtpTimestamp: 90_000, into: &sealed) == .encrypted)
        return sealed
    }

    @Test("a native sender's wrapped prefix (SEI over 253 bytes) is recovered and reported as such")
    func nativeWrap() throws {
        let ring = try TestFrames.ring(function: .pbkdf2)
        let frame = Self.accessUnit(seiLength: 600)
        let rule = ClearPrefix.length(of: frame[...], codec: .h264)
        #expect(rule > 255)
        #expect(ClearPrefix.nativeSenderLength(of: frame[...], codec: .h264) == rule % 256)
        let sealed = Self.send(frame, flavor: .native, ring: ring)
        #expect(sealed.prefix(rule % 256) == frame.prefix(rule % 256))
        #expect(sealed.prefix(rule) != frame.prefix(rule))

        var receiver = FrameDecryptor(codec: .h264, keys: ring)
        var output: [UInt8] = []
        #expect(receiver.decrypt(sealed, into: &output) == .recovered(.nativePrefixWrap))
        #expect(output == frame)

        var strict = FrameDecryptor(codec: .h264, keys: ring)
        strict.recoversClearPrefixes = false
        #expect(strict.decrypt(sealed, into: &output) == .failed(.authenticationFailed(ratchetSteps: 16)))
        #expect(output.isEmpty)
    }

    @Test("the profile sender keeps the whole prefix clear: no recovery needed")
    func profileSender() throws {
        let ring = try TestFrames.ring(function: .pbkdf2)
        let frame = Self.accessUnit(seiLength: 600)
        var receiver = FrameDecryptor(codec: .h264, keys: ring)
        var output: [UInt8] = []
        #expect(
            receiver.decrypt(Self.send(frame, flavor: .profile, ring: ring), into: &output)
                == .decrypted(ratchetSteps: 0)
        )
        #expect(output == frame)
    }

    @Test("a 3-byte start code the sender authenticated, seen as 4 bytes after RTP, is recovered")
    func threeByteStartCode() throws {
        let ring = try TestFrames.ring(function: .pbkdf2)
        let frame = Self.accessUnit(seiLength: 20, threeByteSlice: true)
        let sealed = Self.send(frame, flavor: .profile, ring: ring)
        // What a receiver rebuilds from RTP: a 4-byte start code before every NAL unit.
        let sliceStart: [UInt8] = [0, 0, 1, 0x65]
        let slice = try #require((0..<(sealed.count - 3)).first { sealed[$0..<($0 + 4)].elementsEqual(sliceStart) })
        let received = Array(sealed[..<slice]) + [0] + Array(sealed[slice...])
        var receiver = FrameDecryptor(codec: .h264, keys: ring)
        var output: [UInt8] = []
        #expect(receiver.decrypt(received, into: &output) == .recovered(.threeByteStartCode))
        #expect(output == frame)
    }

    @Test("a wrong key recovers nothing: the frame fails as it would without recovery")
    func wrongKey() throws {
        let sealed = Self.send(
            Self.accessUnit(seiLength: 600),
            flavor: .native,
            ring: try TestFrames.ring(function: .pbkdf2)
        )
        var receiver = FrameDecryptor(codec: .h264, keys: try TestFrames.ring(function: .hkdf))
        var output: [UInt8] = []
        #expect(receiver.decrypt(sealed, into: &output) == .failed(.authenticationFailed(ratchetSteps: 16)))
        #expect(output.isEmpty)
    }
}
