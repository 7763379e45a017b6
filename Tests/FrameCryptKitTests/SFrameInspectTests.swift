import Foundation
import FrameCryptCrypto
import FrameCryptFormat
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// `framecrypt inspect` on SFrame files, without keys: KIDs and counters from the headers, and
/// files built to hold one defect each.
@Suite("inspect on SFrame files")
struct SFrameInspectTests {
    private static let keys = ["--key-file", Fixtures.keys("sframe-shared.json")]

    private static func encrypt(_ file: String, in folder: URL) throws -> String {
        let output = folder.appendingPathComponent("sframe-\(file)").path
        let result = try CommandRunner.framecrypt(["encrypt", Fixtures.media(file), "-o", output, "-q"] + keys)
        #expect(result.status == 0, "\(result.standardError)")
        return output
    }

    private static func inspect(_ path: String, _ extra: [String] = []) throws -> ReportJSON.Inspection {
        let result = try CommandRunner.framecrypt(["inspect", path, "--json"] + extra)
        #expect(result.status == 0, "\(result.standardError)")
        return try ReportJSON.decode(ReportJSON.Inspection.self, from: result)
    }

    private static func findings(_ report: ReportJSON.Inspection) -> [String] {
        report.findings.map { "\($0.code) \($0.stream) \($0.frames)" }
    }

    @Test(
        "every fixture: all frames SFrame, one KID per stream, counters 0 to n-1, no findings",
        arguments: Fixtures.mediaFiles
    )
    func fixture(file: String) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try Self.inspect(try Self.encrypt(file, in: folder))
        var keyIDs: Set<UInt64> = []
        for stream in report.streams {
            let frames = stream.frames
            #expect(stream.scheme == "sframe")
            #expect(stream.encryptedFrames == frames)
            let sframe = try #require(stream.sframe)
            #expect(sframe.cipherSuite == "AES_128_GCM_SHA256_128")
            let uses = sframe.keyIDs
            #expect(uses.count == 1)
            #expect(uses.first?.firstCounter == 0)
            #expect(uses.first?.lastCounter == UInt64(frames - 1))
            let keyID = try #require(uses.first?.keyID)
            #expect(keyID & 0xFF == 0)
            #expect(keyIDs.insert(keyID).inserted)
            #expect(stream.overheadBytes >= frames * 17)
        }
        #expect(Self.findings(report) == [])
    }

    @Test("a repeated frame, a dropped frame, a cut frame and a broken header are each found, and --check fails")
    func defects() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = try Self.encrypt("vp8-opus.webm", in: folder)
        var previous: [UInt8] = []
        let damaged = folder.appendingPathComponent("damaged.webm").path
        try PacketSurgery.rewrite(
            encrypted,
            to: damaged,
            formatName: "webm",
            dropping: { stream, frame in stream == 1 && frame == 10 }
        ) { stream, frame, payload in
            if stream == 0 && frame == 5 {
                payload = previous
            } else if stream == 0 && frame == 8 {
                payload = Array(payload.prefix(10))
            } else if stream == 1 && frame == 20 {
                payload = [payload[0], 0xFF, 0x01]
            }
            if stream == 0 {
                previous = payload
            }
        }
        let report = try Self.inspect(damaged)
        #expect(
            Self.findings(report) == [
                // Frame 5 repeats counter 4, so 5 is missing; the cut frame 8 and the broken
                // frame 20 carry no counter; frame 10 of the audio is gone.
                "truncated-frame 0 [8]", "counter-repeat 0 [5]", "counter-gap 0 []", "counter-gap 1 []",
                "sframe-header-invalid 1 [19]",
            ],
            "\(Self.findings(report))"
        )
        let text = try CommandRunner.framecrypt(["inspect", damaged, "--check"])
        #expect(text.status == 1)
        #expect(text.standardOutput.contains("counter-gap"))
        #expect(text.standardOutput.contains("skips 2 counters in 2 gaps (first: 5)"), "\(text.standardOutput)")
        #expect(text.standardOutput.contains("skips 2 counters in 2 gaps (first: 10)"), "\(text.standardOutput)")
        // Reading part of the file cannot tell a gap from frames not read.
        #expect(
            !Self.findings(try Self.inspect(damaged, ["--max-frames", "30"])).contains { $0.hasPrefix("counter-gap") }
        )
    }

    @Test("an unlabelled SFrame file is read as SFrame with --scheme sframe")
    func unlabelled() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = try Self.encrypt("opus.ogg", in: folder)
        let bare = folder.appendingPathComponent("bare.ogg").path
        let strip = try FFmpegTools.remuxEncrypted(
            encrypted,
            to: bare,
            options: ["-map_metadata", "-1", "-map_metadata:s", "-1"]
        )
        #expect(strip.status == 0, "\(strip.standardError)")
        #expect(try FFmpegTools.streamTags(bare, stream: 0)["FRAMECRYPT_SCHEME"] == nil)
        let plain = try Self.inspect(bare).streams
        #expect(plain.first?.scheme != "sframe")
        let read = try Self.inspect(bare, ["--scheme", "sframe"]).streams
        #expect(read.first?.scheme == "sframe")
        #expect(read.first?.encryptedFrames == read.first?.frames)
        #expect(read.first?.sframe != nil && read.first?.sframe?.cipherSuite == nil)
    }
}

