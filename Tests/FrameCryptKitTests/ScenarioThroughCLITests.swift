import Foundation
import FrameCryptTestSupport
import Testing

/// `encrypt --scenario` through the built CLI: each scenario's effect on the file, and the states
/// a receiver reports, checked against what the scenario says.
@Suite("Scenarios through the CLI")
struct ScenarioThroughCLITests {
    static let keys = ["--key-file", Fixtures.path("cryptor/keys/shared.json")]

    /// Encrypts `media` under `scenario` (JSON text) and returns the encrypt report's streams.
    static func encrypt(
        _ media: String,
        scenario: String,
        in folder: URL,
        extra: [String] = []
    ) throws -> (path: String, streams: [ReportJSON.Processing.Stream]) {
        let scenarioFile = folder.appendingPathComponent("scenario.json")
        try scenario.write(to: scenarioFile, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("encrypted." + (media as NSString).pathExtension).path
        let result = try CommandRunner.framecrypt(
            [
                "encrypt", Fixtures.media(media), "-o", output, "--json", "--force", "--seed", "5", "--scenario",
                scenarioFile.path,
            ]
                + keys + extra
        )
        try #require(result.status == 0, "\(result.standardError)")
        return (output, try ReportJSON.decode(ReportJSON.Processing.self, from: result).streams)
    }

    static func decrypt(_ path: String, in folder: URL, extra: [String] = []) throws -> [ReportJSON.Processing.Stream] {
        let result = try CommandRunner.framecrypt(
            [
                "decrypt", path, "-o",
                folder.appendingPathComponent("decrypted-" + (path as NSString).lastPathComponent).path,
                "--json", "--force", "--on-failure", "drop",
            ] + keys + extra
        )
        try #require(result.status == 0, "\(result.standardError)")
        return try ReportJSON.decode(ReportJSON.Processing.self, from: result).streams
    }

    static func vectors(_ path: String, in folder: URL, extra: [String] = []) throws -> [ReportJSON.ExportedVectors
        .Vector]
    {
        let output = folder.appendingPathComponent("vectors.json").path
        let result = try CommandRunner.framecrypt(
            ["vectors", "export", path, "-o", output, "--force", "-q"] + keys + extra
        )
        try #require(result.status == 0, "\(result.standardError)")
        let verified = try CommandRunner.framecrypt(["vectors", "verify", output])
        #expect(verified.status == 0, "\(verified.standardOutput)")
        return try ReportJSON.ExportedVectors.load(output).vectors
    }

    static func states(_ stream: ReportJSON.Processing.Stream) -> [String: Int] {
        stream.states
    }

    static func predicted(_ stream: ReportJSON.Processing.Stream, withTrailer: Bool = true) -> [String: Int]? {
        withTrailer ? stream.receiver?.states : stream.receiver?.statesWithoutServerTrailer
    }

    @Test("ratchets: keyRatcheted exactly at the ratchet points, with the steps taken, as predicted")
    func ratchet() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (path, sent) = try Self.encrypt(
            "vp8-opus.webm",
            scenario: #"{"ratchets": [{"at": 0.5}, {"at": 1.0, "steps": 3}]}"#,
            in: folder
        )
        let received = try Self.decrypt(path, in: folder)
        #expect(Self.states(received[0]) == ["ok": 43, "keyRatcheted": 2])
        #expect(Self.states(received[1]) == ["ok": 76])
        for (sender, receiver) in zip(sent, received) {
            #expect(Self.predicted(sender) == Self.states(receiver))
        }
        let ratcheted = try Self.vectors(path, in: folder).filter { $0.expectedState == "keyRatcheted" }
        #expect(ratcheted.map(\.id) == ["encrypted-s0-f15", "encrypted-s0-f30"])
        #expect(ratcheted.map(\.ratchetStepsToDecrypt) == [1, 3])
        #expect(ratcheted.map(\.receiverRatchetSteps) == [0, 1])
    }

