import ArgumentParser
import Foundation
import FrameCryptCore
import FrameCryptKit

extension FrameCrypt {
    /// `framecrypt fixtures`: the regression-fixture suite for cryptor implementations.
    struct Fixtures: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build and check the regression-fixture suite for cryptor implementations (docs/FIXTURES.md).",
            subcommands: [Build.self, Verify.self]
        )
    }
}

extension FrameCrypt.Fixtures {
    /// `framecrypt fixtures build [SUITE.json]`.
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a fixture suite from its recipe, beside the recipe.",
            discussion: """
                For each fixture of the recipe: encrypts its clear media with its keys, seed and scenario, \
                decrypts the result as a receiver would (with and without the room's server-injected-frame \
                trailer when the scenario injects server frames), stops if the receiver's states differ from \
                what the scenario predicts, exports and verifies its vectors, and writes manifest.json. The \
                same recipe gives the same bytes on every machine. \(ExitStatusDocs.sentence(.fixturesBuild))
                """
        )

        @Argument(help: ArgumentHelp("The recipe.", valueName: "suite.json"))
        var suite = "Fixtures/cryptor/suite.json"

        @Flag(name: .shortAndLong, help: "Print nothing but errors.")
        var quiet = false

        func run() throws {
            let manifest = try runReportingErrors { () throws(FrameCryptError) in
                let recipe = try FixtureSuite.load(path: suite)
                return try FixtureBuilder.build(recipe, into: recipe.folder.path) { id in
                    if !quiet { printError("building \(id)") }
                }
            }
            if !quiet {
                print("\(manifest.files.count) fixtures built beside \(suite)")
            }
        }
    }

    /// `framecrypt fixtures verify [DIR]`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a fixture suite: digests, decryptions, vectors, and a byte-identical rebuild.",
            discussion: """
                Reads DIR/manifest.json and the recipe it names. For every fixture: the file's SHA-256, each \
                listed decryption (per stream, the states a receiver reports and the SHA-256 of the packets \
                it writes), and its vectors (framecrypt vectors verify). Then rebuilds the whole suite into a \
                temporary folder and compares every file byte for byte (--no-rebuild skips this). Prints a \
                line per failed check and a summary. \(ExitStatusDocs.sentence(.fixturesVerify))
                """
        )

        @Argument(help: ArgumentHelp("The suite's folder.", valueName: "dir"))
        var folder = "Fixtures/cryptor"

        @Flag(inversion: .prefixedNo, help: "Rebuild the suite and compare bytes.")
        var rebuild = true

        @Flag(help: "Print a machine-readable JSON report instead of text.")
        var json = false

        func run() throws {
            let report = try runReportingErrors { () throws(FrameCryptError) in
                try FixtureVerifier.verify(folder: folder, rebuild: rebuild)
            }
            if json {
                try printJSON(report)
            } else {
                for check in report.checks where !check.passed {
                    print("FAIL  \(check.fixture): \(check.check): \(check.detail ?? "")")
                }
                let fixtures = Set(report.checks.map(\.fixture)).subtracting(["suite"]).count
                print(
                    "\(fixtures) fixtures, \(report.checks.count - report.failedCount) checks passed, \(report.failedCount) failed"
                )
            }
            if report.failedCount > 0 {
                throw ExitCode(ExitStatus.failure)
            }
        }
    }
}
