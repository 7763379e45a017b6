import Foundation
import FrameCryptTestSupport
import Testing

/// `framecrypt doctor` names the cause that explains a file's frames, on files made to show each
/// cause through the real CLI (and, for changes made after encryption, real FFmpeg remuxing).
@Suite("framecrypt doctor")
struct DoctorTests {
    /// A key file written into `folder` (private, as framecrypt requires).
    static func keyFile(_ json: String, in folder: URL, named name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        return path
    }

    static func encrypt(_ source: String, to output: String, _ arguments: [String]) throws {
        let result = try CommandRunner.framecrypt(["encrypt", source, "-o", output, "--force", "-q"] + arguments)
        try #require(result.status == 0, "\(result.standardError)")
    }

    /// Runs the doctor as JSON and as text; returns the report, the exit status and all output.
    static func doctor(_ file: String, _ arguments: [String]) throws -> (ReportJSON.Doctor, Int32, String) {
        let json = try CommandRunner.framecrypt(["doctor", file, "--json"] + arguments)
        let text = try CommandRunner.framecrypt(["doctor", file] + arguments)
        #expect(json.status == text.status)
        let report = try ReportJSON.decode(ReportJSON.Doctor.self, from: json)
        return (report, json.status, text.standardOutput + text.standardError + json.standardError)
    }

    static func sdk(_ report: ReportJSON.Doctor, _ name: String) -> ReportJSON.Doctor.SDK? {
        report.sdks.first { $0.receiver == name }
    }

    @Test("a good file: keys fit (exit 0), and the SDKs whose ratchet window is too small are named")
    func keysFit() throws {
        let (report, status, text) = try Self.doctor(
            Fixtures.receivers("ratchet-one-step.webm"),
            ["--key-file", Fixtures.receivers("keys/alice.json"), "--participant", "alice"]
        )
        #expect(status == 0)
        #expect(report.keysFit)
        #expect(report.streams.map(\.cause) == ["keys-fit", "keys-fit"])
        #expect(report.sdks.filter { !$0.decryptsAll }.map(\.receiver) == ["swift", "flutter"])
        #expect(text.hasSuffix("keys fit\n"))
        #expect(!text.contains("alice's demo key"))
    }

    @Test("wrong KDF: the frames open with HKDF; SDKs without the HKDF option are named with why")
    func wrongKDF() throws {
        let (report, status, text) = try Self.doctor(
            Fixtures.receivers("bytes-key-hkdf.webm"),
            ["--key-file", Fixtures.receivers("keys/bytes-pbkdf2.json")]
        )
        #expect(status == 1)
        #expect(report.streams.map(\.cause) == ["wrong-kdf", "wrong-kdf"])
        #expect(report.streams.first?.remedy == "set \"kdf\": \"hkdf\" in the key file")
        #expect(report.sdks.filter(\.decryptsAll).map(\.receiver) == ["native", "js", "android", "rust"])
        #expect(Self.sdk(report, "swift")?.keyDifferences == ["swift has no HKDF option: it derives PBKDF2"])
        #expect(!text.contains("5f0e1d2c3b4a69788796a5b4c3d2e1f0"))
    }