    @Test("rotation: each frame carries the key index of its time and decrypts")
    func rotation() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (path, _) = try Self.encrypt(
            "vp8-opus.webm",
            scenario: #"{"rotations": [{"at": 0.5, "keyIndex": 1}, {"at": 1.0, "keyIndex": 2}]}"#,
            in: folder
        )
        #expect(try Self.decrypt(path, in: folder).map(Self.states) == [["ok": 45], ["ok": 76]])
        let video = try Self.vectors(path, in: folder).filter { $0.codec == "vp8" }
        let indices = video.compactMap(\.keyIndex)
        #expect(
            indices == Array(repeating: 0, count: 15) + Array(repeating: 1, count: 15) + Array(repeating: 2, count: 15)
        )
    }

    @Test("late key: frames before it are sent in clear (and fail) or dropped")
    func lateKey() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (clear, sent) = try Self.encrypt("vp8-opus.webm", scenario: #"{"keyArrivals": [{"at": 0.5}]}"#, in: folder)
        #expect(Self.states(sent[0]) == ["missingKey": 15, "ok": 30])
        #expect(
            try Self.decrypt(clear, in: folder).map(Self.states) == [
                ["decryptionFailed": 15, "ok": 30], ["decryptionFailed": 26, "ok": 50],
            ]
        )
        let source = try FFmpegTools.packetDigests(Fixtures.media("vp8-opus.webm"))
        let written = try FFmpegTools.packetDigests(clear)
        #expect(Array(written.prefix(20)) == Array(source.prefix(20)), "clear frames are the source's")

        let later = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: later) }
        let (dropped, _) = try Self.encrypt(
            "vp8-opus.webm",
            scenario: #"{"keyArrivals": [{"at": 0.5}], "keyNotReady": "discard"}"#,
            in: later
        )
        #expect(try Self.decrypt(dropped, in: later).map(Self.states) == [["ok": 30], ["ok": 50]])
    }

    @Test("server-injected frames pass only when the receiver knows the trailer")
    func serverInjected() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (path, sent) = try Self.encrypt(
            "vp8-opus.webm",
            scenario: #"{"serverInjected": {"trailerHex": "0a0b0c0d", "at": [0.3, 0.9]}}"#,
            in: folder
        )
        let known = try Self.decrypt(path, in: folder, extra: ["--sif-trailer", "0a0b0c0d"])
        #expect(known.map(Self.states) == [["ok": 45], ["ok": 76]])
        #expect(known.map(\.serverInjectedFrames) == [2, 2])
        let unknown = try Self.decrypt(path, in: folder)
        // Opus silence followed by 0a0b0c0d ends like a trailer naming key index 13, which has no key.
        #expect(unknown.map(Self.states) == [["ok": 43, "decryptionFailed": 2], ["ok": 74, "missingKey": 2]])
        #expect(sent.map { Self.predicted($0, withTrailer: false) } == unknown.map(Self.states))
        let injected = try Self.vectors(path, in: folder, extra: ["--sif-trailer", "0a0b0c0d"])
            .filter { $0.serverInjectedTrailerHex == "0a0b0c0d" }
        #expect(
            injected.map(\.id) == [
                "encrypted-s0-f9", "encrypted-s1-f16", "encrypted-s0-f27", "encrypted-s1-f46",
            ]
        )
    }

    @Test("corrupted frames fail exactly where the scenario damaged them")
    func corrupted() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (path, sent) = try Self.encrypt(
            "h264-aac.mp4",
            scenario: """
                {"corruptions": [{"stream": 0, "frame": 3, "part": "ciphertext"}, {"stream": 0, "frame": 10, "part": "tag"},
                 {"stream": 1, "frame": 7, "part": "iv"}, {"stream": 1, "frame": 20, "part": "iv-length"},
                 {"stream": 0, "frame": 30, "part": "key-index"}]}
                """,
            in: folder,
            extra: ["--key-index", "2"]
        )
        #expect(sent.map(\.corruptedFrames) == [3, 2])
        let received = try Self.decrypt(path, in: folder)
        #expect(
            received.map(Self.states) == [
                ["ok": 42, "decryptionFailed": 2, "missingKey": 1], ["ok": 70, "decryptionFailed": 2],
            ]
        )
        let failed = received.map { $0.failures.map(\.frame) }
        #expect(failed == [[3, 10, 30], [7, 20]])
    }

    @Test("JS-style send counters start at a random value below 0xFFFF; native ones at 0")
    func sendCounters() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (js, _) = try Self.encrypt("opus.ogg", scenario: #"{"sendCounter": "random"}"#, in: folder)
        let counts = try Self.vectors(js, in: folder).compactMap(\.sendCount)
        let first = try #require(counts.first)
        #expect(first > 0 && first < 0xFFFF)
        #expect(counts == Array(first..<(first + UInt32(counts.count))))
        let (native, _) = try Self.encrypt("opus.ogg", scenario: #"{"sendCounter": "native"}"#, in: folder)
        #expect(try Self.vectors(native, in: folder).first?.sendCount == 0)
    }

    @Test(
        "scenarios that cannot apply stop with one line and no output",
        arguments: [
            (#"{"ratchet": []}"#, 65, "unknown field \"ratchet\""),
            (#"{"corruptions": [{"stream": 4, "frame": 0, "part": "tag"}]}"#, 64, "names stream 4"),
            (#"{"rotations": [{"at": 1, "keyIndex": 7}]}"#, 1, "key index 7, which has no key"),
            (
                #"{"serverInjected": {"trailerHex": "00", "at": [1], "streams": [0]}}"#, 64,
                "cannot carry server-injected frames"
            ),
            (
                #"{"corruptions": [{"stream": 0, "frame": 1, "part": "tag"}], "keyArrivals": [{"at": 1}]}"#, 64,
                "sent before the key arrives"
            ),
            (#"{"ratchets": [{"at": -1}]}"#, 65, "a time must be 0 or more"),
        ]
    )
    func refusals(scenario: String, status: Int32, message: String) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("scenario.json")
        try scenario.write(to: file, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("out.webm").path
        let result = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("vp9-opus.webm"), "-o", output, "--scenario", file.path] + Self.keys
        )
        #expect(result.status == status, "\(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("a scenario with the sframe scheme is refused")
    func sframeRefused() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("scenario.json")
        try "{}".write(to: file, atomically: true, encoding: .utf8)
        let result = try CommandRunner.framecrypt(
            [
                "encrypt", Fixtures.media("opus.ogg"), "-o", folder.appendingPathComponent("o.ogg").path, "--scenario",
                file.path,
                "--key-file", Fixtures.keys("sframe-shared.json"),
            ]
        )
        #expect(result.status == 64)
        #expect(result.standardError.contains("scenarios apply to the webrtc-framecryptor scheme"))
    }
}
