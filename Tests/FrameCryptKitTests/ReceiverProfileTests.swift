import Foundation
import FrameCryptCrypto
import FrameCryptFormat
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// The SDK receiver profiles (docs/SDKS.md) against the fixtures of `Fixtures/receivers/`: each file
/// is one on which some SDKs disagree, and `verdicts.json` says what each shows.
@Suite("SDK receiver profiles")
struct ReceiverProfileTests {
    /// One fixture of `verdicts.json`.
    struct Fixture: Decodable, CustomTestStringConvertible, Sendable {
        let file: String
        /// The clip of `Fixtures/media/` it was encrypted from, and the scenario it was played under.
        let source: String
        let scenario: String?
        /// `encrypt --sender` when not the profile's.
        let sender: String?
        let keys: String
        let participant: String?
        let sifTrailer: String?
        let shows: String
        let receivers: [String: [Expected]]

        var testDescription: String { file }
    }

    /// What one receiver shows for one stream.
    struct Expected: Decodable, Equatable, Sendable {
        let stream: Int
        let states: [String: Int]
        let serverInjectedFrames: Int
        let droppedUnread: Int
        let firstFailure: FirstFailure?

        struct FirstFailure: Decodable, Equatable, Sendable {
            let frame: Int
            let state: String
        }
    }

    struct Verdicts: Decodable {
        let fixtures: [Fixture]
    }

    static let fixtures: [Fixture] = {
        let data = FileManager.default.contents(atPath: Fixtures.receivers("verdicts.json")) ?? Data()
        return (try? JSONDecoder().decode(Verdicts.self, from: data).fixtures) ?? []
    }()