/// `framecrypt verify-keys` on SFrame files: which keys authenticate which KIDs, by tag checks.
@Suite("verify-keys on SFrame files")
struct SFrameVerifyKeysTests {
    private static func verify(_ path: String, _ keys: [String], standardInput: String? = nil) throws -> (
        Int32, [ReportJSON.KeyVerification.Stream]
    ) {
        let result = try CommandRunner.framecrypt(["verify-keys", path, "--json"] + keys, standardInput: standardInput)
        return (result.status, try ReportJSON.decode(ReportJSON.KeyVerification.self, from: result).streams)
    }

    @Test("the right key is ok with the fingerprint of the derived key; another key is wrong-key")
    func sharedKey() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = folder.appendingPathComponent("encrypted.mp4").path
        let keys = ["--key-file", Fixtures.keys("sframe-shared.json")]
        let encrypt = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("h264-aac.mp4"), "-o", encrypted, "-q"] + keys
        )
        #expect(encrypt.status == 0)
        let (status, streams) = try Self.verify(encrypted, keys + ["--all"])
        #expect(status == 0)
        for stream in streams {
            #expect(stream.status == "ok")
            #expect(stream.framesFailed == 0)
            let check = try #require(stream.keyIndices.first)
            let keyID = try #require(check.keyID)
            var base = ByteEncoding.bytes(hex: "0f0e0d0c0b0a09080706050403020100") ?? []
            let derived = try SFrameKeyDerivation(
                baseKey: SecretBytes(wiping: &base),
                keyID: keyID,
                suite: .aes128GCMSHA256_128
            )
            #expect(stream.keyFingerprint == ByteEncoding.hex(try SHA256.digest(derived.key).prefix(4)))
            #expect(stream.framesChecked == (try PacketSurgery.payloads(of: encrypted, stream: stream.index)).count)
        }
        let (wrongStatus, wrong) = try Self.verify(
            encrypted,
            ["--scheme", "sframe", "--shared-key-stdin", "--key-encoding", "hex"],
            standardInput: "0f0e0d0c0b0a09080706050403020101"
        )
        #expect(wrongStatus == 1)
        #expect(wrong.allSatisfy { $0.status == "wrong-key" })
    }

    @Test("per-participant keys: a swapped map names whose key fits; a KID no key serves is missing-key")
    func participants() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyFile = folder.appendingPathComponent("keys.json").path
        try
            #"{"scheme": "sframe", "participants": {"alice": {"hex": "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"}, "bob": {"hex": "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"}}}"#
            .write(toFile: keyFile, atomically: true, encoding: .utf8)
        let encrypted = folder.appendingPathComponent("encrypted.mkv").path
        let map = ["--map", "0=alice", "--map", "1=alice", "--map", "2=bob", "--map", "3=bob"]
        let encrypt = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("two-participants.mkv"), "-o", encrypted, "-q", "--key-file", keyFile] + map
        )
        #expect(encrypt.status == 0, "\(encrypt.standardError)")
        let (okStatus, ok) = try Self.verify(encrypted, ["--key-file", keyFile])
        #expect(okStatus == 0)
        #expect(ok.map(\.status) == ["ok", "ok", "ok", "ok"])
        let (swappedStatus, swapped) = try Self.verify(encrypted, ["--key-file", keyFile, "--map", "0=bob"])
        #expect(swappedStatus == 1)
        #expect(swapped[0].status == "wrong-key")
        #expect(swapped[0].authenticatesWith == "alice")
        #expect(swapped[1].status == "ok")
        let aliceOnly = folder.appendingPathComponent("alice.json").path
        try #"{"scheme": "sframe", "participants": {"alice": {"hex": "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"}}}"#
            .write(toFile: aliceOnly, atomically: true, encoding: .utf8)
        let (missingStatus, missing) = try Self.verify(encrypted, ["--key-file", aliceOnly])
        #expect(missingStatus == 1)
        #expect(missing.map(\.status) == ["ok", "ok", "missing-key", "missing-key"])
        #expect(missing[2].message == "no key for participant bob")
        // The suite is agreed out of band: keys that name another suite than the label are refused.
        let otherSuite = try CommandRunner.framecrypt(
            ["verify-keys", encrypted, "--key-file", Fixtures.keys("sframe-participants.json")]
        )
        #expect(otherSuite.status == 1)
        #expect(
            otherSuite.standardError.contains(
                "the stream uses AES_128_GCM_SHA256_128 but the keys say AES_128_CTR_HMAC_SHA256_80"
            )
        )
    }
}
