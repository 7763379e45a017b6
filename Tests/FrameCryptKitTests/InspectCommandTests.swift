import Foundation
import FrameCryptTestSupport
import Testing

/// `framecrypt inspect` on clear and encrypted fixtures, and on files built to hold one defect each:
/// every finding that is true is reported, and no other.
@Suite("inspect")
struct InspectCommandTests {
    /// A finding reduced to what the tests compare.
    struct Found: Equatable, CustomStringConvertible {
        let code: String
        let stream: Int
        var otherStream: Int? = nil
        let frames: [Int]

        var description: String {
            "\(code) stream \(stream)\(otherStream.map { "/\($0)" } ?? "") frames \(frames)"
        }
    }

    static let sharedKeys = ["--key-file", Fixtures.keys("shared.json")]

    @Test("a clear fixture has no encrypted frame and no findings", arguments: Fixtures.mediaFiles)
    func clearFixture(file: String) throws {
        let report = try Self.inspect(Fixtures.media(file))
        for stream in try Self.streams(report) {
            #expect(stream.scheme == "none")
            #expect(stream.encryptedFrames == 0)
            #expect(stream.clearFrames == stream.frames)
            #expect(stream.keyIndices.isEmpty)
        }
        #expect(try Self.findings(report) == [])
    }

    @Test(
        "an encrypted fixture: every frame encrypted, key index 0, only true findings",
        arguments: Fixtures.mediaFiles
    )
    func encryptedFixture(file: String) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = try Self.encrypt(file, in: folder)
        let report = try Self.inspect(encrypted)
        let streams = try Self.streams(report)
        #expect(streams.count == (try FFmpegTools.codecNames(Fixtures.media(file))).count)
        var ssrcs: Set<String> = []
        for stream in streams {
            let frames = stream.frames
            #expect(frames > 0)
            #expect(stream.scheme == "webrtc-framecryptor")
            #expect(stream.encryptedFrames == frames)
            #expect(stream.clearFrames == 0)
            #expect(stream.keyIndices == ["0": frames])
            let iv = try #require(stream.iv)
            #expect(iv.ssrcs.count == 1)
            ssrcs.formUnion(iv.ssrcs)
            #expect(iv.sendCountStart == 0)
            #expect(iv.sendCountGaps == 0)
            #expect(iv.rtpClockMismatches == 0)
            #expect(stream.overheadBytes >= 30 * frames)
        }
        #expect(ssrcs.count == streams.count)
        // x264 writes its settings as a ~600-byte SEI before the first slice of the first frame: a
        // true prefix-wrap finding. The small-slices clip has no SEI.
        let expected: [Found] =
            ["h264-aac.mp4", "h264-bframes-opus.mkv"].contains(file)
            ? [Found(code: "native-h26x-prefix-wrap", stream: 0, frames: [0])] : []
        #expect(try Self.findings(report) == expected)
    }

    @Test("participants and key indices come from the frames and labels")
    func participantsAndKeyIndices() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = folder.appendingPathComponent("two.mkv").path
        let encrypt = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("two-participants.mkv"), "-o", encrypted, "-q", "--key-index", "1"]
                + ["--shared-key-stdin", "--participant", "carol", "--map", "2=dave", "--map", "3=dave"],
            standardInput: "a room key\n"
        )
        try #require(encrypt.status == 0, "\(encrypt.standardError)")
        let streams = try Self.streams(try Self.inspect(encrypted))
        #expect(streams.map(\.participant) == ["carol", "carol", "dave", "dave"])
        for stream in streams {
            #expect(stream.keyIndices == ["1": stream.frames])
        }
    }

    @Test("a file built to hold one defect reports that finding and no other", arguments: Defect.allCases)
    func defect(_ defect: Defect) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = try Self.encrypt("vp8-opus.webm", in: folder)
        let clear = try PacketSurgery.payloads(of: Fixtures.media("vp8-opus.webm"), stream: 0)
        let damaged = folder.appendingPathComponent("damaged.mkv").path
        var previous: [UInt8] = []
        try PacketSurgery.rewrite(encrypted, to: damaged) { stream, frame, payload in
            guard stream == 0 else { return }
            defer { previous = payload }
            defect.apply(to: &payload, frame: frame, previous: previous, clear: clear[frame])
        }
        let report = try Self.inspect(damaged)
        #expect(try Self.findings(report) == [defect.expected])
        let text = try CommandRunner.framecrypt(["inspect", damaged])
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("\(defect.expected.code) (stream 0"))
        let check = try CommandRunner.framecrypt(["inspect", "--check", damaged])
        #expect(check.status == 1)
    }

    @Test("two copies of one sender in a file: IVs and SSRCs repeat across streams")
    func crossStreamReuse() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = try Self.encrypt("vp8-opus.webm", in: folder)
        let doubled = folder.appendingPathComponent("doubled.mkv").path
        let remux = try FFmpegTools.ffmpeg(
            ["-fflags", "+noparse", "-i", encrypted, "-fflags", "+noparse", "-i", encrypted]
                + ["-map", "0", "-map", "1", "-c", "copy", "-fflags", "-autobsf", doubled]
        )
        try #require(remux.status == 0, "\(remux.standardError)")
        let found = try Self.findings(try Self.inspect(doubled))
        #expect(
            found == [
                Found(code: "nonce-reuse", stream: 2, otherStream: 0, frames: Array(0..<45)),
                Found(code: "ssrc-collision", stream: 2, otherStream: 0, frames: []),
                Found(code: "nonce-reuse", stream: 3, otherStream: 1, frames: Array(0..<64)),
                Found(code: "ssrc-collision", stream: 3, otherStream: 1, frames: []),
            ]
        )
    }

    @Test("an SSRC whose bytes need escaping: iv-needs-escaping on every frame, and decrypt still exact")
    func ivNeedsEscaping() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Seed 6549389 gives the video sender SSRC 84000002: "00 00 02" is escaped inside every IV.
        let encrypted = try Self.encrypt("h264-small-slices.mp4", in: folder, seed: 6_549_389)
        let report = try Self.inspect(encrypted)
        let iv = try #require(try Self.streams(report).first?.iv)
        #expect(iv.ssrcs == ["84000002"])
        #expect(try Self.findings(report) == [Found(code: "iv-needs-escaping", stream: 0, frames: Array(0..<15))])
        let decrypted = folder.appendingPathComponent("decrypted.mp4").path
        let decrypt = try CommandRunner.framecrypt(["decrypt", encrypted, "-o", decrypted, "-q"] + Self.sharedKeys)
        #expect(decrypt.status == 0, "\(decrypt.standardError)")
        #expect(
            try FFmpegTools.packetDigests(decrypted)
                == FFmpegTools.packetDigests(Fixtures.media("h264-small-slices.mp4"))
        )
    }

    @Test("server-injected blank frames are counted as such, with or without the trailer")
    func serverInjectedFrames() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = try Self.encrypt("opus.ogg", in: folder)
        let injected = folder.appendingPathComponent("injected.ogg").path
        try ServerInjectedThroughCLITests.inject(into: encrypted, writing: injected, every: 10)
        let hex = ServerInjectedThroughCLITests.trailer.map { String(format: "%02x", $0) }.joined()
        for extra in [[], ["--sif-trailer", hex]] {
            let report = try Self.inspect(injected, extra)
            let stream = try #require(try Self.streams(report).first)
            #expect(stream.sifFrames == 8)
            #expect(stream.encryptedFrames == 68)
            #expect(stream.clearFrames == 0)
            #expect(try Self.findings(report) == [])
        }
    }

    @Test("--frames lists each frame; --streams and --max-frames narrow the view")
    func frameListing() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = try Self.encrypt("vp8-opus.webm", in: folder)
        let all = try Self.inspect(encrypted, ["--frames"])
        let frames = try #require(all.frames)
        #expect(frames.count == 45 + 76)
        let first = try #require(frames.first { $0.stream == 0 })
        #expect(first.frame == 0)
        #expect(first.keyFrame)
        #expect(first.state == "encrypted")
        #expect(first.keyIndex == 0)
        #expect(first.clearBytes == 10)
        #expect(first.iv?.count == 24)

        let narrow = try Self.inspect(encrypted, ["--frames", "--streams", "1", "--max-frames", "5"])
        let listed = try #require(narrow.frames)
        #expect(listed.map(\.stream) == Array(repeating: 1, count: 5))
        #expect(listed.map(\.frame) == Array(0..<5))
        #expect(try Self.streams(narrow).map(\.index) == [1])
        #expect(try Self.streams(narrow).first?.frames == 5)

        let text = try CommandRunner.framecrypt(["inspect", "--frames", "--max-frames", "3", encrypted])
        #expect(text.status == 0)
        #expect(text.standardOutput.split(separator: "\n").filter { $0.contains("encrypted          ") }.count == 6)
    }

    @Test("missing, non-media, corrupt input and unknown streams: one line and the right status")
    func badInput() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notMedia = folder.appendingPathComponent("notes.mp4")
        try Data("these are not video frames\n".utf8).write(to: notMedia)
        let source = try Data(contentsOf: URL(fileURLWithPath: try Self.encrypt("h264-bframes-opus.mkv", in: folder)))
        let truncated = folder.appendingPathComponent("truncated.mkv")
        try source.prefix(source.count / 2).write(to: truncated)
        let cases: [([String], Int32)] = [
            ([folder.appendingPathComponent("absent.mkv").path], 66),
            ([notMedia.path], 65),
            ([truncated.path], 65),
            ([Fixtures.media("opus.ogg"), "--streams", "3"], 64),
            ([Fixtures.media("opus.ogg"), "--streams", "a,b"], 64),
        ]
        for (arguments, status) in cases {
            let result = try CommandRunner.framecrypt(["inspect"] + arguments)
            #expect(result.status == status, "\(arguments): \(result.standardError)")
            #expect(result.standardOutput.isEmpty)
            // Usage errors (64) come from the argument parser with its usage lines after the message.
            let lines = result.standardError.split(separator: "\n")
            #expect(
                status == 64 ? lines.first?.contains("stream") == true : lines.count == 1,
                "\(result.standardError)"
            )
        }
    }

    /// Encrypts a fixture with the shared demo key and a fixed seed.
    static func encrypt(_ file: String, in folder: URL, seed: Int = 7) throws -> String {
        let output = folder.appendingPathComponent("encrypted-" + file).path
        let result = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media(file), "-o", output, "-q", "--seed", String(seed)]
                + (file == "two-participants.mkv"
                    ? ["--key-file", Fixtures.keys("participants.json"), "--map", "0=alice", "--map", "1=alice"]
                        + ["--map", "2=bob", "--map", "3=bob"] : sharedKeys)
        )
        try #require(result.status == 0, "\(result.standardError)")
        return output
    }

    static func inspect(_ path: String, _ extra: [String] = []) throws -> ReportJSON.Inspection {
        let result = try CommandRunner.framecrypt(["inspect", "--json", path] + extra)
        try #require(result.status == 0, "\(result.standardError)")
        return try ReportJSON.decode(ReportJSON.Inspection.self, from: result)
    }

    static func streams(_ report: ReportJSON.Inspection) throws -> [ReportJSON.Inspection.Stream] {
        report.streams
    }

    static func findings(_ report: ReportJSON.Inspection) throws -> [Found] {
        report.findings.map { Found(code: $0.code, stream: $0.stream, otherStream: $0.otherStream, frames: $0.frames) }
    }
}

