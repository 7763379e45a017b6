import FrameCryptFormat
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// Frames shorter than their codec's clear prefix (found by the FuzzFrameCryptor and
/// FuzzFrameClassifier targets: Fuzz/regressions/).
@Suite("Frames shorter than their clear prefix")
struct ShortFrameTests {
    /// Frames too short for their codec's rule, with the clear bytes the rule asks for.
    static let cases: [(codec: FrameCodec, frame: [UInt8], clearBytes: Int)] = [
        (.vp8, [0x00, 0x01, 0x20, 0x3A, 0xDC, 0x0A, 0x00, 0x01, 0x20], 10),  // key frame, 9 bytes
        (.vp8, [0x21], 3),  // delta frame, 1 byte
        (.vp8, [0x31, 0x02], 3),
        (.h264, [0, 0, 0, 1, 0x65], 6),  // IDR slice NAL header and nothing after it
        (.h265, [0, 0, 0, 1, 0x26], 6),  // IDR_W_RADL, first header byte only
    ]

    @Test("the sender refuses them: no receiver could open what it would send")
    func refused() throws {
        let keys = try TestFrames.ring(function: .hkdf)
        for (codec, frame, clearBytes) in Self.cases {
            #expect(ClearPrefix.ruleLength(of: frame[...], codec: codec) == clearBytes)
            var sender = FrameEncryptor(codec: codec, keys: keys, keyIndex: 0, ssrc: 1)
            var output: [UInt8] = [9]
            #expect(
                sender.encrypt(frame, rtpTimestamp: 0, into: &output)
                    == .tooShort(clearBytes: clearBytes)
            )
            #expect(output.isEmpty)
            #expect(sender.sendCount == 0, "a refused frame used up a send count")
        }
    }

    @Test("one more byte and they round-trip")
    func longEnough() throws {
        let keys = try TestFrames.ring(function: .hkdf)
        for (codec, frame, clearBytes) in Self.cases {
            let padded = frame + [UInt8](repeating: 0x5A, count: clearBytes - frame.count)
            var sender = FrameEncryptor(codec: codec, keys: keys, keyIndex: 0, ssrc: 1)
            var sealed: [UInt8] = []
            #expect(sender.encrypt(padded, rtpTimestamp: 0, into: &sealed) == .encrypted)
            var receiver = FrameDecryptor(codec: codec, keys: keys.copy(), ratchetWindow: 0)
            var opened: [UInt8] = []
            #expect(receiver.decrypt(sealed, into: &opened) == .decrypted(ratchetSteps: 0))
            #expect(opened == padded)
            #expect(FrameExamination(sealed[...], codec: codec).shape == .sealed)
        }
    }
}
