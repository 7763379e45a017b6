import Foundation
import FrameCryptTestSupport
import Testing

/// What LiveKit's native sender does differently, through the CLI on real media: its packet trailer
/// (frame metadata), its wrapped H.264 clear prefix, and its AV1 frames (docs/INTEROP.md).
@Suite("Native sender behaviours through the CLI")
struct NativeSenderTests {
    static let keys = ["--key-file", Fixtures.keys("shared.json")]

    static func processed(_ result: CommandResult) throws -> [ReportJSON.Processing.Stream] {
        try ReportJSON.decode(ReportJSON.Processing.self, from: result).streams
    }

    @Test(
        "--frame-metadata: every video frame carries the packet trailer; inspect counts it, decrypt strips it and reports its values"
    )
    func frameMetadata() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let source = Fixtures.media("vp8-opus.webm")
        let encrypted = folder.path("metadata.webm")
        let decrypted = folder.path("decrypted.webm")
        let made = try CommandRunner.framecrypt(
            ["encrypt", source, "-o", encrypted, "--frame-metadata", "-q"] + Self.keys
        )
        try #require(made.status == 0, "\(made.standardError)")

        let inspect = try CommandRunner.framecrypt(["inspect", encrypted, "--json"])
        #expect(inspect.status == 0)
        let inspected = try ReportJSON.decode(ReportJSON.Inspection.self, from: inspect).streams
        #expect(inspected.map(\.packetTrailerFrames) == [45, 0])
        #expect(inspected.map(\.encryptedFrames) == [45, 76])
        let text = try CommandRunner.framecrypt(["inspect", encrypted])
        #expect(
            text.standardOutput.contains("LiveKit packet trailer (frame metadata, outside the encryption) on 45 frames")
        )

        let verify = try CommandRunner.framecrypt(["verify-keys", encrypted, "--all"] + Self.keys)
        #expect(verify.status == 0, "\(verify.standardOutput)")

        let decrypt = try CommandRunner.framecrypt(["decrypt", encrypted, "-o", decrypted, "--json"] + Self.keys)
        #expect(decrypt.status == 0, "\(decrypt.standardError)")
        #expect(try FFmpegTools.packetDigests(decrypted) == FFmpegTools.packetDigests(source))
        let reported = try Self.processed(decrypt)
        let metadata = try #require(reported.first?.frameMetadata)
        #expect(metadata.count == 45)
        #expect(metadata.map(\.frameId) == Array(1...45))
        // user timestamp = presentation time in microseconds (this file's video starts at 7 ms).
        let times = metadata.map { ($0.time ?? -1, Int($0.userTimestamp ?? 0)) }
        #expect(times.first?.1 == 7000)
        #expect(times.allSatisfy { abs(Double($0.1) - $0.0 * 1_000_000) < 1 })
        #expect(reported.last?.frameMetadata.isEmpty == true)
    }

    @Test(
        "--sender native wraps x264's long keyframe prefix; decrypt recovers those frames, counts them, and round-trips"
    )
    func nativeWrap() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let source = Fixtures.media("h264-aac.mp4")
        let native = folder.path("native.mp4")
        let decrypted = folder.path("decrypted.mp4")
        let made = try CommandRunner.framecrypt(
            ["encrypt", source, "-o", native, "--sender", "native", "-q"] + Self.keys
        )
        try #require(made.status == 0, "\(made.standardError)")

        let decrypt = try CommandRunner.framecrypt(["decrypt", native, "-o", decrypted, "--json"] + Self.keys)
        #expect(decrypt.status == 0, "\(decrypt.standardError)")
        #expect(try FFmpegTools.packetDigests(decrypted) == FFmpegTools.packetDigests(source))
        let video = try #require(try Self.processed(decrypt).first)
        let recovered = video.recoveredFrames
        #expect((recovered["nativePrefixWrap"] ?? 0) >= 1)

        // The profile sender on the same file needs no recovery.
        let profile = folder.path("profile.mp4")
        #expect(try CommandRunner.framecrypt(["encrypt", source, "-o", profile, "-q"] + Self.keys).status == 0)
        let plain = try CommandRunner.framecrypt(
            ["decrypt", profile, "-o", folder.path("p.mp4"), "--json"] + Self.keys
        )
        #expect(try Self.processed(plain).first?.recoveredFrames == [:])
    }

    @Test("--sender and --frame-metadata are refused with SFrame")
    func refusedWithSFrame() throws {
        let result = try CommandRunner.framecrypt([
            "encrypt", Fixtures.media("vp8-opus.webm"), "-o", "/tmp/never.webm", "--scheme", "sframe",
            "--shared-key-env", "NOPE", "--sender", "native",
        ])
        #expect(result.status == 64)
        #expect(result.standardError.contains("--sender and --frame-metadata apply to the webrtc-framecryptor scheme"))
    }

    @Test("AV1 is sealed whole as the native sender does and stored behind the storage envelope")
    func av1NativeForm() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let source = Fixtures.media("av1-opus.mp4")
        let encrypted = folder.path("av1.mp4")
        let made = try CommandRunner.framecrypt(["encrypt", source, "-o", encrypted, "-q"] + Self.keys)
        try #require(made.status == 0, "\(made.standardError)")
        let vectors = folder.path("av1.vectors.json")
        let export = try CommandRunner.framecrypt(
            ["vectors", "export", encrypted, "-o", vectors, "--frames", "4"] + Self.keys
        )
        try #require(export.status == 0, "\(export.standardError)")
        let av1 = try ReportJSON.ExportedVectors.load(vectors).vectors.filter { $0.codec == "av1" }
        #expect(!av1.isEmpty)
        // The wire frame has no clear byte and no envelope: plaintext + tag + IV + trailer.
        for vector in av1 {
            #expect(vector.clearBytes == 0)
            let plain = vector.plaintextHex.count / 2
            let sealed = vector.encryptedHex.count / 2
            #expect(sealed == plain + 30)
        }
        let verify = try CommandRunner.framecrypt(["vectors", "verify", vectors])
        #expect(verify.status == 0, "\(verify.standardOutput)")
    }
}
