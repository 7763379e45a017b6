import Foundation
import FrameCryptTestSupport
import Testing

/// The key options of each key mode for a fixture: shared room key, or per-participant keys with the
/// two-participant file's streams mapped to alice and bob.
enum KeyMode: String, CaseIterable, CustomTestStringConvertible {
    case shared
    case perParticipant

    func options(for file: String) -> [String] {
        switch self {
        case .shared:
            return ["--key-file", Fixtures.keys("shared.json")]
        case .perParticipant where file == "two-participants.mkv":
            return ["--key-file", Fixtures.keys("participants.json"), "--map", "0=alice", "--map", "1=alice"]
                + ["--map", "2=bob", "--map", "3=bob"]
        case .perParticipant:
            return ["--key-file", Fixtures.keys("participants.json"), "--participant", "bob"]
        }
    }

    var testDescription: String { rawValue }
}

@Suite("Encrypt and decrypt real media through the CLI")
struct MediaRoundTripTests {
    @Test(
        "decrypt(encrypt(x)) gives x's packets and codec parameters back",
        arguments: Fixtures.mediaFiles,
        KeyMode.allCases
    )
    func roundTrip(file: String, mode: KeyMode) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = Fixtures.media(file)
        let encrypted = folder.appendingPathComponent("encrypted-\(file)").path
        let decrypted = folder.appendingPathComponent("decrypted-\(file)").path

        let original = try Data(contentsOf: URL(fileURLWithPath: source))
        let encrypt = try CommandRunner.framecrypt(
            ["encrypt", source, "-o", encrypted, "-q"] + mode.options(for: file)
        )
        #expect(try Data(contentsOf: URL(fileURLWithPath: source)) == original, "the input was modified")
        #expect(encrypt.status == 0, "\(encrypt.standardError)")
        let decrypt = try CommandRunner.framecrypt(
            ["decrypt", encrypted, "-o", decrypted, "-q"] + mode.options(for: file)
        )
        #expect(decrypt.status == 0, "\(decrypt.standardError)")

        let sourcePackets = try FFmpegTools.packetDigests(source)
        #expect(!sourcePackets.isEmpty)
        #expect(try FFmpegTools.packetDigests(decrypted) == sourcePackets)
        #expect(try FFmpegTools.keyFlags(decrypted) == FFmpegTools.keyFlags(source))
        #expect(try FFmpegTools.streamDescriptions(decrypted) == FFmpegTools.streamDescriptions(source))

        // The encrypted file: the same streams, every payload changed, and remuxable by FFmpeg.
        #expect(try FFmpegTools.codecNames(encrypted) == FFmpegTools.codecNames(source))
        let encryptedPackets = try FFmpegTools.packetDigests(encrypted, encrypted: true)
        #expect(encryptedPackets.count == sourcePackets.count)
        let unchanged = Set(encryptedPackets.map(Self.payloadDigest)).intersection(
            sourcePackets.map(Self.payloadDigest)
        )
        #expect(unchanged.isEmpty, "\(unchanged.count) payloads left unencrypted")
        let remuxed = folder.appendingPathComponent("remuxed-\(file)").path
        let remux = try FFmpegTools.remuxEncrypted(encrypted, to: remuxed)
        #expect(remux.status == 0, "\(remux.standardError)")
    }

    @Test("encrypted streams carry a label with scheme, participant and KDF, and no key")
    func labels() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = folder.appendingPathComponent("labelled.mkv").path
        let result = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("two-participants.mkv"), "-o", encrypted, "-q"]
                + KeyMode.perParticipant.options(for: "two-participants.mkv")
        )
        #expect(result.status == 0, "\(result.standardError)")
        let bob = try FFmpegTools.streamTags(encrypted, stream: 2)
        #expect(bob["FRAMECRYPT_SCHEME"] == "webrtc-framecryptor")
        #expect(bob["FRAMECRYPT_PARTICIPANT"] == "bob")
        #expect(bob["FRAMECRYPT_KDF"] == "pbkdf2")
        #expect(bob["FRAMECRYPT_RATCHET_SALT"] == "LKFrameEncryptionKey")
        #expect(bob["FRAMECRYPT_KEY_RING_SIZE"] == "16")
        #expect(try FFmpegTools.streamTags(encrypted, stream: 0)["FRAMECRYPT_PARTICIPANT"] == "alice")
        let everything = try Data(contentsOf: URL(fileURLWithPath: encrypted))
        for secret in ["alice's demo key", "00112233445566778899aabbccddeeff", "Ym9iJ3Mgc2Vjb25kIGRlbW8ga2V5"] {
            #expect(everything.range(of: Data(secret.utf8)) == nil)
        }

        let mp4 = folder.appendingPathComponent("labelled.mp4").path
        let mp4Result = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("h264-aac.mp4"), "-o", mp4, "-q", "--participant", "alice"]
                + ["--key-file", Fixtures.keys("participants.json")]
        )
        #expect(mp4Result.status == 0, "\(mp4Result.standardError)")
        let handler = try FFmpegTools.streamTags(mp4, stream: 0)["handler_name"] ?? ""
        #expect(handler.hasPrefix("framecrypt;scheme=webrtc-framecryptor;"))
        #expect(handler.contains("participant=alice"))
        #expect(handler.hasSuffix("handler=VideoHandler"))
    }

    @Test(
        "the same --seed gives the same bytes; no seed never repeats",
        arguments: [
            "vp8-opus.webm", "h264-aac.mp4", "h264-bframes-opus.mkv", "opus.ogg",
        ]
    )
    func seeds(file: String) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        func encrypt(_ name: String, _ extra: [String]) throws -> Data {
            let output = folder.appendingPathComponent("\(name)-\(file)").path
            let result = try CommandRunner.framecrypt(
                ["encrypt", Fixtures.media(file), "-o", output, "-q"] + KeyMode.shared.options(for: file) + extra
            )
            #expect(result.status == 0, "\(result.standardError)")
            return try Data(contentsOf: URL(fileURLWithPath: output))
        }
        #expect(try encrypt("seeded-a", ["--seed", "7"]) == encrypt("seeded-b", ["--seed", "7"]))
        #expect(try encrypt("seeded-c", ["--seed", "7"]) != encrypt("seeded-d", ["--seed", "8"]))
        #expect(try encrypt("random-a", []) != encrypt("random-b", []))
    }

    @Test("--json reports frames per stream and state, bytes and time")
    func jsonSummary() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.webm").path
        let result = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("vp8-opus.webm"), "-o", output, "--json", "--seed", "1"]
                + KeyMode.shared.options(for: "")
        )
        #expect(result.status == 0, "\(result.standardError)")
        let report = try ReportJSON.decode(ReportJSON.Processing.self, from: result)
        #expect(report.operation == "encrypt")
        #expect(report.format == "webm")
        #expect(report.bytesOut > report.bytesIn)
        #expect(report.seconds >= 0)
        let streams = report.streams
        #expect(streams.map(\.codec) == ["vp8", "opus"])
        #expect(streams.map(\.frames) == [45, 76])
        #expect(streams.map { $0.states["ok"] } == [45, 76])
        #expect(streams.map { $0.videoSDKStates["EncryptionSuccess"] } == [45, 76])
        #expect(!result.standardOutput.contains("framecrypt demo room key"))
    }

    /// The payload MD5 of a framemd5 line (the sixth field; side data may follow).
    private static func payloadDigest(_ line: String) -> String {
        let fields = line.split(separator: ",")
        return fields.count > 5 ? fields[5].trimmingCharacters(in: .whitespaces) : line
    }
}
