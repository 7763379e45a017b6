import Foundation
import FrameCryptCore
import FrameCryptKit
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCLI

/// The library says what a user can do about a failure; only the command line names the options
/// that do it.
@Suite("Errors and their remedies")
struct ErrorRemedyTests {
    @Test("library errors carry a remedy and name no option; the command line words it")
    func remedies() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let existing = folder.appendingPathComponent("out.mkv").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: existing))
        let source = Fixtures.media("vp8-opus.webm")
        let perParticipant = try KeyFile.load(path: Fixtures.keys("participants.json"))
        let shared = try KeyFile.load(path: Fixtures.keys("shared.json"))
        let cases: [(FrameCryptError.Remedy, () throws -> ProcessingReport, String)] = [
            (
                .overwrite,
                {
                    try MediaEncryption.run(
                        EncryptRequest(files: FileJob(input: source, output: existing), keys: shared)
                    )
                }, "(use --force to overwrite)"
            ),
            (
                .nameParticipant(stream: 0),
                {
                    try MediaEncryption.run(
                        EncryptRequest(files: FileJob(input: source, output: existing + ".2.mkv"), keys: perParticipant)
                    )
                },
                "; use --participant ID or --map 0=ID"
            ),
            (
                .chooseFormat(["mkv", "mp4", "mov"]),
                {
                    try MediaEncryption.run(
                        EncryptRequest(
                            files: FileJob(input: Fixtures.media("h264-aac.mp4"), output: existing + ".webm"),
                            keys: shared
                        )
                    )
                },
                "; write .mkv instead (-o NAME.mkv or --format mkv)"
            ),
        ]
        for (remedy, job, advice) in cases {
            let error = #expect(throws: FrameCryptError.self) { try job() }
            #expect(error?.remedy == remedy, "\(String(describing: error))")
            #expect(error?.message.contains("--") == false, "\(error?.message ?? "")")
            let line = RemedyText.line(error?.message ?? "", remedy: error?.remedy)
            #expect(line.contains(advice), "\(line)")
        }
    }

    @Test("through the CLI the remedy's options follow the message")
    func throughCLI() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.webm").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: output))
        let result = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("vp8-opus.webm"), "-o", output, "--key-file", Fixtures.keys("shared.json")]
        )
        #expect(result.status == 80)
        #expect(
            result.standardError.hasSuffix("already exists (use --force to overwrite)\n"),
            "\(result.standardError)"
        )
    }
}
