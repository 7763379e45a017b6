import Foundation
import FrameCryptTestSupport
import Testing

/// The test process runner, which every test that runs a program relies on.
@Suite("Running programs from tests")
struct CommandRunnerTests {
    @Test(
        "a program that fills standard error before it writes standard output is read to the end",
        .timeLimit(.minutes(1))
    )
    func bothPipes() throws {
        // 1 MB on stderr first: more than a pipe holds, so reading stdout to its end first would
        // wait forever. (Not `yes`: the runner ignores SIGPIPE, which its children inherit, and
        // `yes` then reports the closed pipe on stderr.)
        let result = try CommandRunner.system(
            "sh",
            ["-c", "head -c 1000000 /dev/zero | tr '\\0' e >&2; head -c 1000000 /dev/zero | tr '\\0' o; exit 3"]
        )
        #expect(result.status == 3)
        #expect(result.standardError.utf8.count == 1_000_000)
        #expect(result.standardOutput.utf8.count == 1_000_000)
        #expect(result.standardError.utf8.allSatisfy { $0 == UInt8(ascii: "e") })
        #expect(result.standardOutput.utf8.allSatisfy { $0 == UInt8(ascii: "o") })
    }

    @Test("standard input reaches the program", .timeLimit(.minutes(1)))
    func input() throws {
        let result = try CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["sh", "-c", "wc -c"],
            standardInput: String(repeating: "x", count: 200_000)
        )
        #expect(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "200000")
    }
}
