import FrameCryptCrypto
import FrameCryptFormat
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

@Suite("Ratchet window")
struct RatchetWindowTests {
    private let frame = TestFrames.Frame(
        id: "vp8",
        codec: .vp8,
        keyFrame: false,
        bytes: [0x31, 0x0F, 0x00] + Array(repeating: 0x77, count: 200)
    )

    private func frame(ratchetedBy steps: Int, function: KeyDerivationFunction) throws -> [UInt8] {
        let sender = try TestFrames.ring("base", function: function)
        try sender.ratchetKey(at: 0, steps: steps)
        return TestFrames.encrypt(frame, keys: sender)
    }

    @Test("a sender ratcheted 0…16 times is found at exactly that step; 17 is beyond the window", arguments: 0...17)
    func everyStep(steps: Int) throws {
        let encrypted = try frame(ratchetedBy: steps, function: .hkdf)
        var receiver = FrameDecryptor(codec: .vp8, keys: try TestFrames.ring("base", function: .hkdf))
        var output: [UInt8] = []
        let outcome = receiver.decrypt(encrypted, into: &output)
        if steps <= FrameDecryptor.defaultRatchetWindow {
            #expect(outcome == .decrypted(ratchetSteps: steps))
            #expect(outcome.state == (steps == 0 ? .ok : .keyRatcheted))
            #expect(output == frame.bytes)
        } else {
            #expect(outcome == .failed(.authenticationFailed(ratchetSteps: 16)))
            #expect(output.isEmpty)
        }
    }

    @Test("PBKDF2 ratchets are found too")
    func pbkdf2() throws {
        let encrypted = try frame(ratchetedBy: 3, function: .pbkdf2)
        var receiver = FrameDecryptor(codec: .vp8, keys: try TestFrames.ring("base"))
        var output: [UInt8] = []
        #expect(receiver.decrypt(encrypted, into: &output) == .decrypted(ratchetSteps: 3))
    }

    @Test("a window of 0 disables the search; a smaller window stops earlier")
    func windowSizes() throws {
        let encrypted = try frame(ratchetedBy: 2, function: .hkdf)
        var output: [UInt8] = []
        var none = FrameDecryptor(codec: .vp8, keys: try TestFrames.ring("base", function: .hkdf), ratchetWindow: 0)
        #expect(none.decrypt(encrypted, into: &output) == .failed(.authenticationFailed(ratchetSteps: 0)))
        var one = FrameDecryptor(codec: .vp8, keys: try TestFrames.ring("base", function: .hkdf), ratchetWindow: 1)
        #expect(one.decrypt(encrypted, into: &output) == .failed(.authenticationFailed(ratchetSteps: 1)))
        var two = FrameDecryptor(codec: .vp8, keys: try TestFrames.ring("base", function: .hkdf), ratchetWindow: 2)
        #expect(two.decrypt(encrypted, into: &output) == .decrypted(ratchetSteps: 2))
    }

    @Test("after a ratchet success the stored key moves forward for the following frames")
    func catchUpIsKept() throws {
        let receiverKeys = try TestFrames.ring("base", function: .hkdf)
        var receiver = FrameDecryptor(codec: .vp8, keys: receiverKeys)
        var output: [UInt8] = []
        #expect(
            receiver.decrypt(try frame(ratchetedBy: 4, function: .hkdf), into: &output) == .decrypted(ratchetSteps: 4)
        )
        #expect(
            receiver.decrypt(try frame(ratchetedBy: 4, function: .hkdf), into: &output) == .decrypted(ratchetSteps: 0)
        )
        #expect(
            receiver.decrypt(try frame(ratchetedBy: 5, function: .hkdf), into: &output) == .decrypted(ratchetSteps: 1)
        )
        #expect(receiver.decrypt(try frame(ratchetedBy: 0, function: .hkdf), into: &output).state == .decryptionFailed)
    }

    @Test("the chain is derived once: failing frames reuse it instead of deriving per frame")
    func chainIsCached() throws {
        let keys = try TestFrames.ring("base")
        var receiver = FrameDecryptor(codec: .vp8, keys: keys)
        let foreign = TestFrames.encrypt(frame, keys: try TestFrames.ring("other", function: .hkdf))
        var output: [UInt8] = []
        for _ in 0..<50 {
            #expect(receiver.decrypt(foreign, into: &output).state == .decryptionFailed)
        }
        #expect(try #require(keys.chain(at: 0)).cachedStepsAhead == FrameDecryptor.defaultRatchetWindow)
    }
}
