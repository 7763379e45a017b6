import FrameCryptCrypto
import FrameCryptFormat
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

@Suite("Truncated, garbage and server-injected frames")
struct HostileFrameTests {
    private static let codecs: [FrameCodec] = [.opus, .aac, .vp8, .vp9, .av1, .h264, .h265, .otherVideo("mpeg4")]

    @Test("every truncation of a real encrypted frame fails with a clear state, never a crash")
    func truncations() throws {
        let keys = try TestFrames.ring(function: .hkdf)
        for frame in try TestFrames.all() {
            let encrypted = TestFrames.encrypt(frame, keys: keys)
            var receiver = FrameDecryptor(codec: frame.codec, keys: keys, ratchetWindow: 0)
            var output: [UInt8] = []
            for length in stride(from: 1, to: encrypted.count, by: max(1, encrypted.count / 97)) {
                let outcome = receiver.decrypt(Array(encrypted.prefix(length)), into: &output)
                guard case .failed(let failure) = outcome else {
                    Issue.record("\(frame.id) cut to \(length) bytes gave \(outcome)")
                    continue
                }
                #expect([.decryptionFailed, .missingKey].contains(failure.state))
                #expect(output.isEmpty)
            }
        }
    }

    @Test("random bytes of every length under every codec give a failure state", arguments: codecs)
    func garbage(codec: FrameCodec) throws {
        let keys = try TestFrames.ring(function: .hkdf)
        var receiver = FrameDecryptor(codec: codec, keys: keys, ratchetWindow: 2)
        var generator = SystemRandomNumberGenerator()
        var output: [UInt8] = []
        for length in 1...120 {
            for _ in 0..<4 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let outcome = receiver.decrypt(bytes, into: &output)
                #expect([.decryptionFailed, .missingKey].contains(outcome.state))
            }
        }
    }

    @Test("format failures are named: short body, bad IV length")
    func namedFailures() throws {
        let keys = try TestFrames.ring(function: .hkdf)
        var output: [UInt8] = []
        var opus = FrameDecryptor(codec: .opus, keys: keys)
        #expect(opus.decrypt([0x78, 1, 2, 3], into: &output) == .failed(.format(.truncated(bodyLength: 3))))
        var frame = TestFrames.encrypt(
            TestFrames.Frame(id: "o", codec: .opus, keyFrame: false, bytes: [0x78, 9, 9]),
            keys: keys
        )
        frame[frame.count - 2] = 16
        #expect(opus.decrypt(frame, into: &output) == .failed(.format(.malformedTrailer(ivLength: 16))))
        for failure in [
            DecryptFailure.format(.truncated(bodyLength: 3)), .noKey(keyIndex: 2),
            .authenticationFailed(ratchetSteps: 16),
        ] {
            #expect(!failure.description.isEmpty && !failure.description.contains("\n"))
        }
    }

    @Test("with a SIF trailer configured, known blank frames pass and anything else is dropped")
    func serverInjectedFrames() throws {
        let keys = try TestFrames.ring(function: .hkdf)
        let trailer = Array("room-secret-trailer".utf8)
        var receiver = FrameDecryptor(codec: .opus, keys: keys, serverInjectedTrailer: trailer)
        var output: [UInt8] = []
        #expect(receiver.decrypt(ServerInjectedFrames.opusSilence + trailer, into: &output) == .serverInjected)
        #expect(output == ServerInjectedFrames.opusSilence)
        let forged = [0x78] + [UInt8](repeating: 0x55, count: 50) + trailer
        #expect(receiver.decrypt(forged, into: &output) == .failed(.unexpectedServerInjectedPayload))
        #expect(output.isEmpty)
        let real = TestFrames.encrypt(
            TestFrames.Frame(id: "o", codec: .opus, keyFrame: false, bytes: [0x78, 1, 2, 3]),
            keys: keys
        )
        #expect(receiver.decrypt(real, into: &output) == .decrypted(ratchetSteps: 0))

        var unconfigured = FrameDecryptor(codec: .opus, keys: keys)
        #expect(
            unconfigured.decrypt(ServerInjectedFrames.opusSilence + trailer, into: &output).state == .decryptionFailed
        )
    }
}
