import ArgumentParser
import Foundation
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCLI

/// A batch keeps an earlier output only when it was made under the same settings: the settings are
/// read from the parsed command itself, so no option can be forgotten.
@Suite("Batch settings come from the parsed options")
struct BatchSettingsTests {
    static func lines(_ arguments: [String]) throws -> [String] {
        BatchSettings.lines(of: try FrameCrypt.parseAsRoot(arguments))
    }

    @Test("every option that shapes an output is a line, paths canonical, output-neutral options left out")
    func encryptLines() throws {
        let lines = try Self.lines([
            "encrypt", "a.mp4", "b.mp4", "-O", "out", "--jobs", "3", "--key-file", "keys/../k.json",
            "--key-index", "2", "--sender", "native", "--frame-metadata", "--map", "1=bob", "--map", "0=alice",
            "--format", "mkv", "--quiet",
        ])
        let folder = FileManager.default.currentDirectoryPath
        for expected in [
            "keyIndex=2", "sender=native", "frameMetadata=true", "job.format=mkv", "keys.kdf=pbkdf2",
            "keys.streamParticipants=1=bob,0=alice", "keys.sources.keyFile=\(folder)/k.json", "scenario=",
            "counterStart=0", "strict=false", "job.batch.name=",
        ] {
            #expect(lines.contains(expected), "\(expected) not in \(lines)")
        }
        let names = Set(lines.map { String($0.prefix { $0 != "=" }) })
        for neutral in ["job.quiet", "job.output", "job.batch.jobs", "job.batch.outputDir", "job.inputs"] {
            #expect(!names.contains(neutral), "\(neutral) in \(lines)")
        }
        #expect(names.count == lines.count, "a name appears twice: \(lines)")
    }

    @Test(
        "changing any output-shaping option of any batch command changes its settings",
        arguments: [
            (["decrypt", "a.mp4", "-O", "o", "--key-file", "k.json"], ["--on-failure", "keep"]),
            (["decrypt", "a.mp4", "-O", "o", "--key-file", "k.json"], ["--ratchet-window", "3"]),
            (["decrypt", "a.mp4", "-O", "o", "--key-file", "k.json"], ["--sif-trailer", "aa"]),
            (["encrypt", "a.mp4", "-O", "o", "--key-file", "k.json"], ["--discard-frame-when-cryptor-not-ready"]),
            (["encrypt", "a.mp4", "-O", "o", "--shared-key-env", "K"], ["--ratchet-salt", "x"]),
            (["encrypt", "a.mp4", "-O", "o", "--shared-key-env", "K"], ["--key-bits", "256"]),
            (["encrypt", "a.mp4", "-O", "o", "--key-file", "k.json"], ["--scheme", "sframe"]),
            (["verify-keys", "a.mp4", "-O", "o", "--key-file", "k.json"], ["--all"]),
            (["inspect", "a.mp4", "-O", "o"], ["--streams", "0"]),
            (["inspect", "a.mp4", "-O", "o"], ["--check"]),
        ]
    )
    func changes(base: [String], change: [String]) throws {
        #expect(try Self.lines(base) != Self.lines(base + change))
        // Options that only change how the run goes leave them as they are.
        #expect(try Self.lines(base) == Self.lines(base + ["--jobs", "2", "--shard", "0/1"]))
    }

    @Test("the same stream list in another order gives the same lines")
    func order() throws {
        let a = try Self.lines(["inspect", "a.mp4", "-O", "o", "--streams", "2,0,1"])
        let b = try Self.lines(["inspect", "a.mp4", "-O", "o", "--streams", "1,2,0"])
        #expect(a == b)
        #expect(a.contains("streams=0,1,2"))
    }
}