    @Test("verdicts.json lists fixtures for every profile")
    func verdictsCoverEveryProfile() {
        #expect(Self.fixtures.count >= 10)
        for fixture in Self.fixtures {
            #expect(
                Set(fixture.receivers.keys) == Set(ReceiverProfile.Name.allCases.map(\.rawValue)),
                "\(fixture.file)"
            )
        }
    }

    @Test("every profile has a fixture on which it shows something another SDK does not")
    func everyProfileDiffersSomewhere() {
        for name in ReceiverProfile.Name.allCases.map(\.rawValue) {
            let differs = Self.fixtures.contains { fixture in
                fixture.receivers.values.contains { $0 != fixture.receivers[name] }
            }
            #expect(differs, "\(name)")
        }
    }

    @Test("the fixture files are what make.sh builds, byte for byte")
    func fixturesAreReproducible() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try CommandRunner.system(
            "bash",
            [Fixtures.receivers("make.sh"), CommandRunner.framecrypt.path, folder.path]
        )
        #expect(made.status == 0, "\(made.standardError)")
        for fixture in Self.fixtures {
            let rebuilt = try FileDigest.sha256(ofFile: folder.appendingPathComponent(fixture.file).path)
            #expect(rebuilt == (try FileDigest.sha256(ofFile: Fixtures.receivers(fixture.file))), "\(fixture.file)")
        }
    }

    @Test("each receiver shows what verdicts.json says", arguments: fixtures)
    func receiversShowTheirVerdicts(fixture: Fixture) throws {
        let participants = ParticipantAssignment(defaultParticipant: fixture.participant)
        let streams = try ReceiverPass.run(
            ReceiverPassRequest(
                input: Fixtures.receivers(fixture.file),
                keys: try KeyFile.load(path: Fixtures.receivers(fixture.keys)),
                participants: participants,
                profiles: ReceiverProfile.Name.allCases.map(ReceiverProfile.named),
                serverInjectedTrailer: fixture.sifTrailer.flatMap(ServerInjectedTrailer.bytes(hex:))
            )
        )
        for name in ReceiverProfile.Name.allCases {
            let shown = streams.map { stream in
                let verdict = stream.receivers.first { $0.receiver == name }
                return Expected(
                    stream: stream.index,
                    states: verdict?.states ?? [:],
                    serverInjectedFrames: verdict?.serverInjectedFrames ?? -1,
                    droppedUnread: verdict?.droppedUnread ?? -1,
                    firstFailure: verdict?.firstFailure.map { .init(frame: $0.frame, state: $0.state) }
                )
            }
            #expect(shown == fixture.receivers[name.rawValue], "\(fixture.file): \(name)")
        }
    }

    @Test("decrypt --receiver decrypts each fixture as that SDK would", arguments: fixtures)
    func decryptAsEachReceiver(fixture: Fixture) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out." + (fixture.file.split(separator: ".").last ?? "mkv")).path
        var strictChecks: Set<Bool> = []
        for name in ReceiverProfile.Name.allCases {
            var arguments = [
                "decrypt", Fixtures.receivers(fixture.file), "-o", output, "--force", "--json",
                "--key-file", Fixtures.receivers(fixture.keys), "--receiver", name.rawValue,
            ]
            if let participant = fixture.participant {
                arguments += ["--participant", participant]
            }
            if let trailer = fixture.sifTrailer {
                arguments += ["--sif-trailer", trailer]
            }
            let expected = fixture.receivers[name.rawValue] ?? []
            let failing = expected.contains { $0.firstFailure != nil }
            // The default policy's exit status, once per fixture for a failing and a delivering SDK
            // (every run costs a process, and under AddressSanitizer a slow one).
            if strictChecks.insert(failing).inserted {
                let strict = try CommandRunner.framecrypt(arguments)
                #expect(strict.status == (failing ? 1 : 0), "\(fixture.file) as \(name): \(strict.standardError)")
            }
            let kept = try CommandRunner.framecrypt(arguments + ["--on-failure", "keep"])
            #expect(kept.status == 0, "\(fixture.file) as \(name): \(kept.standardError)")
            let report = try ReportJSON.decode(ReportJSON.Processing.self, from: kept)
            #expect(report.receiver == name.rawValue)
            for stream in expected {
                let written = report.streams.first { $0.index == stream.stream }
                #expect(written?.states == stream.states, "\(fixture.file) as \(name), stream \(stream.stream)")
                #expect(written?.failures.first?.frame == stream.firstFailure?.frame, "\(fixture.file) as \(name)")
            }
        }
    }

    @Test("encrypt --scenario --receiver predicts, without decrypting, the states each SDK shows", arguments: fixtures)
    func scenarioPredictions(fixture: Fixture) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("no-events.json")
        try Data("{}".utf8).write(to: empty)
        let output = folder.appendingPathComponent(fixture.file).path
        for name in ReceiverProfile.Name.allCases {
            var arguments = [
                "encrypt", Fixtures.media(fixture.source), "-o", output, "--force", "--json", "--seed", "24",
                "--key-file", Fixtures.receivers(fixture.keys), "--receiver", name.rawValue,
                "--scenario", fixture.scenario.map { Fixtures.receivers($0) } ?? empty.path,
            ]
            if let participant = fixture.participant {
                arguments += ["--participant", participant]
            }
            if let sender = fixture.sender {
                arguments += ["--sender", sender]
            }
            let result = try CommandRunner.framecrypt(arguments)
            #expect(result.status == 0, "\(fixture.file) for \(name): \(result.standardError)")
            let report = try ReportJSON.decode(ReportJSON.Processing.self, from: result)
            for stream in fixture.receivers[name.rawValue] ?? [] {
                let predicted = report.streams.first { $0.index == stream.stream }?.receiver
                #expect(predicted?.receiver == name.rawValue)
                #expect(predicted?.states == stream.states, "\(fixture.file) for \(name), stream \(stream.stream)")
            }
        }
    }

    @Test("verify-keys --receiver: the keys fit, and the last line names the SDKs that would drop frames")
    func verifyKeysNamesFailingReceivers() throws {
        let result = try CommandRunner.framecrypt([
            "verify-keys", Fixtures.receivers("ratchet-two-steps.webm"), "--participant", "alice",
            "--key-file", Fixtures.receivers("keys/alice.json"),
            "--receiver", "js", "--receiver", "swift", "--receiver", "android",
        ])
        #expect(result.status == 1)
        #expect(result.standardOutput.hasSuffix("keys ok, but js, swift would not deliver every frame\n"))
        #expect(result.standardOutput.contains("android: delivers all 45 frames"))
        let json = try CommandRunner.framecrypt([
            "verify-keys", Fixtures.receivers("ratchet-two-steps.webm"), "--participant", "alice", "--json",
            "--key-file", Fixtures.receivers("keys/alice.json"), "--receiver", "android",
        ])
        #expect(json.status == 0)
        let report = try ReportJSON.decode(ReportJSON.KeyVerification.self, from: json)
        #expect(report.ok)
        #expect(report.receivers?.map { $0.receivers.map(\.receiver) } == [["android"], ["android"]])
    }

    @Test("--receiver refuses --ratchet-window and SFrame streams")
    func refusals() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let both = try CommandRunner.framecrypt([
            "decrypt", Fixtures.receivers("av1.mp4"), "-o", folder.appendingPathComponent("a.mp4").path,
            "--key-file", Fixtures.receivers("keys/text.json"), "--receiver", "js", "--ratchet-window", "3",
        ])
        #expect(both.status == 64)
        #expect(both.standardError.contains("leave out --ratchet-window"))
        let sealed = folder.appendingPathComponent("sframe.mkv").path
        let encrypted = try CommandRunner.framecrypt([
            "encrypt", Fixtures.media("opus.ogg"), "-o", sealed, "--key-file", Fixtures.keys("sframe-shared.json"),
        ])
        #expect(encrypted.status == 0, "\(encrypted.standardError)")
        let sframe = try CommandRunner.framecrypt([
            "decrypt", sealed, "-o", folder.appendingPathComponent("b.mkv").path,
            "--key-file", Fixtures.keys("sframe-shared.json"), "--receiver", "native",
        ])
        #expect(sframe.status == 64)
        #expect(sframe.standardError.contains("models a FrameCryptor SDK"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("b.mkv").path))
    }

    @Test("Flutter's string keys: UTF-16 code units cut to a byte, the same as UTF-8 only for ASCII")
    func flutterTextEncoding() throws {
        let parameters = try KeyDerivationParameters()
        func fingerprint(_ text: String, as name: ReceiverProfile.Name) throws -> String? {
            let keys = try KeySet.sharedKey(
                text: text,
                encoding: .text,
                at: 0,
                parameters: parameters,
                ringSize: 16
            )
            return try keys.received(by: .named(name)).makeProvider().keyRing(for: "p")?.fingerprint(at: 0)
        }
        #expect(try fingerprint("plain ascii", as: .flutter) == fingerprint("plain ascii", as: .native))
        #expect(try fingerprint("clé", as: .flutter) != fingerprint("clé", as: .native))
        var cleLatin1: [UInt8] = [0x63, 0x6C, 0xE9]
        let latin1 = try KeySet.sharedKey(
            SecretBytes(wiping: &cleLatin1),
            at: 0,
            parameters: parameters,
            ringSize: 16
        )
        #expect(try fingerprint("clé", as: .flutter) == latin1.makeProvider().keyRing(for: "p")?.fingerprint(at: 0))
    }
}
