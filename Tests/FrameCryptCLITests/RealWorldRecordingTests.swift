import Foundation
import FrameCryptTestSupport
import Testing

/// Files that FFmpeg did not write (Fixtures/realworld/media, made by Fixtures/realworld/make.sh with
/// GStreamer 1.22, mkvmerge and FFmpeg), through the CLI: each test is one way such a file failed.
/// scripts/realworld.py runs the whole matrix, remuxes by other tools included.
@Suite("Recordings from other tools")
struct RealWorldRecordingTests {
    static let shared = ["--key-file", Fixtures.keys("shared.json")]

    static func inspection(_ result: CommandResult) throws -> ReportJSON.Inspection {
        try ReportJSON.decode(ReportJSON.Inspection.self, from: result)
    }

    /// Encrypts `source` into `folder` as `name`, failing the test when framecrypt fails.
    static func encrypt(_ source: String, _ name: String, in folder: ScratchFolder, _ extra: [String] = []) throws
        -> String
    {
        let output = folder.path(name)
        let result = try CommandRunner.framecrypt(["encrypt", source, "-o", output, "-q"] + shared + extra)
        try #require(result.status == 0, "\(result.standardError)")
        return output
    }

    /// Packets of `copy` match `original`'s per stream: payload, key flag, count, and presentation
    /// (and, when `decodingTimes`, decoding) times within `tolerance` seconds.
    static func expectSamePackets(
        _ original: String,
        _ copy: String,
        tolerance: Double = 0.000_01,
        decodingTimes: Bool = true
    ) throws {
        // Per stream, in each stream's order: tools interleave streams in their own ways.
        let before = try FFmpegTools.timedPackets(original).sorted { $0.stream < $1.stream }
        let after = try FFmpegTools.timedPackets(copy).sorted { $0.stream < $1.stream }
        #expect(before.count == after.count, "\(copy): \(after.count) packets, \(before.count) in \(original)")
        for (a, b) in zip(before, after) {
            #expect(a.stream == b.stream && a.digest == b.digest && a.keyFrame == b.keyFrame, "\(a) vs \(b)")
            #expect(abs((a.pts ?? .nan) - (b.pts ?? .nan)) <= tolerance, "pts \(a) vs \(b)")
            if decodingTimes, let dtsA = a.dts, let dtsB = b.dts {
                #expect(abs(dtsA - dtsB) <= tolerance, "dts \(a) vs \(b)")
            }
        }
    }

