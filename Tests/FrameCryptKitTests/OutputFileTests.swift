import Foundation
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCore

/// Outputs in-process: a temporary beside the target, renamed only on commit, nothing left on
/// abandon, and the refusals that keep an existing file.
@Suite("Output files")
struct OutputFileTests {
    @Test("a committed output replaces nothing until the commit, then holds exactly what was written")
    func commit() throws {
        let folder = try ScratchFolder()
        let target = folder.path("out.json")
        let output = try OutputFile(target: target, overwrite: false)
        #expect(output.temporary != target)
        #expect(URL(fileURLWithPath: output.temporary).deletingLastPathComponent().path == folder.url.path)
        try output.write(Data("{}\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: target))
        try output.commit()
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "{}\n")
        #expect(!FileManager.default.fileExists(atPath: output.temporary))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["out.json"])
    }

    @Test("an abandoned output leaves no file, and the existing target keeps its bytes")
    func abandon() throws {
        let folder = try ScratchFolder()
        let target = folder.path("out.json")
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        let output = try OutputFile(target: target, overwrite: true)
        try output.write(Data("new".utf8))
        output.abandon()
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["out.json"])
    }

    @Test("an existing file without overwrite, a directory and a missing folder are refused with their kinds")
    func refusals() throws {
        let folder = try ScratchFolder()
        let existing = folder.path("exists")
        try Data().write(to: URL(fileURLWithPath: existing))
        let cases: [(String, Bool, FrameCryptError.Kind, FrameCryptError.Remedy?)] = [
            (existing, false, .outputExists, .overwrite),
            (folder.url.path, true, .outputFailure, nil),
            (folder.path("missing/out.json"), true, .outputFailure, nil),
        ]
        for (target, overwrite, kind, remedy) in cases {
            let error = #expect(throws: FrameCryptError.self) { try OutputFile(target: target, overwrite: overwrite) }
            #expect(error?.kind == kind, "\(target)")
            #expect(error?.remedy == remedy, "\(target)")
        }
    }

    @Test("a character device is written in place, never replaced")
    func device() throws {
        let output = try OutputFile(target: "/dev/null", overwrite: false)
        #expect(output.temporary == "/dev/null")
        try output.write(Data("discarded".utf8))
        try output.commit()
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
    }
}