    @Test("string versus bytes: the sender used the key's hex digits as a string")
    func stringVersusBytes() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sender = try Self.keyFile(
            #"{"sharedKey": {"text": "5f0e1d2c3b4a69788796a5b4c3d2e1f0"}}"#,
            in: folder,
            named: "sender.json"
        )
        let file = folder.appendingPathComponent("hex-as-text.webm").path
        try Self.encrypt(Fixtures.media("vp8-opus.webm"), to: file, ["--key-file", sender])
        let (report, status, text) = try Self.doctor(
            file,
            ["--key-file", Fixtures.receivers("keys/bytes-pbkdf2.json")]
        )
        #expect(status == 1)
        #expect(report.streams.map(\.cause) == ["string-vs-bytes", "string-vs-bytes"])
        #expect(report.streams.first?.summary.contains("the byte key's hex digits as a string key, pbkdf2") == true)
        #expect(report.sdks.allSatisfy { $0.decryptsAll })
        #expect(!text.contains("5f0e1d2c3b4a69788796a5b4c3d2e1f0"))
    }

    @Test("wrong salt: the frames open with the default salt, not the key file's")
    func wrongSalt() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let believed = try Self.keyFile(
            #"{"ratchetSalt": "MyAppSalt", "sharedKey": {"text": "the room's demo key"}}"#,
            in: folder,
            named: "believed.json"
        )
        let (report, status, _) = try Self.doctor(Fixtures.receivers("av1.mp4"), ["--key-file", believed])
        #expect(status == 1)
        #expect(report.streams.map(\.cause) == ["wrong-salt", "wrong-salt"])
        #expect(report.streams.first?.remedy == "set \"ratchetSalt\": \"LKFrameEncryptionKey\" in the key file")
    }

    @Test("ratchet steps beyond every SDK's window: 20 steps found, every SDK fails")
    func ratchetBeyondWindow() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = folder.appendingPathComponent("jump.json")
        try Data(#"{"ratchets": [{"at": 0.5, "steps": 20}]}"#.utf8).write(to: scenario)
        let file = folder.appendingPathComponent("jump.webm").path
        try Self.encrypt(
            Fixtures.media("vp8-opus.webm"),
            to: file,
            ["--key-file", Fixtures.receivers("keys/text.json"), "--scenario", scenario.path]
        )
        let (report, status, _) = try Self.doctor(file, ["--key-file", Fixtures.receivers("keys/text.json")])
        #expect(status == 1)
        #expect(report.streams.map(\.cause) == ["ratchet-beyond-window", "ratchet-beyond-window"])
        #expect(report.streams.first?.summary.contains("20 ratchet steps ahead") == true)
        #expect(report.sdks.allSatisfy { !$0.decryptsAll })
    }

    @Test("wrong participant: bob's stream opens with alice's keys")
    func wrongParticipant() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = try Self.keyFile(
            #"{"participants": {"alice": {"text": "alice's demo key"}, "bob": {"text": "bob's demo key"}}}"#,
            in: folder,
            named: "both.json"
        )
        let (report, status, _) = try Self.doctor(
            Fixtures.receivers("ratchet-one-step.webm"),
            ["--key-file", keys, "--participant", "bob"]
        )
        #expect(status == 1)
        #expect(report.streams.map(\.cause) == ["wrong-participant", "wrong-participant"])
        #expect(report.streams.map(\.remedy) == ["decrypt with --map 0=alice", "decrypt with --map 1=alice"])
        #expect(report.sdks.filter(\.decryptsAll).map(\.receiver) == ["native", "js", "android", "rust", "videosdk"])
    }

    @Test("Safari-style VP8 clear bytes on H.264: named, and no SDK decrypts")
    func vp8ClearBytesOnH264() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("codecless.mp4").path
        try Self.encrypt(
            Fixtures.media("h264-small-slices.mp4"),
            to: file,
            ["--key-file", Fixtures.receivers("keys/text.json"), "--sender", "codecless"]
        )
        let (report, status, _) = try Self.doctor(file, ["--key-file", Fixtures.receivers("keys/text.json")])
        #expect(status == 1)
        #expect(report.streams.map(\.cause) == ["vp8-clear-bytes"])
        #expect(report.sdks.allSatisfy { !$0.decryptsAll })
    }

    @Test("a clear header changed after encryption: the key opens the audio, not the video")
    func alteredHeader() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = folder.appendingPathComponent("encrypted.mkv").path
        try Self.encrypt(
            Fixtures.realWorld("gst-mp4mux-h264-aac.mp4"),
            to: encrypted,
            ["--key-file", Fixtures.keys("shared.json")]
        )
        let altered = folder.appendingPathComponent("altered.mkv").path
        try PacketSurgery.changingAccessUnitDelimiters(encrypted, to: altered)
        let (report, status, _) = try Self.doctor(altered, ["--key-file", Fixtures.keys("shared.json")])
        #expect(status == 1)
        #expect(report.streams.map(\.cause) == ["header-altered", "keys-fit"])
    }

    @Test("a packet trailer: keys fit (exit 0), JS decrypts, native SDKs do not")
    func packetTrailer() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("metadata.webm").path
        try Self.encrypt(
            Fixtures.media("vp8-opus.webm"),
            to: file,
            ["--key-file", Fixtures.receivers("keys/text.json"), "--frame-metadata"]
        )
        let (report, status, _) = try Self.doctor(file, ["--key-file", Fixtures.receivers("keys/text.json")])
        #expect(status == 0)
        #expect(report.streams.map(\.cause) == ["packet-trailer", "keys-fit"])
        #expect(report.sdks.filter(\.decryptsAll).map(\.receiver) == ["js"])
    }

    @Test("bytes appended after the trailer, a key at another index, server frames without their trailer")
    func framingCauses() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let appended = folder.appendingPathComponent("appended.mkv").path
        try PacketSurgery.rewrite(Fixtures.receivers("non-ascii-text-key.webm"), to: appended) { _, _, payload in
            payload += [0xDE, 0xAD, 0xBE, 0xEF]
        }
        let (tail, _, _) = try Self.doctor(appended, ["--key-file", Fixtures.receivers("keys/non-ascii-text.json")])
        #expect(tail.streams.map(\.cause) == ["bytes-after-trailer", "bytes-after-trailer"])
        #expect(tail.streams.first?.summary.contains("last 4 bytes") == true)

        let atTwo = try Self.keyFile(
            #"{"sharedKey": [{"index": 2, "text": "the room's demo key"}]}"#,
            in: folder,
            named: "at-two.json"
        )
        let indexed = folder.appendingPathComponent("index-2.webm").path
        try Self.encrypt(Fixtures.media("vp8-opus.webm"), to: indexed, ["--key-file", atTwo, "--key-index", "2"])
        let (index, _, _) = try Self.doctor(indexed, ["--key-file", Fixtures.receivers("keys/text.json")])
        #expect(index.streams.map(\.cause) == ["wrong-key-index", "wrong-key-index"])
        #expect(index.sdks.allSatisfy { $0.decryptsAll })

        let (server, status, _) = try Self.doctor(
            Fixtures.receivers("server-frames-h264.mp4"),
            ["--key-file", Fixtures.receivers("keys/text.json")]
        )
        #expect(status == 0)
        #expect(server.streams.map(\.cause) == ["server-trailer-unknown"])
        #expect(Self.sdk(server, "native")?.decryptsAll == true)
        #expect(Self.sdk(server, "js")?.decryptsAll == false)
    }

    @Test("--probe-decode tells frames that authenticate and decode from frames that authenticate but do not")
    func probeDecode() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Clear frames whose bytes after the codec header are noise: they encrypt and authenticate,
        // but no decoder makes a picture of them.
        let noisy = folder.appendingPathComponent("noisy.mkv").path
        try PacketSurgery.rewrite(Fixtures.media("vp8-opus.webm"), to: noisy) { stream, frame, payload in
            guard stream == 0 else { return }
            for position in payload.indices.dropFirst(10) {
                payload[position] = UInt8(truncatingIfNeeded: position &* 131 &+ frame &* 7)
            }
        }
        let file = folder.appendingPathComponent("noisy.webm").path
        try Self.encrypt(noisy, to: file, ["--key-file", Fixtures.receivers("keys/text.json")])
        let (report, status, text) = try Self.doctor(
            file,
            ["--key-file", Fixtures.receivers("keys/text.json"), "--probe-decode"]
        )
        #expect(status == 0)
        #expect(report.streams.map(\.decodes?.verdict) == ["authenticates-but-does-not-decode", "decodes"])
        #expect(text.contains("decoding: authenticates-but-does-not-decode"))
        let temporary = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())
        #expect(!temporary.contains { $0.hasPrefix("framecrypt-doctor-") })
    }

    @Test("a missing file and an SFrame-only file are one-line errors")
    func errors() throws {
        let missing = try CommandRunner.framecrypt([
            "doctor", "/nonexistent.webm", "--key-file", Fixtures.keys("shared.json"),
        ])
        #expect(missing.status == 66)
        #expect(missing.standardError.split(separator: "\n").count == 1)
    }
}
