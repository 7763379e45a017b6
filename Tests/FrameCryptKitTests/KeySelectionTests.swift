import FrameCryptCrypto
import FrameCryptFormat
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

@Suite("Key rings, key indices and providers")
struct KeySelectionTests {
    private let frame = TestFrames.Frame(
        id: "opus",
        codec: .opus,
        keyFrame: false,
        bytes: [0x78] + Array(repeating: 0x42, count: 60)
    )

    private func decrypt(_ encrypted: [UInt8], keys: KeyRing?) -> DecryptOutcome {
        var receiver = FrameDecryptor(codec: .opus, keys: keys)
        var output: [UInt8] = []
        return receiver.decrypt(encrypted, into: &output)
    }

    @Test("the sender's key index goes into the trailer and selects the receiver's key")
    func keyIndexSelection() throws {
        let sender = try KeyRing(parameters: try KeyDerivationParameters(function: .hkdf))
        try sender.setKey(TestFrames.material("zero"), at: 0)
        try sender.setKey(TestFrames.material("three"), at: 3)
        let encrypted = TestFrames.encrypt(frame, keys: sender, keyIndex: 3)
        #expect(encrypted.last == 3)

        let receiver = try KeyRing(parameters: try KeyDerivationParameters(function: .hkdf))
        try receiver.setKey(TestFrames.material("three"), at: 3)
        #expect(decrypt(encrypted, keys: receiver) == .decrypted(ratchetSteps: 0))

        let wrongSlot = try KeyRing(parameters: try KeyDerivationParameters(function: .hkdf))
        try wrongSlot.setKey(TestFrames.material("three"), at: 0)
        #expect(decrypt(encrypted, keys: wrongSlot) == .failed(.noKey(keyIndex: 3)))
        #expect(decrypt(encrypted, keys: wrongSlot).state == .missingKey)

        let smallRing = try KeyRing(size: 2, parameters: try KeyDerivationParameters(function: .hkdf))
        #expect(decrypt(encrypted, keys: smallRing) == .failed(.keyIndexOutOfRing(keyIndex: 3, ringSize: 2)))
        #expect(decrypt(encrypted, keys: nil).state == .missingKey)
    }

    @Test("a sender without a key at its index reports missingKey and writes nothing")
    func senderMissingKey() throws {
        let keys = try TestFrames.ring(at: [0], function: .hkdf)
        var sender = FrameEncryptor(codec: .opus, keys: keys, keyIndex: 5, ssrc: 1)
        var output: [UInt8] = [1, 2]
        #expect(sender.encrypt(frame.bytes, rtpTimestamp: 0, into: &output) == .failed(.missingKey))
        #expect(output.isEmpty)
    }

    @Test("a wrong key fails authentication", arguments: [KeyDerivationFunction.pbkdf2, .hkdf])
    func wrongKey(function: KeyDerivationFunction) throws {
        let encrypted = TestFrames.encrypt(frame, keys: try TestFrames.ring("right", function: function))
        let outcome = decrypt(encrypted, keys: try TestFrames.ring("wrong", function: function))
        #expect(outcome == .failed(.authenticationFailed(ratchetSteps: FrameDecryptor.defaultRatchetWindow)))
        #expect(outcome.state == .decryptionFailed)
    }

    @Test("ring sizes and key indices are bounded", arguments: [0, 256, -1])
    func ringBounds(size: Int) throws {
        #expect(throws: FrameCryptError.self) { try KeyRing(size: size, parameters: try KeyDerivationParameters()) }
    }

    @Test("setting a key outside the ring is refused")
    func indexBounds() throws {
        let ring = try KeyRing(size: 4, parameters: try KeyDerivationParameters(function: .hkdf))
        #expect(throws: FrameCryptError.self) { try ring.setKey(TestFrames.material("k"), at: 4) }
        #expect(throws: FrameCryptError.self) { try ring.setKey(TestFrames.material("k"), at: -1) }
        #expect(throws: FrameCryptError.self) { try KeyDerivationParameters(keyBits: 192) }
    }

    @Test("AES-256 keys (keyBits 256) round-trip and differ from AES-128 ones")
    func aes256() throws {
        let parameters = try KeyDerivationParameters(function: .hkdf, keyBits: 256)
        let ring = try KeyRing(parameters: parameters)
        try ring.setKey(TestFrames.material("k"), at: 0)
        let encrypted = TestFrames.encrypt(frame, keys: ring)
        #expect(decrypt(encrypted, keys: ring) == .decrypted(ratchetSteps: 0))
        #expect(decrypt(encrypted, keys: try TestFrames.ring("k", function: .hkdf)).state == .decryptionFailed)
    }

    @Test("shared mode gives each participant its own copy; per-participant mode only the keys set")
    func providers() throws {
        let parameters = try KeyDerivationParameters(function: .hkdf)
        let shared = try KeyProvider(mode: .shared, parameters: parameters)
        try shared.setSharedKey(TestFrames.material("room"), at: 0)
        let alice = try #require(shared.keyRing(for: "alice"))
        let bob = try #require(shared.keyRing(for: "bob"))
        #expect(alice !== bob)
        #expect(shared.keyRing(for: "alice") === alice)
        try alice.ratchetKey(at: 0)
        let fromBob = TestFrames.encrypt(frame, keys: bob)
        #expect(decrypt(fromBob, keys: try TestFrames.ring("room", function: .hkdf)) == .decrypted(ratchetSteps: 0))
        try shared.setSharedKey(TestFrames.material("new room"), at: 1)
        #expect(alice.hasKey(at: 1) && bob.hasKey(at: 1))
        #expect(throws: FrameCryptError.self) {
            try shared.setKey(TestFrames.material("x"), participant: "alice", at: 0)
        }

        let perParticipant = try KeyProvider(mode: .perParticipant, parameters: parameters)
        try perParticipant.setKey(TestFrames.material("alice key"), participant: "alice", at: 0)
        try perParticipant.setKey(TestFrames.material("alice key 2"), participant: "alice", at: 1)
        #expect(perParticipant.keyRing(for: "alice")?.hasKey(at: 1) == true)
        #expect(perParticipant.keyRing(for: "carol") == nil)
        #expect(throws: FrameCryptError.self) { try perParticipant.setSharedKey(TestFrames.material("x"), at: 0) }
    }
}