    @Test(
        "GStreamer qtmux .mov: the label reads back exactly, per-participant keys need no --participant, handler names stay the source's"
    )
    func movLabels() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let source = Fixtures.realWorld("gst-qtmux-h264-aac.mov")
        let participants = ["--key-file", Fixtures.keys("participants.json")]
        let encrypted = folder.path("alice.mov")
        let made = try CommandRunner.framecrypt(
            ["encrypt", source, "-o", encrypted, "--participant", "alice", "-q"] + participants
        )
        try #require(made.status == 0, "\(made.standardError)")
        for stream in 0..<2 {
            #expect(
                try FFmpegTools.streamTags(encrypted, stream: stream)["handler_name"]
                    == FFmpegTools.streamTags(source, stream: stream)["handler_name"]
            )
        }
        let inspected = try Self.inspection(try CommandRunner.framecrypt(["inspect", encrypted, "--json"])).streams
        #expect(inspected.map(\.participant) == ["alice", "alice"])
        let verify = try CommandRunner.framecrypt(["verify-keys", encrypted] + participants)
        #expect(verify.status == 0, "\(verify.standardOutput)")
        let decrypted = folder.path("decrypted.mov")
        let decrypt = try CommandRunner.framecrypt(["decrypt", encrypted, "-o", decrypted, "-q"] + participants)
        #expect(decrypt.status == 0, "\(decrypt.standardError)")
        try Self.expectSamePackets(source, decrypted)
        #expect(try FFmpegTools.streamTags(decrypted, stream: 0)["handler_name"] == "VideoHandler")
        #expect(try FFmpegTools.streamTags(decrypted, stream: 1)["handler_name"] == "SoundHandler")
    }

    @Test(
        "GStreamer fragmented MP4 keeps its last audio frame and, with composition offsets, every timestamp",
        arguments: ["gst-mp4mux-fragmented-h264-aac.mp4", "gst-mp4mux-fragmented-bframes-h264-aac.mp4"]
    )
    func fragmented(source name: String) throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let source = Fixtures.realWorld(name)
        let encrypted = try Self.encrypt(source, "encrypted.mp4", in: folder)
        let counts = { (path: String, encrypted: Bool) in
            try FFmpegTools.timedPackets(path, encrypted: encrypted).reduce(into: [Int: Int]()) {
                $0[$1.stream, default: 0] += 1
            }
        }
        #expect(try counts(encrypted, true) == counts(source, false))
        let decrypted = folder.path("decrypted.mp4")
        let decrypt = try CommandRunner.framecrypt(["decrypt", encrypted, "-o", decrypted, "-q"] + Self.shared)
        try #require(decrypt.status == 0, "\(decrypt.standardError)")
        try Self.expectSamePackets(source, decrypted)
    }

    @Test("GStreamer matroskamux AV1 (bare-OBU CodecPrivate) encrypts into Matroska and MP4 with a full av1C")
    func av1WithoutConfigurationRecord() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let source = Fixtures.realWorld("gst-matroskamux-av1-opus.mkv")
        for name in ["encrypted.mkv", "encrypted.mp4"] {
            let encrypted = try Self.encrypt(source, name, in: folder)
            let extradata = try CommandRunner.system(
                "ffprobe",
                [
                    "-v", "quiet", "-select_streams", "v", "-show_entries", "stream=extradata_size", "-of", "csv=p=0",
                    encrypted,
                ]
            )
            // av1C: 4 bytes of header, then the sequence header OBU.
            #expect((Int(extradata.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 4, "\(name)")
            let decrypted = folder.path("decrypted-\(name)")
            let decrypt = try CommandRunner.framecrypt(["decrypt", encrypted, "-o", decrypted, "-q"] + Self.shared)
            try #require(decrypt.status == 0, "\(decrypt.standardError)")
            // Frames come back without the temporal delimiter (12 00) GStreamer left in front,
            // which MP4 and Matroska must not store: 2 bytes shorter, audio exact.
            let before = try FFmpegTools.timedPackets(source)
            let after = try FFmpegTools.timedPackets(decrypted)
            #expect(before.count == after.count)
            for (a, b) in zip(before, after) {
                #expect(a.stream == 0 ? b.size == a.size - 2 : b.digest == a.digest, "\(a) vs \(b)")
            }
        }
    }

    @Test(
        "MPEG-TS (HLS egress H.264+AAC, OBS-style H.265+Opus) and IVF (VP8, VP9, AV1) round-trip exactly in their own container",
        arguments: [
            "gst-mpegtsmux-h264-aac.ts", "ffmpeg-h265-opus.ts", "ffmpeg-vp8.ivf", "ffmpeg-vp9.ivf", "ffmpeg-av1.ivf",
        ]
    )
    func transportStreamAndIVF(source name: String) throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let source = Fixtures.realWorld(name)
        let suffix = URL(fileURLWithPath: name).pathExtension
        let encrypted = try Self.encrypt(source, "encrypted.\(suffix)", in: folder)
        let inspected = try Self.inspection(try CommandRunner.framecrypt(["inspect", encrypted, "--json"])).streams
        #expect(inspected.allSatisfy { $0.encryptedFrames == $0.frames }, "\(inspected)")
        let verify = try CommandRunner.framecrypt(["verify-keys", encrypted] + Self.shared)
        #expect(verify.status == 0, "\(verify.standardOutput)")
        let decrypted = folder.path("decrypted.\(suffix)")
        let decrypt = try CommandRunner.framecrypt(["decrypt", encrypted, "-o", decrypted, "-q"] + Self.shared)
        try #require(decrypt.status == 0, "\(decrypt.standardError)")
        if name.contains("av1") {
            // The temporal delimiter (12 00) FFmpeg's IVF muxer put in front is neither encrypted nor kept.
            let before = try FFmpegTools.timedPackets(source)
            let after = try FFmpegTools.timedPackets(decrypted)
            #expect(before.map(\.size) == after.map { $0.size + 2 })
            #expect(before.map(\.pts) == after.map(\.pts))
        } else {
            try Self.expectSamePackets(source, decrypted)
        }
    }

    @Test(
        "VP9 from IVF decrypts into WebM with its frames and times; MPEG-TS and IVF refuse what they cannot hold (69, naming .mkv)"
    )
    func containerRefusals() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let vp9 = Fixtures.realWorld("ffmpeg-vp9.ivf")
        let encrypted = try Self.encrypt(vp9, "encrypted.webm", in: folder)
        let decrypted = folder.path("decrypted.webm")
        let decrypt = try CommandRunner.framecrypt(["decrypt", encrypted, "-o", decrypted, "-q"] + Self.shared)
        try #require(decrypt.status == 0, "\(decrypt.standardError)")
        try Self.expectSamePackets(vp9, decrypted, tolerance: 0.000_5, decodingTimes: false)
        for (source, output) in [
            (Fixtures.realWorld("gst-mp4mux-h264-aac.mp4"), "x.ts"),
            (Fixtures.realWorld("gst-mp4mux-h264-aac.mp4"), "x.ivf"),
            (Fixtures.realWorld("mediarecorder-h264-opus.webm"), "x.webm"),
        ] {
            let result = try CommandRunner.framecrypt(["encrypt", source, "-o", folder.path(output)] + Self.shared)
            #expect(result.status == 69, "\(output): \(result.standardError)")
            #expect(result.standardError.contains("write .mkv instead"), "\(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: folder.path(output)))
        }
    }

    @Test(
        "mkvmerge removed the access-unit delimiters: verify-keys says header-restored, decrypt restores the frames exactly"
    )
    func accessUnitDelimitersRemoved() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let remuxed = Fixtures.realWorld("encrypted-mkvmerge-h264-aac.mkv")
        let verify = try CommandRunner.framecrypt(["verify-keys", remuxed, "--json"] + Self.shared)
        #expect(verify.status == 0, "\(verify.standardOutput)")
        #expect(
            try ReportJSON.decode(ReportJSON.KeyVerification.self, from: verify).streams.map(\.status) == [
                "header-restored", "ok",
            ]
        )
        let decrypted = folder.path("decrypted.mkv")
        let decrypt = try CommandRunner.framecrypt(["decrypt", remuxed, "-o", decrypted, "--json"] + Self.shared)
        try #require(decrypt.status == 0, "\(decrypt.standardError)")
        let recovered = try ReportJSON.decode(ReportJSON.Processing.self, from: decrypt).streams.first?.recoveredFrames
        #expect(recovered == ["accessUnitDelimiterRemoved": 15])
        let source = try FFmpegTools.timedPackets(Fixtures.realWorld("gst-mp4mux-h264-aac.mp4")).filter {
            $0.stream == 0
        }
        #expect(try FFmpegTools.timedPackets(decrypted).filter { $0.stream == 0 }.map(\.digest) == source.map(\.digest))
    }

    @Test(
        "An elementary-stream round trip re-frames H.265 ciphertext: inspect counts no clear frame and names the re-framing"
    )
    func reframedCiphertext() throws {
        let report = try CommandRunner.framecrypt(
            ["inspect", Fixtures.realWorld("encrypted-elementary-roundtrip-h265.mp4"), "--json"]
        )
        #expect(report.status == 0)
        let stream = try #require(try Self.inspection(report).streams.first)
        #expect(stream.clearFrames == 0)
        #expect(stream.unrecognizedFrames > 0)
        #expect(stream.scheme == "webrtc-framecryptor")
        let findings = try Self.inspection(report).findings
        #expect(findings.map(\.code) == ["unrecognized-frames"])
        #expect(findings.first?.message.contains("split or merged at new boundaries") == true)
        // Clear media is never called unrecognized.
        for name in ["gst-mp4mux-h264-aac.mp4", "ffmpeg-h265.mp4", "gst-matroskamux-av1-opus.mkv", "ffmpeg-vp9.ivf"] {
            let clear = try Self.inspection(
                try CommandRunner.framecrypt(["inspect", Fixtures.realWorld(name), "--json"])
            ).streams
            #expect(clear.allSatisfy { $0.unrecognizedFrames == 0 }, "\(name)")
        }
    }

    @Test("mkvmerge --webm laced the encrypted Opus frames: each decrypted frame keeps its own time")
    func lacedBlocks() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let decrypted = folder.path("decrypted.webm")
        let decrypt = try CommandRunner.framecrypt(
            ["decrypt", Fixtures.realWorld("encrypted-mkvmerge-laced-vp8-opus.webm"), "-o", decrypted, "-q"]
                + Self.shared
        )
        try #require(decrypt.status == 0, "\(decrypt.standardError)")
        let audio = try FFmpegTools.timedPackets(decrypted).filter { $0.stream == 1 }
        #expect(Set(audio.compactMap(\.pts)).count == audio.count)
        try Self.expectSamePackets(Fixtures.realWorld("gst-webmmux-vp8-opus.webm"), decrypted, tolerance: 0.000_5)
    }

    @Test("Chapters, rotation, cover art, attachments, subtitles and languages survive encrypt and decrypt")
    func otherTracks() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let chapters = folder.path("chapters.txt")
        try ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=400\ntitle=Intro\n".write(
            toFile: chapters,
            atomically: true,
            encoding: .utf8
        )
        let subtitle = folder.path("subtitle.srt")
        try "1\n00:00:00,000 --> 00:00:00,400\nhello\n".write(toFile: subtitle, atomically: true, encoding: .utf8)
        let font = folder.path("font.ttf")
        try "not really a font\n".write(toFile: font, atomically: true, encoding: .utf8)
        let source = Fixtures.realWorld("gst-mp4mux-h264-aac.mp4")
        let builds: [(String, [String])] = [
            (
                "tracks.mp4",
                [
                    "-i", source, "-i", chapters, "-map", "0", "-map_chapters", "1", "-c", "copy",
                    "-metadata:s:v:0", "rotate=90", "-metadata:s:a", "language=fra",
                ]
            ),
            (
                "tracks.mkv",
                [
                    "-i", source, "-i", subtitle, "-i", chapters, "-map", "0", "-map", "1", "-map_chapters", "2",
                    "-c", "copy", "-c:s", "srt", "-metadata:s:s", "language=deu", "-attach", font,
                    "-metadata:s:t", "mimetype=application/x-truetype-font",
                ]
            ),
        ]
        let described = { (path: String) -> String in
            try CommandRunner.system(
                "ffprobe",
                [
                    "-v", "quiet", "-show_entries",
                    "chapter=start_time,end_time:chapter_tags:stream=codec_type,codec_name:stream_tags=language,filename:stream_side_data=rotation",
                    "-of", "json", path,
                ]
            ).standardOutput
        }
        for (name, arguments) in builds {
            let built = folder.path(name)
            let made = try FFmpegTools.ffmpeg(arguments + [built])
            try #require(made.status == 0, "\(made.standardError)")
            let original = try described(built)
            #expect(original.contains("Intro"))
            let encrypted = try Self.encrypt(built, "encrypted-\(name)", in: folder)
            #expect(try described(encrypted) == original, "\(name) encrypted")
            let decrypted = folder.path("decrypted-\(name)")
            let decrypt = try CommandRunner.framecrypt(["decrypt", encrypted, "-o", decrypted, "-q"] + Self.shared)
            try #require(decrypt.status == 0, "\(decrypt.standardError)")
            #expect(try described(decrypted) == original, "\(name) decrypted")
        }
    }
}
