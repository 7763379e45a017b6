import Foundation
import FrameCryptCrypto
import FrameCryptFormat
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// A sender that ratcheted its key before sending: the receiver holding the original key catches up
/// inside its ratchet window, and not with the window turned off.
@Suite("Ratchet window through the CLI")
struct RatchetThroughCLITests {
    @Test("decrypt ratchets the stored key forward; --ratchet-window 0 refuses")
    func senderRatchetedTwice() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The sender's material after two ratchet steps: PBKDF2 with the ratchet salt, 32 bytes, twice.
        let encrypted = try TestFrames.encryptedByRatchetedSender(steps: 2, in: folder).file

        let receiver = ["--key-file", Fixtures.keys("shared.json")]
        let decrypted = folder.appendingPathComponent("decrypted.webm").path
        let decrypt = try CommandRunner.framecrypt(["decrypt", encrypted, "-o", decrypted, "--json"] + receiver)
        #expect(decrypt.status == 0, "\(decrypt.standardError)")
        let streams = try ReportJSON.decode(ReportJSON.Processing.self, from: decrypt).streams
        // Both streams share the receiver's ring: the file's first frame (audio) needs both steps,
        // and every later frame opens with the stored key it moved forward.
        #expect(streams.map(\.maxRatchetSteps) == [0, 2])
        #expect(streams.map { $0.states["keyRatcheted"] } == [nil, 1])
        #expect(try FFmpegTools.packetDigests(decrypted) == FFmpegTools.packetDigests(Fixtures.media("vp8-opus.webm")))

        let refused = try CommandRunner.framecrypt(
            ["decrypt", encrypted, "-o", folder.appendingPathComponent("refused.webm").path, "--ratchet-window", "0"]
                + receiver
        )
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("authentication failed with the current key"))
    }
}
