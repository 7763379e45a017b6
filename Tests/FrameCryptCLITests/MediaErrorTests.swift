import Foundation
import FrameCryptTestSupport
import Testing

/// Every error of `encrypt`/`decrypt`: one line naming the file or stream, its own exit status, and
/// nothing left behind.
@Suite("Media errors through the CLI")
struct MediaErrorTests {
    let folder: URL

    init() throws {
        folder = try Fixtures.temporaryDirectory()
    }

    func path(_ name: String) -> String {
        folder.appendingPathComponent(name).path
    }

    /// The names in the test folder, hidden temporary files included.
    func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    /// Runs framecrypt and checks the status, a one-line error containing `message`, and no output.
    func expectFailure(
        _ arguments: [String],
        status: Int32,
        message: String,
        standardInput: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try leftovers()
        let result = try CommandRunner.framecrypt(arguments, standardInput: standardInput)
        #expect(result.status == status, "\(result.standardError)", sourceLocation: sourceLocation)
        #expect(result.standardError.contains(message), "\(result.standardError)", sourceLocation: sourceLocation)
        #expect(
            result.standardError.split(separator: "\n").count == 1,
            "\(result.standardError)",
            sourceLocation: sourceLocation
        )
        #expect(try leftovers() == before, sourceLocation: sourceLocation)
    }

    let sharedKey = ["--key-file", Fixtures.keys("shared.json")]

    @Test("a missing input exits 66")
    func missingInput() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try expectFailure(
            ["encrypt", path("absent.webm"), "-o", path("out.webm")] + sharedKey,
            status: 66,
            message: "absent.webm: no such file"
        )
    }

    /// Keys are derived on a thread of their own while the input opens; an input that fails to open
    /// ends the process while PBKDF2 may still be running, which once crashed in OpenSSL's exit handler
    /// about one time in 25.
    @Test("an input that fails before the keys are derived exits cleanly, every time")
    func failureDuringKeyDerivation() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = path("not-media.mp4")
        try Data("not a media file\n".utf8).write(to: URL(fileURLWithPath: input))
        for command in ["encrypt", "decrypt"] {
            for _ in 0..<25 {
                try expectFailure(
                    [command, input, "-o", path("out.mp4")] + sharedKey,
                    status: 65,
                    message: "not-media.mp4: "
                )
            }
        }
    }

    @Test(
        "a file that is not media, or is truncated, exits 65",
        arguments: [
            ("text.webm", 0), ("vp8-opus.webm", 40_000), ("h264-bframes-opus.mkv", 30_000), ("h264-aac.mp4", 40_000),
        ]
    )
    func corruptInput(source: String, keep: Int) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = path("bad-\(source)")
        let bytes =
            keep == 0
            ? Data("not a media file\n".utf8)
            : try Data(contentsOf: URL(fileURLWithPath: Fixtures.media(source))).prefix(keep)
        try bytes.write(to: URL(fileURLWithPath: input))
        try expectFailure(
            ["encrypt", input, "-o", path("out.mkv")] + sharedKey,
            status: 65,
            message: "bad-\(source): "
        )
    }

    @Test("an existing output is refused (80) unless --force")
    func outputExists() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = path("out.webm")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: output))
        try expectFailure(
            ["encrypt", Fixtures.media("vp8-opus.webm"), "-o", output] + sharedKey,
            status: 80,
            message: "out.webm: already exists (use --force to overwrite)"
        )
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data("keep me".utf8))
        let forced = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("vp8-opus.webm"), "-o", output, "--force", "-q"] + sharedKey
        )
        #expect(forced.status == 0)
        #expect(try leftovers() == ["out.webm"])
    }

    @Test("an output that cannot be written exits 73")
    func outputNotWritable() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try expectFailure(
            ["encrypt", Fixtures.media("vp8-opus.webm"), "-o", path("missing-folder/out.webm")] + sharedKey,
            status: 73,
            message: "does not exist"
        )
    }

    @Test("a wrong key exits 1 naming the stream and participant, and leaves no output")
    func wrongKey() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = path("encrypted.mkv")
        let participants = ["--key-file", Fixtures.keys("participants.json")]
        let encrypt = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("h264-bframes-opus.mkv"), "-o", encrypted, "-q", "--participant", "alice"]
                + participants
        )
        #expect(encrypt.status == 0)
        try expectFailure(
            ["decrypt", encrypted, "-o", path("decrypted.mkv"), "--participant", "bob"] + participants,
            status: 1,
            message: "participant bob): frame 0 does not decrypt: authentication failed"
        )
        try expectFailure(
            ["decrypt", encrypted, "-o", path("decrypted.mkv"), "--shared-key-stdin"],
            status: 1,
            message: "encrypted.mkv: stream ",
            standardInput: "framecrypt demo room key"
        )
        try expectFailure(
            ["decrypt", encrypted, "-o", path("decrypted.mkv"), "--participant", "carol"] + participants,
            status: 1,
            message: "no key for participant carol"
        )
    }

    @Test("frames that do not decrypt can be dropped or kept, and are counted")
    func failurePolicies() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = Fixtures.media("two-participants.mkv")
        let encrypted = path("encrypted.mkv")
        let map = ["--map", "0=alice", "--map", "1=alice", "--map", "2=bob", "--map", "3=bob"]
        let encrypt = try CommandRunner.framecrypt(
            ["encrypt", source, "-o", encrypted, "-q", "--key-file", Fixtures.keys("participants.json")] + map
        )
        #expect(encrypt.status == 0)
        let keyFile = path("bob-wrong.json")
        try Data(#"{"participants": {"alice": {"text": "alice's demo key"}, "bob": {"text": "wrong"}}}"#.utf8)
            .write(to: URL(fileURLWithPath: keyFile))
        let keys = ["--key-file", keyFile, "--json"]

        let dropped = try CommandRunner.framecrypt(
            ["decrypt", encrypted, "-o", path("dropped.mkv"), "--on-failure", "drop"] + keys
        )
        #expect(dropped.status == 0, "\(dropped.standardError)")
        #expect(dropped.standardOutput.contains("\"droppedFrames\" : 45"))
        #expect(dropped.standardOutput.contains("\"decryptionFailed\" : 76"))
        let alice = try FFmpegTools.packetDigests(source).filter { $0.hasPrefix("0,") || $0.hasPrefix("1,") }
        #expect(try FFmpegTools.packetDigests(path("dropped.mkv")) == alice)

        let kept = try CommandRunner.framecrypt(
            ["decrypt", encrypted, "-o", path("kept.mkv"), "--on-failure", "keep"] + keys
        )
        #expect(kept.status == 0, "\(kept.standardError)")
        #expect(kept.standardOutput.contains("\"keptEncryptedFrames\" : 45"))
        let bob = { (lines: [String]) in lines.filter { $0.hasPrefix("2,") || $0.hasPrefix("3,") } }
        #expect(
            try bob(FFmpegTools.packetDigests(path("kept.mkv"), encrypted: true))
                == bob(FFmpegTools.packetDigests(encrypted, encrypted: true))
        )

        try expectFailure(
            [
                "decrypt", encrypted, "-o", path("none.mkv"), "--on-failure", "drop", "--key-file",
                Fixtures.keys("wrong-shared.json"),
            ],
            status: 1,
            message: "every frame was dropped"
        )
    }

    @Test(
        "malformed key files exit 65 naming the field, never the key",
        arguments: [
            ("{\"sharedKey\": {\"hex\": \"zz\"}}", "sharedKey: key material is not valid hex"),
            ("{\"sharedKey\": {\"text\": \"\"}}", "sharedKey: key material is empty"),
            ("{\"sharedKey\": {\"text\": \"secret-one\"}, \"colour\": 1}", "top level: unknown field \"colour\""),
            (
                "{\"participants\": {\"alice\": [{\"index\": 99, \"text\": \"secret-two\"}]}}",
                "participants.alice[0].index: 99 is outside 0...15"
            ),
            (
                "{\"sharedKey\": {\"text\": \"secret-three\"}, \"participants\": {}}",
                "has both \"sharedKey\" and \"participants\""
            ),
            ("not json", "not valid JSON"),
            // A field name with a line break (found by FuzzKeyFile) is quoted with the break escaped.
            ("{\"sharedKey\": {\"text\": \"secret-four\"}, \"col\\nour\": 1}", "unknown field \"col\\nour\""),
        ]
    )
    func malformedKeyFile(contents: String, message: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyFile = path("keys.json")
        try Data(contents.utf8).write(to: URL(fileURLWithPath: keyFile))
        let result = try CommandRunner.framecrypt([
            "encrypt", Fixtures.media("opus.ogg"), "-o", path("out.ogg"), "--key-file", keyFile,
        ])
        #expect(result.status == 65)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        #expect(!result.standardError.contains("secret-"))
        #expect(try leftovers() == ["keys.json"])
    }

    @Test("a participant without a key: error (1), sent in clear, or discarded")
    func participantWithoutKey() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = [
            "--key-file", Fixtures.keys("participants.json"), "--map", "0=alice", "--map", "1=alice", "--map",
            "2=carol", "--map", "3=carol",
        ]
        let source = Fixtures.media("two-participants.mkv")
        try expectFailure(
            ["encrypt", source, "-o", path("out.mkv")] + keys,
            status: 1,
            message: "participant carol): no key for participant carol"
        )

        let clear = try CommandRunner.framecrypt(
            ["encrypt", source, "-o", path("clear.mkv"), "-q", "--send-clear-when-key-missing"] + keys
        )
        #expect(clear.status == 0)
        let sourcePackets = try FFmpegTools.packetDigests(source).filter { $0.hasPrefix("2,") || $0.hasPrefix("3,") }
        let clearPackets = try FFmpegTools.packetDigests(path("clear.mkv")).filter {
            $0.hasPrefix("2,") || $0.hasPrefix("3,")
        }
        #expect(clearPackets == sourcePackets)
        #expect(try FFmpegTools.streamTags(path("clear.mkv"), stream: 2)["FRAMECRYPT_SCHEME"] == "none")

        let dropped = try CommandRunner.framecrypt(
            ["encrypt", source, "-o", path("dropped.mkv"), "--json", "--discard-frame-when-cryptor-not-ready"] + keys
        )
        #expect(dropped.status == 0)
        #expect(dropped.standardOutput.contains("\"action\" : \"discarded\""))
        #expect(
            try FFmpegTools.packetDigests(path("dropped.mkv")).allSatisfy { $0.hasPrefix("0,") || $0.hasPrefix("1,") }
        )
    }

    @Test("a codec with no rule is refused under --strict (69), else encrypted with a warning")
    func unsupportedCodec() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let flac = path("flac.mkv")
        #expect(
            try FFmpegTools.ffmpeg(["-i", Fixtures.media("opus.ogg"), "-c:a", "flac", "-fflags", "+bitexact", flac])
                .status == 0
        )
        try expectFailure(
            ["encrypt", flac, "-o", path("out.mkv"), "--strict"] + sharedKey,
            status: 69,
            message: "codec flac has no FrameCryptor rule"
        )
        let generic = try CommandRunner.framecrypt(["encrypt", flac, "-o", path("out.mkv"), "-q"] + sharedKey)
        #expect(generic.status == 0)
        #expect(
            generic.standardError.contains("warning: ") && generic.standardError.contains("encrypted with 1 clear byte")
        )
        let back = try CommandRunner.framecrypt(["decrypt", path("out.mkv"), "-o", path("back.mkv"), "-q"] + sharedKey)
        #expect(back.status == 0)
        #expect(try FFmpegTools.packetDigests(path("back.mkv")) == FFmpegTools.packetDigests(flac))
    }
}
