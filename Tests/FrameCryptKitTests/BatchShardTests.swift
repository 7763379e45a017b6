import Foundation
import FrameCryptTestSupport
import Testing

@testable import FrameCryptBatch
@testable import FrameCryptCore
@testable import FrameCryptKit

/// `--shard auto` and `auto/N`: the part comes from the scheduler's own variables.
@Suite("Shards from the scheduler")
struct BatchShardTests {
    static func shard(_ text: String, _ environment: [String: String]) throws(FrameCryptError) -> String {
        "\(try BatchShard(parsing: text, environment: environment))"
    }

    @Test("a Slurm array gives the part and the count, from its own bounds")
    func slurm() throws {
        let array = ["SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "7"]
        #expect(try Self.shard("auto", array.merging(["SLURM_ARRAY_TASK_ID": "3"]) { $1 }) == "3/8")
        let shifted = ["SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "4", "SLURM_ARRAY_TASK_ID": "4"]
        #expect(try Self.shard("auto", shifted) == "3/4")
        // A task resubmitted alone (sbatch --array=3) keeps its part with the count given once.
        let alone = ["SLURM_ARRAY_TASK_MIN": "3", "SLURM_ARRAY_TASK_MAX": "3", "SLURM_ARRAY_TASK_ID": "3"]
        #expect(try Self.shard("auto/8", alone) == "3/8")
    }

    @Test("a Kubernetes Indexed Job gives the part; the count is given once")
    func kubernetes() throws {
        #expect(try Self.shard("auto/8", ["JOB_COMPLETION_INDEX": "5"]) == "5/8")
    }

    static let refusals: [(text: String, environment: [String: String], message: String)] = [
        ("auto", [:], "neither SLURM_ARRAY_TASK_ID"),
        ("auto", ["JOB_COMPLETION_INDEX": "2"], "give the number of parts, auto/N"),
        ("auto/8", ["JOB_COMPLETION_INDEX": "8"], "N must equal the Job's completions"),
        (
            "auto", ["SLURM_ARRAY_TASK_MIN": "3", "SLURM_ARRAY_TASK_MAX": "3", "SLURM_ARRAY_TASK_ID": "3"],
            "scontrol requeue JOBID_3"
        ),
        ("auto", ["SLURM_ARRAY_TASK_ID": "3"], "SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_MAX are missing"),
        ("auto/4", ["SLURM_ARRAY_TASK_ID": "5"], "submit the array as --array=0-3"),
        ("auto", ["SLURM_ARRAY_TASK_ID": "x"], "is not a number"),
        ("auto/0", ["JOB_COMPLETION_INDEX": "0"], "expected auto or auto/N"),
    ]

    @Test(
        "missing or inconsistent scheduler variables are refused with a line that says what to do",
        arguments: refusals
    )
    func refused(_ text: String, _ environment: [String: String], _ message: String) {
        #expect {
            try BatchShard(parsing: text, environment: environment)
        } throws: { error in
            guard let error = error as? FrameCryptError else { return false }
            return error.kind == .invalidArgument && error.message.contains(message)
        }
    }

    @Test("through the CLI, --shard auto in a Slurm task runs exactly that part")
    func throughCLI() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path("in"), withIntermediateDirectories: true)
        for name in ["a", "b", "c", "d"] {
            try FileManager.default.copyItem(atPath: Fixtures.media("opus.ogg"), toPath: folder.path("in/\(name).ogg"))
        }
        let result = try CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_MAX=1",
                CommandRunner.framecrypt.path,
            ]
                + ["encrypt", folder.path("in"), "-O", folder.path("out"), "--shard", "auto", "-q"]
                + ["--key-file", Fixtures.keys("shared.json")]
        )
        #expect(result.status == 0, "\(result.standardError)")
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.path("out")).filter {
            !$0.hasPrefix(".")
        }
        #expect(written.sorted() == ["b.ogg", "d.ogg"])
        let missing = try CommandRunner.framecrypt(
            ["encrypt", folder.path("in"), "-O", folder.path("out2"), "--shard", "auto", "--key-file"]
                + [Fixtures.keys("shared.json")]
        )
        #expect(missing.status == 64)
    }
}
