import Foundation
import FrameCryptTestSupport
import Testing

@testable import FrameCryptKit

/// The committed regression fixtures (`Fixtures/cryptor/`): what the manifest promises, that every
/// vector file verifies, that damage is caught, and that a rebuild is byte-identical.
@Suite("Regression fixtures")
struct CryptorFixtureTests {
    static let folder = Fixtures.path("cryptor")

    /// The manifest's files, read with the type `fixtures build` writes and `fixtures verify` reads.
    static func manifest() throws -> [FixtureManifest.File] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/manifest.json"))
        return try JSONDecoder().decode(FixtureManifest.self, from: data).files
    }

    /// The states of each stream in each decryption of fixture `id`.
    static func states(_ id: String) throws -> [[[String: Int]]] {
        let file = try #require(try manifest().first { $0.id == id })
        return file.decrypt.map { $0.streams.map(\.states) }
    }

    @Test("the suite holds every scenario the issue lists, under 10 MB")
    func contents() throws {
        let ids = try Self.manifest().map(\.id)
        #expect(
            ids == [
                "shared-key", "per-participant-keys", "rotation", "ratchet", "late-key-clear", "late-key-dropped",
                "server-injected", "corrupted", "h264-long-sei", "h264-escaping", "two-participants", "js-send-counter",
                "sframe-suite-1", "sframe-suite-2", "sframe-suite-3", "sframe-suite-4", "sframe-suite-5",
            ]
        )
        let files = try FileManager.default.subpathsOfDirectory(atPath: Self.folder)
        let total = try files.reduce(0) { sum, name in
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(Self.folder)/\(name)")
            return sum + ((attributes[.size] as? NSNumber)?.intValue ?? 0)
        }
        #expect(total < 10_000_000)
    }

    @Test("expected states are what a native receiver with a ratchet window of 16 reports")
    func expectedStates() throws {
        #expect(try Self.states("ratchet") == [[["ok": 43, "keyRatcheted": 2], ["ok": 76]]])
        #expect(
            try Self.states("corrupted") == [
                [["ok": 42, "decryptionFailed": 2, "missingKey": 1], ["ok": 70, "decryptionFailed": 2]]
            ]
        )
        #expect(
            try Self.states("server-injected") == [
                [["ok": 45], ["ok": 76]], [["ok": 42, "decryptionFailed": 3], ["ok": 73, "decryptionFailed": 3]],
            ]
        )
        #expect(
            try Self.states("late-key-clear") == [
                [["ok": 30, "decryptionFailed": 15], ["ok": 50, "decryptionFailed": 26]]
            ]
        )
        #expect(try Self.states("late-key-dropped") == [[["ok": 30], ["ok": 50]]])
        #expect(
            try Self.states("two-participants") == [
                [["ok": 44, "keyRatcheted": 1], ["ok": 76], ["ok": 45], ["ok": 76]]
            ]
        )
    }

    @Test("the escaping and long-SEI fixtures exercise those paths")
    func codecPaths() throws {
        let escaping = try String(contentsOfFile: "\(Self.folder)/h264-escaping.vectors.json", encoding: .utf8)
        #expect(escaping.contains("\"escapingBytesInserted\" : true"))
        let clear = try ReportJSON.ExportedVectors.load("\(Self.folder)/h264-long-sei.vectors.json").vectors
            .compactMap(\.clearBytes)
        #expect(clear.contains { $0 > 253 })
    }

    @Test("every vector file verifies through the CLI with its own key file")
    func vectorsVerify() throws {
        for file in try Self.manifest() {
            let vectors = file.vectors
            let result = try CommandRunner.framecrypt(["vectors", "verify", "\(Self.folder)/\(vectors)"])
            #expect(result.status == 0, "\(vectors): \(result.standardOutput.suffix(300))")
            #expect(result.standardOutput.hasSuffix("\(file.vectorCount) passed, 0 failed\n"))
        }
    }

    @Test("fixtures verify passes, and a rebuild gives the same bytes")
    func verifyAndRebuild() throws {
        let result = try CommandRunner.framecrypt(["fixtures", "verify", Self.folder])
        #expect(result.status == 0, "\(result.standardOutput)")
        #expect(result.standardOutput.contains("17 fixtures"))
        #expect(result.standardOutput.contains(" 0 failed"))
    }

    @Test("a damaged copy fails the checks that see the damage")
    func tampering() throws {
        let copy = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: copy) }
        let target = copy.appendingPathComponent("cryptor").path
        try FileManager.default.copyItem(atPath: Self.folder, toPath: target)
        try FileManager.default.createSymbolicLink(
            atPath: copy.appendingPathComponent("media").path,
            withDestinationPath: Fixtures.path("media")
        )
        let media = URL(fileURLWithPath: "\(target)/ratchet.webm")
        var bytes = try [UInt8](Data(contentsOf: media))
        bytes[bytes.count - 200] ^= 0x01
        try Data(bytes).write(to: media)
        let vectors = URL(fileURLWithPath: "\(target)/shared-key.vectors.json")
        var text = try String(contentsOf: vectors, encoding: .utf8)
        let range = try #require(text.range(of: "\"encryptedHex\" : \"f"))
        text.replaceSubrange(range, with: "\"encryptedHex\" : \"e")
        try text.write(to: vectors, atomically: true, encoding: .utf8)

        let result = try CommandRunner.framecrypt(["fixtures", "verify", target, "--no-rebuild"])
        #expect(result.status == 1)
        let failures = result.standardOutput.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(failures.contains { $0.hasPrefix("FAIL  ratchet: file sha256") })
        #expect(failures.contains { $0.hasPrefix("FAIL  shared-key: vectors") })
        #expect(!failures.contains { $0.contains("rotation") })
        let tampered = try CommandRunner.framecrypt(["vectors", "verify", vectors.path])
        #expect(tampered.status == 1)
        #expect(tampered.standardOutput.contains("1 failed"))
    }
}
