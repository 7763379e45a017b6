import Foundation
import FrameCryptCore
import FrameCryptKit
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCLI

/// The exit statuses come from one table: help texts say them from it, and README's tables must
/// be what it makes. `RECORD_SNAPSHOTS=1` rewrites README's tables from the table.
@Suite("Exit statuses from one table")
struct ExitStatusDocsTests {
    static let readme = Fixtures.path("../README.md")

    @Test("README's exit-status tables are the table's")
    func readme() throws {
        let text = try String(contentsOfFile: Self.readme, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        var found: [String] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard line.hasPrefix("<!-- exit-status: "), let name = line.dropFirst(18).split(separator: " (").first,
                let command = ExitStatusDocs.Command(rawValue: String(name))
            else {
                index += 1
                continue
            }
            found.append(command.rawValue)
            let end = try #require(lines[index...].firstIndex(of: "<!-- /exit-status -->"))
            let table = lines[(index + 1)..<end].joined(separator: "\n")
            if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
                lines.replaceSubrange((index + 1)..<end, with: [ExitStatusDocs.markdown(command)])
            } else {
                #expect(table == ExitStatusDocs.markdown(command), "README's table for \(command.rawValue)")
            }
            index = (lines[(index + 1)...].firstIndex(of: "<!-- /exit-status -->") ?? lines.count) + 1
        }
        #expect(found == ["framecrypt", "vectors verify"])
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try lines.joined(separator: "\n").write(toFile: Self.readme, atomically: true, encoding: .utf8)
        }
    }

    @Test(
        "every command's help ends its description with the table's sentence",
        arguments: ExitStatusDocs.Command.allCases
    )
    func help(command: ExitStatusDocs.Command) throws {
        let words = command == .framecrypt ? [] : command.rawValue.split(separator: " ").map(String.init)
        let result = try CommandRunner.framecrypt(words + ["--help"])
        #expect(result.status == 0)
        let flowing = result.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flowing.contains(ExitStatusDocs.sentence(command)), "\(command.rawValue)")
    }

    @Test("the statuses named are the ones the library's error kinds map to")
    func statuses() {
        let kinds: [FrameCryptError.Kind] = [
            .inputMissing, .malformedInput, .keyFailure, .invalidArgument, .internalFailure, .outputExists,
            .outputFailure, .writeFailure, .unsupported,
        ]
        let documented = Set(ExitStatusDocs.entries(.framecrypt).map(\.status))
        for kind in kinds {
            #expect(documented.contains(String(ExitStatus.status(for: kind))), "\(kind)")
        }
    }
}
