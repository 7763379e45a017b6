import ArgumentParser
import Foundation
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCLI

@Suite("framecrypt vectors verify, through the built binary")
struct VectorsVerifyCommandTests {
    /// Writes `file` into a temporary folder with `edit` applied to its JSON, and returns the path.
    private func editedCopy(of name: String, _ edit: (inout [String: Any]) -> Void) throws -> (URL, String) {
        var json = try Fixtures.vectorJSON(name)
        edit(&json)
        let folder = try Fixtures.temporaryDirectory()
        let path = folder.appendingPathComponent(name).path
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        return (folder, path)
    }

    private static func flip(_ hex: String, at byte: Int) -> String {
        var characters = Array(hex)
        characters[byte * 2] = characters[byte * 2] == "0" ? "1" : "0"
        return String(characters)
    }

    /// The project's shared vector folder, beside the clone in the team's workspace and in CI.
    private static let sharedVectors = Fixtures.packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/vectors")

    /// The profile vectors, and the frames captured from LiveKit's native cryptor (re-created
    /// exactly from their plaintexts and decrypted back, packet trailers and the wrapped prefix too).
    @Test(
        "the profile vectors and the native captures all pass, both directions",
        arguments: [("framecrypt-profile-vectors.json", 11), ("native-captures.json", 19)]
    )
    func frameVectors(name: String, count: Int) throws {
        let result = try CommandRunner.framecrypt(["vectors", "verify", Fixtures.vectors(name)])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == count + 1)
        #expect(lines.last.map(String.init) == "\(count) passed, 0 failed")
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("PASS  vectors/") })
        #expect(result.standardError.isEmpty)
    }

    @Test(
        "the bundled vector files are the shared ones, byte for byte",
        .enabled(if: FileManager.default.fileExists(atPath: sharedVectors.path)),
        arguments: ["framecryptor-published.json", "sframe-rfc9605.json", "native-captures.json"]
    )
    func bundledCopiesMatchShared(name: String) throws {
        let shared = try Data(contentsOf: Self.sharedVectors.appendingPathComponent(name))
        let bundled = try Data(contentsOf: URL(fileURLWithPath: Fixtures.vectors(name)))
        #expect(shared == bundled)
    }

    /// The shared profile vectors' AV1 entry follows the envelope-in-AAD rule that LiveKit's native
    /// receivers cannot open; native-captures.json's AV1 frames supersede it, so the bundled copy
    /// is the shared file without its AV1 vectors.
    @Test(
        "the bundled profile vectors are the shared ones less the superseded AV1 entry",
        .enabled(if: FileManager.default.fileExists(atPath: sharedVectors.path))
    )
    func bundledProfileVectorsMatchShared() throws {
        let name = "framecrypt-profile-vectors.json"
        var shared = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.sharedVectors.appendingPathComponent(name)))
                as? [String: Any]
        )
        let sharedVectors = try #require(shared["vectors"] as? [[String: Any]])
        shared["vectors"] = sharedVectors.filter { $0["codec"] as? String != "av1" }
        let bundled = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: Fixtures.vectors(name)))
        )
        #expect(sharedVectors.count(where: { $0["codec"] as? String == "av1" }) == 1)
        #expect((shared as NSDictionary).isEqual(to: try #require(bundled as? [String: Any])))
    }

    @Test("the published vectors all pass")
    func publishedVectors() throws {
        let result = try CommandRunner.framecrypt([
            "vectors", "verify", Fixtures.vectors("framecryptor-published.json"),
        ])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasSuffix("6 passed, 0 failed\n"))
        for section in ["kdf/", "ratchet_chain/", "frames/server-sdk-go-opus-captured-frame", "sif_sha256/"] {
            #expect(result.standardOutput.contains("PASS  \(section)"))
        }
    }

    @Test("one flipped byte in a profile vector fails that vector only, with exit 1", arguments: [0, 4, 7, 9])
    func flippedProfileByte(vectorIndex: Int) throws {
        var id = ""
        let (folder, path) = try editedCopy(of: "framecrypt-profile-vectors.json") { json in
            var vectors = json["vectors"] as? [[String: Any]] ?? []
            id = vectors[vectorIndex]["id"] as? String ?? ""
            let hex = vectors[vectorIndex]["encryptedHex"] as? String ?? ""
            vectors[vectorIndex]["encryptedHex"] = Self.flip(hex, at: hex.count / 4)
            json["vectors"] = vectors
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.framecrypt(["vectors", "verify", path])
        #expect(result.status == 1)
        let failures = result.standardOutput.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(failures.count == 1)
        #expect(failures.first?.hasPrefix("FAIL  vectors/\(id): encrypt: output differs at byte") == true)
        #expect(result.standardOutput.hasSuffix("10 passed, 1 failed\n"))
    }

    @Test("one flipped byte in the published captured frame or ratchet chain fails it")
    func flippedPublishedByte() throws {
        let (folder, path) = try editedCopy(of: "framecryptor-published.json") { json in
            var frames = json["frames"] as? [[String: Any]] ?? []
            frames[0]["encrypted_hex"] = Self.flip(frames[0]["encrypted_hex"] as? String ?? "", at: 10)
            json["frames"] = frames
            var kdf = json["kdf"] as? [[String: Any]] ?? []
            kdf[1]["expected_hex"] = Self.flip(kdf[1]["expected_hex"] as? String ?? "", at: 15)
            json["kdf"] = kdf
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.framecrypt(["vectors", "verify", path])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("FAIL  frames/server-sdk-go-opus-captured-frame: decrypt:"))
        #expect(result.standardOutput.contains("FAIL  kdf/server-sdk-go-DeriveKeyFromString-12345: derive:"))
        #expect(result.standardOutput.hasSuffix("4 passed, 2 failed\n"))
    }

    @Test("the RFC 9605 SFrame vectors all pass: 289 headers, 3 CTR+HMAC AEADs, 5 full encryptions")
    func sframeVectors() throws {
        let result = try CommandRunner.framecrypt(["vectors", "verify", Fixtures.vectors("sframe-rfc9605.json")])
        #expect(result.status == 0, "\(result.standardOutput)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.last == "297 passed, 0 failed")
        #expect(lines.filter { $0.hasPrefix("PASS  header/") }.count == 289)
        #expect(lines.filter { $0.hasPrefix("PASS  aes_ctr_hmac/") }.count == 3)
        #expect(
            lines.filter { $0.hasPrefix("PASS  sframe/") }.map { $0.dropFirst(13) }
                == ["AES_128_CTR_HMAC_SHA256_80", "AES_128_CTR_HMAC_SHA256_64", "AES_128_CTR_HMAC_SHA256_32"]
                + ["AES_128_GCM_SHA256_128", "AES_256_GCM_SHA512_128"]
        )
    }

    @Test(
        "a tampered SFrame vector fails that vector only, with exit 1",
        arguments: [
            // A header's encoding (kid 1, ctr 256).
            ("\"190100\"", "\"190101\"", "FAIL  header/kid=0x1 ctr=0x100: encode: differs at byte 2 of 3; decode:"),
            // The last byte of the 32-bit-tag AEAD vector's tag.
            (
                "6339af04ada1d064688a442b8dc69d5b6bfa40f4be09480509",
                "6339af04ada1d064688a442b8dc69d5b6bfa40f4be09480508",
                "FAIL  aes_ctr_hmac/AES_128_CTR_HMAC_SHA256_32: encrypt: differs at byte 24 of 25; decrypt: authentication failed"
            ),
            // One ciphertext byte of the AES-256-GCM frame.
            (
                "990123456794f509d36e9beacb0e", "990123456794f509d36e9beacb0f",
                "FAIL  sframe/AES_256_GCM_SHA512_128: encrypt: differs at byte 13 of 42; decrypt: authentication failed"
            ),
        ]
    )
    func tamperedSFrameVector(original: String, replacement: String, expected: String) throws {
        let text = try String(contentsOfFile: Fixtures.vectors("sframe-rfc9605.json"), encoding: .utf8)
        let range = try #require(text.range(of: original))
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("tampered.json").path
        try text.replacingCharacters(in: range, with: replacement).write(
            toFile: path,
            atomically: true,
            encoding: .utf8
        )
        let result = try CommandRunner.framecrypt(["vectors", "verify", path])
        #expect(result.status == 1)
        let failures = result.standardOutput.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(failures.count == 1)
        #expect(failures.first?.hasPrefix(expected) == true, "\(failures)")
        #expect(result.standardOutput.hasSuffix("296 passed, 1 failed\n"))
    }

    @Test("--json gives a machine-readable report")
    func jsonReport() throws {
        let result = try CommandRunner.framecrypt([
            "vectors", "verify", "--json", Fixtures.vectors("framecrypt-profile-vectors.json"),
        ])
        #expect(result.status == 0)
        let report = try ReportJSON.decode(ReportJSON.VectorVerification.self, from: result)
        #expect(report.passed == 11)
        #expect(report.failed == 0)
        #expect(report.vectors.count == 11)
        #expect(report.vectors.allSatisfy { $0.passed && $0.checks.count == 4 })
    }

    @Test(
        "a malformed file gets one line naming the field, and exit 65",
        arguments: [
            ("plaintextHex", #""zz""#, "vectors[2].plaintextHex: not valid hex"),
            ("keyIndex", "300", "vectors[2].keyIndex: 300 is outside 0...15"),
            ("kdf", #""scrypt""#, #"vectors[2].kdf: "scrypt" is not one of"#),
            ("key", #"{"text": ""}"#, "vectors[2].key: key material is empty"),
            ("key", #"{"hex": "12", "text": "x"}"#, "vectors[2].key: a key needs exactly one of"),
            ("ssrc", #""big""#, "vectors[2].ssrc: expected a whole number, found a string"),
        ]
    )
    func malformed(field: String, valueJSON: String, message: String) throws {
        let value = try JSONSerialization.jsonObject(with: Data(valueJSON.utf8), options: .fragmentsAllowed)
        let (folder, path) = try editedCopy(of: "framecrypt-profile-vectors.json") { json in
            var vectors = json["vectors"] as? [[String: Any]] ?? []
            vectors[2][field] = value
            json["vectors"] = vectors
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.framecrypt(["vectors", "verify", path])
        #expect(result.status == 65)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.hasPrefix("framecrypt: error: \(path): \(message)"))
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    @Test("not JSON, no vectors, and a missing file")
    func unreadableInputs() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let garbage = folder.appendingPathComponent("garbage.json").path
        try Data("{\"vectors\": [".utf8).write(to: URL(fileURLWithPath: garbage))
        let empty = folder.appendingPathComponent("empty.json").path
        try Data("{\"_about\": \"nothing\"}".utf8).write(to: URL(fileURLWithPath: empty))

        let notJSON = try CommandRunner.framecrypt(["vectors", "verify", garbage])
        #expect(notJSON.status == 65)
        #expect(notJSON.standardError == "framecrypt: error: \(garbage): not valid JSON\n")
        let noVectors = try CommandRunner.framecrypt(["vectors", "verify", empty])
        #expect(noVectors.status == 65)
        #expect(noVectors.standardError.contains("no vectors"))
        let missing = try CommandRunner.framecrypt([
            "vectors", "verify", folder.appendingPathComponent("absent.json").path,
        ])
        #expect(missing.status == 66)
        #expect(missing.standardError.hasSuffix("absent.json: no such file\n"))
    }

    @Test("key material never appears in output, even when a vector fails")
    func noKeyMaterialInOutput() throws {
        let (folder, path) = try editedCopy(of: "framecrypt-profile-vectors.json") { json in
            var vectors = json["vectors"] as? [[String: Any]] ?? []
            vectors[0]["key"] = ["text": "super-secret-passphrase"]
            json["vectors"] = vectors
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        for arguments in [["vectors", "verify", path], ["vectors", "verify", "--json", path]] {
            let result = try CommandRunner.framecrypt(arguments)
            #expect(result.status == 1)
            #expect(!(result.standardOutput + result.standardError).contains("super-secret"))
            #expect(!(result.standardOutput + result.standardError).contains("636f7272656374"))
        }
    }
}

@Suite("framecrypt command line")
struct CommandLineTests {
    @Test("arguments parse into the verify command")
    func parsing() throws {
        let command = try FrameCrypt.parseAsRoot(["vectors", "verify", "v.json", "--json"])
        let verify = try #require(command as? FrameCrypt.Vectors.Verify)
        #expect(verify.file == "v.json")
        #expect(verify.json)
        #expect(throws: (any Error).self) { try FrameCrypt.parseAsRoot(["vectors", "verify"]) }
    }

    @Test("--version names framecrypt and the libraries it runs on")
    func version() throws {
        let result = try CommandRunner.framecrypt(["--version"])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("framecrypt "))
        for library in ["libavformat ", "libavcodec ", "libavutil ", "OpenSSL 3"] {
            #expect(result.standardOutput.contains(library))
        }
    }

    @Test("--help explains the command and a usage error exits 64")
    func help() throws {
        let help = try CommandRunner.framecrypt(["vectors", "verify", "--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("USAGE: framecrypt vectors verify"))
        let usage = try CommandRunner.framecrypt(["vectors", "verify"])
        #expect(usage.status == 64)
        #expect(usage.standardError.contains("Missing expected argument"))
    }
}
