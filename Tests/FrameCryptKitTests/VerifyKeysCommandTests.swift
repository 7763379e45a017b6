import Foundation
import FrameCryptCrypto
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// `framecrypt verify-keys`: which key authenticates each stream, through the built CLI on encrypted
/// fixtures, and never a byte of key material in what it prints.
@Suite("verify-keys")
struct VerifyKeysCommandTests {
    static let roomKey = "framecrypt demo room key"

    @Test("the right key: ok, its fingerprint, exit 0")
    func rightKey() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = try InspectCommandTests.encrypt("vp8-opus.webm", in: folder)
        let (status, report, output) = try Self.verify(encrypted, ["--key-file", Fixtures.keys("shared.json")])
        #expect(status == 0)
        #expect(report.ok)
        let streams = try Self.streams(report)
        #expect(streams.map(\.status) == ["ok", "ok"])
        // 45 video and 76 audio frames: the first 10 of each, then a sample over the rest.
        #expect(streams.map(\.framesChecked) == [Self.sampled(45), Self.sampled(76)])
        #expect(streams.map(\.framesFailed) == [0, 0])
        #expect(streams.map(\.keyIndex) == [0, 0])
        #expect(streams.map(\.ratchetSteps) == [0, 0])
        let fingerprint = try Self.fingerprint(of: Self.roomKey)
        #expect(streams.map(\.keyFingerprint) == [fingerprint, fingerprint])
        try Self.expectNoKeyMaterial(output, texts: [Self.roomKey])
    }

    @Test("a wrong key: wrong-key on every stream, exit 1")
    func wrongKey() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = try InspectCommandTests.encrypt("h264-aac.mp4", in: folder)
        let (status, report, output) = try Self.verify(encrypted, ["--key-file", Fixtures.keys("wrong-shared.json")])
        #expect(status == 1)
        #expect(!report.ok)
        let streams = try Self.streams(report)
        #expect(streams.map(\.status) == ["wrong-key", "wrong-key"])
        #expect(streams.map(\.framesFailed) == [Self.sampled(45), Self.sampled(72)])
        let wrongText = try Self.keyText(in: Fixtures.keys("wrong-shared.json"))
        try Self.expectNoKeyMaterial(output, texts: [wrongText])
    }

    @Test("per participant: a missing key is missing-key, a swapped mapping names whose key fits")
    func participants() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = try InspectCommandTests.encrypt("two-participants.mkv", in: folder)
        let aliceOnly = folder.appendingPathComponent("alice.json")
        try Data(#"{"participants": {"alice": {"text": "alice's demo key"}}}"#.utf8).write(to: aliceOnly)
        let (status, report, output) = try Self.verify(encrypted, ["--key-file", aliceOnly.path])
        #expect(status == 1)
        let streams = try Self.streams(report)
        #expect(streams.map(\.participant) == ["alice", "alice", "bob", "bob"])
        #expect(streams.map(\.status) == ["ok", "ok", "missing-key", "missing-key"])
        #expect(streams[2].keyFingerprint == nil)
        try Self.expectNoKeyMaterial(output, texts: ["alice's demo key"])

        let (swappedStatus, swapped, swappedOutput) = try Self.verify(
            encrypted,
            ["--key-file", Fixtures.keys("participants.json"), "--map", "0=bob", "--map", "1=bob"]
        )
        #expect(swappedStatus == 1)
        let swappedStreams = try Self.streams(swapped)
        #expect(swappedStreams.map(\.status) == ["wrong-key", "wrong-key", "ok", "ok"])
        #expect(swappedStreams.map(\.authenticatesWith) == ["alice", "alice", nil, nil])
        try Self.expectNoKeyMaterial(
            swappedOutput,
            texts: ["alice's demo key", "bob's second demo key"],
            hex: ["00112233445566778899aabbccddeeff"]
        )
    }

    @Test("a sender that ratcheted 3 times: ratcheted, 3 steps, exit 0; beyond the window: wrong-key")
    func ratcheted() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (encrypted, material, hex) = try TestFrames.encryptedByRatchetedSender(steps: 3, in: folder)

        let receiver = ["--key-file", Fixtures.keys("shared.json")]
        let (status, report, output) = try Self.verify(encrypted, receiver + ["--all"])
        #expect(status == 0)
        let streams = try Self.streams(report)
        #expect(streams.map(\.status) == ["ratcheted", "ratcheted"])
        #expect(streams.map(\.ratchetSteps) == [3, 3])
        #expect(streams.map(\.framesChecked) == [45, 76])
        // The fingerprint is the sender's current key, three steps on, not the given one.
        let senderFingerprint = try Self.fingerprint(of: material)
        #expect(streams.map(\.keyFingerprint) == [senderFingerprint, senderFingerprint])
        try Self.expectNoKeyMaterial(output, texts: [Self.roomKey], hex: [hex])

        let (narrowStatus, narrow, _) = try Self.verify(
            encrypted,
            receiver + ["--ratchet-window", "2", "--frames", "3"]
        )
        #expect(narrowStatus == 1)
        #expect(try Self.streams(narrow).map(\.status) == ["wrong-key", "wrong-key"])
        #expect(
            try Self.streams(narrow).map(\.framesChecked)
                == [Self.sampled(45, first: 3), Self.sampled(76, first: 3)]
        )
    }

    /// How many of a key index's `frames` frames the default check samples: the first `first`,
    /// then, past them, frame p when p is a multiple of the smallest power of two s with s·first ≥ p.
    static func sampled(_ frames: Int, first: Int = VerifyKeysRequest.defaultFramesPerKeyIndex) -> Int {
        (0..<frames).filter { position in
            guard position >= first else { return true }
            let stride = (0...).lazy.map { 1 << $0 }.first { $0 * first >= position } ?? 1
            return position % stride == 0
        }.count
    }

    @Test("a sender that ratchets after the first frames is seen by the default sample, not called ok")
    func lateRatchet() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = folder.appendingPathComponent("late.json")
        try Data(#"{"ratchets": [{"at": 1.2, "steps": 2}]}"#.utf8).write(to: scenario)
        let encrypted = folder.appendingPathComponent("late.webm").path
        let made = try CommandRunner.framecrypt([
            "encrypt", Fixtures.media("vp8-opus.webm"), "-o", encrypted,
            "--key-file", Fixtures.keys("shared.json"), "--scenario", scenario.path,
        ])
        try #require(made.status == 0, "\(made.standardError)")
        let (status, report, _) = try Self.verify(encrypted, ["--key-file", Fixtures.keys("shared.json")])
        #expect(status == 0)
        let streams = try Self.streams(report)
        #expect(streams.map(\.status) == ["ratcheted", "ratcheted"])
        #expect(streams.map(\.ratchetSteps) == [2, 2])
    }

    @Test("a clear file is not-encrypted and passes; corrupt input is exit 65")
    func clearAndCorrupt() throws {
        let (status, report, _) = try Self.verify(
            Fixtures.media("opus.ogg"),
            ["--key-file", Fixtures.keys("shared.json")]
        )
        #expect(status == 0)
        #expect(try Self.streams(report).map(\.status) == ["not-encrypted"])

        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let junk = folder.appendingPathComponent("junk.webm")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: junk)
        let result = try CommandRunner.framecrypt([
            "verify-keys", junk.path, "--key-file", Fixtures.keys("shared.json"),
        ])
        #expect(result.status == 65)
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    /// Runs `verify-keys --json` and also the text form, returning the JSON report and all output.
    @Test(
        "a clear header changed after encryption is header-altered when the key opens the file's other stream, not wrong-key"
    )
    func headerAltered() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = folder.appendingPathComponent("encrypted.mkv").path
        let made = try CommandRunner.framecrypt(
            [
                "encrypt", Fixtures.realWorld("gst-mp4mux-h264-aac.mp4"), "-o", encrypted, "-q", "--key-file",
                Fixtures.keys("shared.json"),
            ]
        )
        try #require(made.status == 0, "\(made.standardError)")
        let altered = folder.appendingPathComponent("altered.mkv").path
        try PacketSurgery.changingAccessUnitDelimiters(encrypted, to: altered)
        let (status, report, _) = try Self.verify(altered, ["--key-file", Fixtures.keys("shared.json")])
        #expect(status == 1)
        let streams = try Self.streams(report)
        #expect(streams.map(\.status) == ["header-altered", "ok"])
        #expect(streams.first?.message.contains("changed after encryption") == true)
        let (_, wrong, _) = try Self.verify(altered, ["--key-file", Fixtures.keys("wrong-shared.json")])
        #expect(try Self.streams(wrong).map(\.status) == ["wrong-key", "wrong-key"])
    }

    static func verify(_ path: String, _ arguments: [String]) throws -> (Int32, ReportJSON.KeyVerification, String) {
        let json = try CommandRunner.framecrypt(["verify-keys", path, "--json"] + arguments)
        let text = try CommandRunner.framecrypt(["verify-keys", path] + arguments)
        #expect(text.status == json.status)
        let report = try ReportJSON.decode(ReportJSON.KeyVerification.self, from: json)
        let output = [json.standardOutput, json.standardError, text.standardOutput, text.standardError].joined()
        return (json.status, report, output)
    }

    static func streams(_ report: ReportJSON.KeyVerification) throws -> [ReportJSON.KeyVerification.Stream] {
        report.streams
    }

    /// First 8 hex digits of the SHA-256 of the AES key PBKDF2 derives from `material`.
    static func fingerprint(of material: SecretBytes) throws -> String {
        let key = try KeyDerivation.pbkdf2SHA256(
            password: material,
            salt: Array("LKFrameEncryptionKey".utf8),
            iterations: 100_000,
            length: 16
        )
        let digest = try SHA256.digest(key)
        return digest.prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    static func fingerprint(of text: String) throws -> String {
        try fingerprint(of: TestFrames.material(text))
    }

    static func keyText(in keyFile: String) throws -> String {
        struct SharedTextKey: Decodable {
            struct Key: Decodable { let text: String }
            let sharedKey: Key
        }
        return try JSONDecoder().decode(SharedTextKey.self, from: Data(contentsOf: URL(fileURLWithPath: keyFile)))
            .sharedKey.text
    }

    /// Fails when `output` contains a key's text, its hex or base64 form, or the hex of the AES key
    /// derived from it.
    static func expectNoKeyMaterial(_ output: String, texts: [String], hex: [String] = []) throws {
        var secrets = hex
        for text in texts {
            let bytes = Array(text.utf8)
            secrets.append(text)
            secrets.append(bytes.map { String(format: "%02x", $0) }.joined())
            secrets.append(Data(bytes).base64EncodedString())
            let derived = try KeyDerivation.pbkdf2SHA256(
                password: TestFrames.material(text),
                salt: Array("LKFrameEncryptionKey".utf8),
                iterations: 100_000,
                length: 16
            )
            secrets.append(derived.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() })
        }
        for secret in secrets {
            #expect(!output.lowercased().contains(secret.lowercased()), "output contains key material")
        }
        #expect(!output.isEmpty)
    }
}
