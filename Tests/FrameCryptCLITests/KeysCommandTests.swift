import Foundation
import FrameCryptTestSupport
import Testing

/// `framecrypt keys generate`, `add` and `show` through the CLI, with the files they write used by
/// encrypt and decrypt.
@Suite("keys generate, add and show")
struct KeysCommandTests {
    let folder: ScratchFolder

    init() throws {
        folder = try ScratchFolder()
    }

    static func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    /// The key strings in a key file, wherever they sit.
    static func keyStrings(in path: String) throws -> [String] {
        func collect(_ value: Any) -> [String] {
            if let object = value as? [String: Any] {
                return object.flatMap { key, value in
                    ["text", "hex", "base64"].contains(key) ? [value as? String ?? ""] : collect(value)
                }
            }
            if let array = value as? [Any] {
                return array.flatMap(collect)
            }
            return []
        }
        return collect(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test(
        "generate writes a 0600 key file that encrypt and decrypt use, prints only fingerprints",
        arguments: [
            ["--encoding", "text"], ["--encoding", "hex", "--key-bits", "256"],
            ["--encoding", "base64", "--kdf", "hkdf"],
            ["--scheme", "sframe", "--encoding", "hex"],
        ]
    )
    func generateRoundTrip(_ options: [String]) throws {
        defer { folder.remove() }
        let keyFile = folder.path("room.json")
        let generated = try CommandRunner.framecrypt(["keys", "generate", "-o", keyFile, "--json"] + options)
        #expect(generated.status == 0, "\(generated.standardError)")
        #expect(try Self.mode(of: keyFile) == 0o600)
        let keys = try Self.keyStrings(in: keyFile)
        #expect(keys.count == 1)
        for key in keys {
            #expect(!generated.standardOutput.contains(key) && !generated.standardError.contains(key))
        }
        #expect(try ReportJSON.decode(ReportJSON.KeySummary.self, from: generated).mode == "shared")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["room.json"])

        let encrypted = folder.path("enc.webm")
        let encrypt = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("vp8-opus.webm"), "-o", encrypted, "--key-file", keyFile]
        )
        #expect(encrypt.status == 0, "\(encrypt.standardError)")
        let decrypt = try CommandRunner.framecrypt(
            ["decrypt", encrypted, "-o", folder.path("dec.webm"), "--key-file", keyFile]
        )
        #expect(decrypt.status == 0, "\(decrypt.standardError)")
        #expect(
            try FFmpegTools.packetDigests(folder.path("dec.webm"))
                == FFmpegTools.packetDigests(Fixtures.media("vp8-opus.webm"))
        )
        // Two runs never make the same key.
        let again = try CommandRunner.framecrypt(["keys", "generate", "-o", folder.path("again.json")] + options)
        #expect(again.status == 0)
        #expect(try Self.keyStrings(in: folder.path("again.json")) != keys)
    }

    @Test("generate never replaces a file without --force, and sizes keys by --key-bits")
    func generateRefusesExisting() throws {
        defer { folder.remove() }
        let keyFile = folder.path("keys.json")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: keyFile))
        let refused = try CommandRunner.framecrypt(["keys", "generate", "-o", keyFile])
        #expect(refused.status == 80)
        #expect(try String(contentsOfFile: keyFile, encoding: .utf8) == "precious")
        let forced = try CommandRunner.framecrypt(
            ["keys", "generate", "-o", keyFile, "--force", "--participants", "alice,bob", "--encoding", "hex"]
                + ["--key-bits", "256"]
        )
        #expect(forced.status == 0, "\(forced.standardError)")
        #expect(try Self.keyStrings(in: keyFile).map(\.count) == [64, 64])
        let text = try CommandRunner.framecrypt(["keys", "generate", "-o", folder.path("t.json")])
        #expect(text.status == 0)
        #expect(try Self.keyStrings(in: folder.path("t.json")).map(\.count) == [22])
        let bad = try CommandRunner.framecrypt(["keys", "generate", "-o", folder.path("x.json"), "--key-bits", "192"])
        #expect(bad.status == 64)
        #expect(!FileManager.default.fileExists(atPath: folder.path("x.json")))
    }

    @Test("add puts a rotation key at a new index, keeps the others, and encrypt --key-index uses it")
    func addRotationKey() throws {
        defer { folder.remove() }
        let keyFile = folder.path("team.json")
        let generated = try CommandRunner.framecrypt(
            ["keys", "generate", "-o", keyFile, "--participants", "alice,bob", "--json"]
        )
        #expect(generated.status == 0, "\(generated.standardError)")
        let before = try Self.keyStrings(in: keyFile)
        let added = try CommandRunner.framecrypt(
            ["keys", "add", keyFile, "--index", "3", "--participant", "alice", "--json"]
        )
        #expect(added.status == 0, "\(added.standardError)")
        #expect(try Self.mode(of: keyFile) == 0o600)
        let after = try Self.keyStrings(in: keyFile)
        #expect(Set(before).isSubset(of: Set(after)) && after.count == 3)
        let listed = try ReportJSON.decode(ReportJSON.KeySummary.self, from: added).keys
        #expect(listed.map { "\($0.participant ?? "")/\($0.index)" } == ["alice/0", "alice/3", "bob/0"])
        for key in after {
            #expect(!added.standardOutput.contains(key))
        }
        let taken = try CommandRunner.framecrypt(["keys", "add", keyFile, "--index", "3", "--participant", "alice"])
        #expect(taken.status == 64)
        #expect(taken.standardError.contains("already has a key at index 3"))
        let outside = try CommandRunner.framecrypt(["keys", "add", keyFile, "--index", "16", "--participant", "bob"])
        #expect(outside.status == 64)

        let encrypted = folder.path("rotated.webm")
        let encrypt = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("vp8-opus.webm"), "-o", encrypted, "--key-file", keyFile]
                + ["--participant", "alice", "--key-index", "3"]
        )
        #expect(encrypt.status == 0, "\(encrypt.standardError)")
        let verify = try CommandRunner.framecrypt(
            ["verify-keys", encrypted, "--key-file", keyFile, "--participant", "alice", "--json"]
        )
        #expect(verify.status == 0, "\(verify.standardError)")
        #expect(verify.standardOutput.contains(#""keyIndex" : 3"#), "\(verify.standardOutput)")
        let decrypt = try CommandRunner.framecrypt(
            [
                "decrypt", encrypted, "-o", folder.path("rotated-dec.webm"), "--key-file", keyFile, "--participant",
                "alice",
            ]
        )
        #expect(decrypt.status == 0, "\(decrypt.standardError)")
        #expect(
            try FFmpegTools.packetDigests(folder.path("rotated-dec.webm"))
                == FFmpegTools.packetDigests(Fixtures.media("vp8-opus.webm"))
        )
    }

    @Test("show lists holders, indices, KDF, salt and fingerprints that match verify-keys, never a key")
    func showMatchesReports() throws {
        defer { folder.remove() }
        let show = try CommandRunner.framecrypt(["keys", "show", Fixtures.keys("shared.json")])
        #expect(show.status == 0, "\(show.standardError)")
        #expect(show.standardOutput.contains("derivation: pbkdf2, AES-128, ratchet salt \"LKFrameEncryptionKey\""))
        let fingerprint = try #require(
            show.standardOutput.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        )
        let encrypted = folder.path("fp.webm")
        _ = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("opus.ogg"), "-o", encrypted, "--key-file", Fixtures.keys("shared.json")]
        )
        let verify = try CommandRunner.framecrypt([
            "verify-keys", encrypted, "--key-file", Fixtures.keys("shared.json"),
        ])
        #expect(verify.standardOutput.contains(fingerprint), "\(verify.standardOutput) lacks \(fingerprint)")
        for key in try Self.keyStrings(in: Fixtures.keys("shared.json")) {
            #expect(!show.standardOutput.contains(key))
        }
    }
}
