import Foundation
import FrameCryptFormat
import FrameCryptTestSupport
import Testing

/// A recording in which the SFU replaced some audio frames with its blank Opus frame plus the
/// room's server-injected-frame trailer, as LiveKit does while a track is muted or paused.
@Suite("Server-injected frames through the CLI")
struct ServerInjectedThroughCLITests {
    static let trailer: [UInt8] = Array("LKROCKS".utf8)

    @Test("--sif-trailer passes known blank frames and counts them; without it they fail")
    func blankFramesPass() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = ["--key-file", Fixtures.keys("shared.json")]
        let encrypted = folder.appendingPathComponent("encrypted.ogg").path
        let encrypt = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("opus.ogg"), "-o", encrypted, "-q"] + keys
        )
        try #require(encrypt.status == 0, "\(encrypt.standardError)")
        let injected = folder.appendingPathComponent("injected.ogg").path
        try Self.inject(into: encrypted, writing: injected, every: 10)

        let decrypted = folder.appendingPathComponent("decrypted.ogg").path
        let hex = Self.trailer.map { String(format: "%02x", $0) }.joined()
        let result = try CommandRunner.framecrypt(
            ["decrypt", injected, "-o", decrypted, "--json", "--sif-trailer", hex] + keys
        )
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("\"serverInjectedFrames\" : 8"))
        let packets = try FFmpegTools.packetDigests(decrypted)
        let source = try FFmpegTools.packetDigests(Fixtures.media("opus.ogg"))
        #expect(packets.count == source.count)
        // Every injected frame is the blank payload without its trailer; every other frame is the source's.
        let blank = md5Hex(ServerInjectedFrames.opusSilence)
        for (index, (got, expected)) in zip(packets, source).enumerated() {
            #expect(got.contains(index % 10 == 0 ? blank : String(expected.split(separator: ",")[5].dropFirst())))
        }

        let refused = try CommandRunner.framecrypt(
            ["decrypt", injected, "-o", folder.appendingPathComponent("refused.ogg").path] + keys
        )
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("frame 0 does not decrypt"))
    }

    /// Copies `path` with every `interval`-th packet replaced by the blank Opus frame and the trailer.
    static func inject(into path: String, writing output: String, every interval: Int) throws {
        try PacketSurgery.rewrite(path, to: output, formatName: "ogg") { _, frame, payload in
            if frame % interval == 0 {
                payload = ServerInjectedFrames.opusSilence + trailer
            }
        }
    }
}

/// The MD5 of `bytes` in hex, as ffmpeg's framemd5 prints it, from the system's `md5sum`.
private func md5Hex(_ bytes: [UInt8]) -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("framecrypt-md5-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    guard (try? Data(bytes).write(to: file)) != nil, let result = try? CommandRunner.system("md5sum", [file.path])
    else {
        return "md5sum failed"
    }
    return String(result.standardOutput.prefix(32))
}