/// One defect written into frames of the VP8 stream of an encrypted `vp8-opus.webm` (45 frames, key
/// frames 0, 15 and 30).
enum Defect: String, CaseIterable, CustomTestStringConvertible {
    case repeatedIV
    case clearFramesBeforeKey
    case keyIndexOutOfRing
    case truncatedFrame
    case malformedTrailer
    case brokenVP8StartCode

    var testDescription: String { rawValue }

    func apply(to payload: inout [UInt8], frame: Int, previous: [UInt8], clear: [UInt8]) {
        switch (self, frame) {
        case (.repeatedIV, 5): payload = previous
        case (.clearFramesBeforeKey, 1...4): payload = clear
        case (.keyIndexOutOfRing, 20): payload[payload.count - 1] = 20
        case (.truncatedFrame, 30): payload = Array(payload.prefix(20))
        case (.malformedTrailer, 25): payload[payload.count - 2] = 0x0B
        case (.brokenVP8StartCode, 15): payload[3] = 0
        default: break
        }
    }

    var expected: InspectCommandTests.Found {
        switch self {
        case .repeatedIV: .init(code: "nonce-reuse", stream: 0, frames: [5])
        case .clearFramesBeforeKey: .init(code: "mixed-clear-and-encrypted", stream: 0, frames: [1, 2, 3, 4])
        case .keyIndexOutOfRing: .init(code: "key-index-out-of-ring", stream: 0, frames: [20])
        case .truncatedFrame: .init(code: "truncated-frame", stream: 0, frames: [30])
        case .malformedTrailer: .init(code: "malformed-trailer", stream: 0, frames: [25])
        case .brokenVP8StartCode: .init(code: "clear-header-mismatch", stream: 0, frames: [15])
        }
    }
}
