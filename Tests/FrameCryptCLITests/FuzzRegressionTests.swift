import Foundation
import FrameCryptTestSupport
import Testing

/// The media files the container fuzz target once crashed on (Fuzz/regressions/FuzzContainer/),
/// through every subcommand that reads media: each answers with a result or one line and its exit
/// status, and leaves no output behind when it fails.
@Suite("Fuzz regressions through the CLI")
struct FuzzRegressionTests {
    static let inputs: [String] = {
        let folder = Fixtures.packageRoot.appendingPathComponent("Fuzz/regressions/FuzzContainer").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.sorted().map { "\(folder)/\($0)" }
    }()

    @Test("the kept inputs exist")
    func kept() {
        #expect(Self.inputs.count >= 2)
    }

    @Test("inspect, verify-keys and decrypt handle each kept input", arguments: inputs)
    func handled(input: String) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = ["--key-file", Fixtures.packageRoot.appendingPathComponent("Fuzz/keys/hkdf-shared.json").path]
        let output = folder.appendingPathComponent("out.mkv").path
        // verify-keys exits 1 with its report, not an error line, when the keys do not open the file.
        let runs: [(arguments: [String], allowed: Set<Int32>, reportOnly: Set<Int32>)] = [
            (["inspect", input], [0, 65], []),
            (["inspect", input, "--json"], [0, 65], []),
            (["verify-keys", input] + keys, [0, 1, 65], [1]),
            (["decrypt", input, "-o", output, "--on-failure", "drop"] + keys, [0, 1, 65], []),
        ]
        for (arguments, allowed, reportOnly) in runs {
            let result = try CommandRunner.framecrypt(arguments)
            let command = arguments.prefix(1) + arguments.dropFirst(2)
            #expect(allowed.contains(result.status), "\(command): exit \(result.status): \(result.standardError)")
            if result.status != 0 && !reportOnly.contains(result.status) {
                #expect(result.standardError.split(separator: "\n").count == 1, "\(command): \(result.standardError)")
            }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(left.allSatisfy { $0 == "out.mkv" }, "left behind: \(left)")
    }
}
