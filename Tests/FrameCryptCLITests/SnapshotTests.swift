import Foundation
import FrameCryptTestSupport
import Testing

/// What users read, kept as snapshots (Snapshots/ beside this file): every command's help and the
/// text reports of inspect, verify-keys and a seeded encrypt. `RECORD_SNAPSHOTS=1 swift test
/// --filter SnapshotTests` rewrites them.
@Suite("Help and text reports as snapshots")
struct SnapshotTests {
    static let commands = [
        "", "encrypt", "decrypt", "inspect", "verify-keys", "keys", "keys generate", "keys add", "keys show",
        "vectors", "vectors export", "vectors verify", "fixtures", "fixtures build", "fixtures verify",
    ]

    /// The fixtures folder's path, written as `Fixtures` in snapshots.
    static let fixtures = URL(fileURLWithPath: Fixtures.path("x")).deletingLastPathComponent().path

    @Test("each command's --help", arguments: commands)
    func help(command: String) throws {
        let words = command.split(separator: " ").map(String.init)
        let result = try CommandRunner.framecrypt(words + ["--help"])
        #expect(result.status == 0)
        let name = "help-" + (command.isEmpty ? "framecrypt" : command.replacing(" ", with: "-")) + ".txt"
        #expect(result.standardOutput == (try Snapshot.expected(result.standardOutput, named: name)))
    }

    @Test("inspect's and verify-keys' text reports on a regression fixture")
    func reports() throws {
        let file = Fixtures.path("cryptor/h264-escaping.mp4")
        let keys = Fixtures.path("cryptor/keys/shared.json")
        for (name, arguments) in [
            ("inspect-h264-escaping.txt", ["inspect", file]),
            ("verify-keys-h264-escaping.txt", ["verify-keys", file, "--key-file", keys]),
        ] {
            let result = try CommandRunner.framecrypt(arguments)
            #expect(result.status == 0, "\(result.standardError)")
            let text = result.standardOutput.replacing(Self.fixtures, with: "Fixtures")
            #expect(text == (try Snapshot.expected(text, named: name)), "\(name)")
        }
    }

    @Test("a seeded encrypt's summary, times left out")
    func encryptSummary() throws {
        let folder = try ScratchFolder()
        let result = try CommandRunner.framecrypt([
            "encrypt", Fixtures.media("vp8-opus.webm"), "-o", folder.path("out.webm"), "--seed", "7",
            "--key-file", Fixtures.keys("shared.json"),
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let text = result.standardOutput.replacing(folder.url.path, with: "OUT").replacing(
            Self.fixtures,
            with: "Fixtures"
        )
        .replacing(#/ in [0-9.]+ s/#, with: " in T s")
        #expect(text == (try Snapshot.expected(text, named: "encrypt-summary.txt")))
    }
}
