import Foundation
import FrameCryptTestSupport
import Testing

/// `inspect --probe-decode`: what a server-side recorder gets when it decodes encrypted streams with
/// libavcodec, measured against the clear file, and the side-by-side snapshot.
@Suite("inspect --probe-decode")
struct DecodeProbeTests {
    @Test("encrypted video does not decode into the clear pictures; the clear file matches itself")
    func encryptedVideoIsNoise() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in ["h264-aac.mp4", "vp8-opus.webm", "h265-aac.mp4"] {
            let encrypted = try InspectCommandTests.encrypt(file, in: folder)
            let clear = Fixtures.media(file)
            let probe = try Self.probe(encrypted, reference: clear)
            let video = try #require(probe.first)
            #expect(video.packets == 45)
            let failures = video.packetsRejected + video.decoderErrors
            #expect(failures > 0, "\(file): the decoder took every encrypted frame without complaint")
            if let psnr = video.psnr {
                #expect(psnr < 20, "\(file): encrypted pictures are \(psnr) dB from the clear ones")
            }
            let own = try #require(try Self.probe(clear, reference: clear).first)
            #expect(own.decoderErrors == 0)
            #expect(own.packetsRejected == 0)
            #expect(own.framesCompared == 45)
            #expect(own.psnr == 100)
        }
    }

    @Test("--snapshot writes a PNG twice the clear picture's width; an existing one needs --force")
    func snapshot() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = try InspectCommandTests.encrypt("h264-aac.mp4", in: folder)
        let picture = folder.appendingPathComponent("snapshot.png").path
        let arguments =
            ["inspect", "--probe-decode", "--reference", Fixtures.media("h264-aac.mp4")]
            + ["--snapshot", picture, encrypted]
        let first = try CommandRunner.framecrypt(arguments)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("snapshot: \(picture)"))
        let probe = try CommandRunner.system(
            "ffprobe",
            ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", picture]
        )
        #expect(probe.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "png,640,240")

        let again = try CommandRunner.framecrypt(arguments)
        #expect(again.status == 80)
        #expect(try CommandRunner.framecrypt(arguments + ["--force"]).status == 0)
        let missingFolder = folder.appendingPathComponent("absent/snapshot.png").path
        let unwritable = try CommandRunner.framecrypt(
            ["inspect", "--probe-decode", "--reference", Fixtures.media("h264-aac.mp4")]
                + ["--snapshot", missingFolder, encrypted]
        )
        #expect(unwritable.status == 73)
        #expect(unwritable.standardOutput.isEmpty)
        let usage = try CommandRunner.framecrypt(["inspect", "--probe-decode", "--snapshot", picture, encrypted])
        #expect(usage.status == 64)
    }

    static func probe(_ path: String, reference: String) throws -> [ReportJSON.Inspection.ProbedStream] {
        let result = try CommandRunner.framecrypt([
            "inspect", "--json", "--probe-decode", "--reference", reference, path,
        ])
        try #require(result.status == 0, "\(result.standardError)")
        return try #require(try ReportJSON.decode(ReportJSON.Inspection.self, from: result).probe).streams
    }
}
