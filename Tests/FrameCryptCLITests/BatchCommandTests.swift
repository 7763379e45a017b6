import Foundation
import FrameCryptTestSupport
import Testing

/// Batches through the built CLI: many files at once, resumed after a kill, sharded across
/// machines, with failing files reported and the rest finished.
@Suite("Batch processing")
struct BatchCommandTests {
    let folder: URL
    let sharedKey = ["--key-file", Fixtures.keys("shared.json")]

    init() throws {
        folder = try Fixtures.temporaryDirectory()
    }

    func path(_ name: String) -> String {
        folder.appendingPathComponent(name).path
    }

    /// `count` copies of a fixture in `name/`, named `clip-00.mp4`…
    func copies(_ count: Int, of fixture: String = "h264-aac.mp4", in name: String = "in") throws -> [String] {
        try FileManager.default.createDirectory(atPath: path(name), withIntermediateDirectories: true)
        let ext = URL(fileURLWithPath: fixture).pathExtension
        return try (0..<count).map { index in
            let copy = path("\(name)/clip-\(String(format: "%02d", index)).\(ext)")
            try FileManager.default.copyItem(atPath: Fixtures.media(fixture), toPath: copy)
            return copy
        }
    }

    /// The JSON summary printed by a `--json` batch.
    func summary(_ result: CommandResult) throws -> ReportJSON.Batch {
        try ReportJSON.decode(ReportJSON.Batch.self, from: result)
    }

    func results(_ summary: ReportJSON.Batch) throws -> [ReportJSON.Batch.Job] {
        summary.results
    }

    /// Every name under `folder`, hidden ones too, relative and sorted.
    func files(under name: String) throws -> [String] {
        let root = path(name)
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(root)/\($0)", isDirectory: &isFolder)
                && !isFolder.boolValue
        }.sorted()
    }

    /// The outputs under `name` whose completion record says they finished.
    func finished(in name: String) throws -> [String] {
        try files(under: name).filter { $0.hasSuffix(".framecrypt-batch.json") }.filter {
            let record = try? Data(contentsOf: URL(fileURLWithPath: path("\(name)/\($0)")))
            return record.map { String(decoding: $0, as: UTF8.self).contains("outputCRC32C") } ?? false
        }.map { String($0.dropFirst().dropLast(".framecrypt-batch.json".count)) }
    }

    @Test("50 copies with --jobs 2: 50 outputs that decrypt to the source's packets, and a summary")
    func fiftyCopies() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = try copies(50)
        let encrypted = try CommandRunner.framecrypt(
            ["encrypt", path("in"), "--output-dir", path("enc"), "--jobs", "2", "--json"] + sharedKey
        )
        #expect(encrypted.status == 0, "\(encrypted.standardError)")
        let report = try summary(encrypted)
        #expect(report.jobs == 50)
        #expect(report.succeeded == 50)
        #expect(report.failed == 0)
        let entries = try results(report)
        #expect(entries.map { $0.input } == inputs)
        #expect(entries.allSatisfy { $0.status == "ok" && $0.frames == 117 })
        #expect(entries.allSatisfy { $0.bytesOut > $0.bytesIn })

        let decrypted = try CommandRunner.framecrypt(
            ["decrypt", path("enc"), "-O", path("dec"), "-j", "2", "--quiet"] + sharedKey
        )
        #expect(decrypted.status == 0, "\(decrypted.standardError)")
        #expect(decrypted.standardOutput.isEmpty)
        let source = try FFmpegTools.packetDigests(Fixtures.media("h264-aac.mp4"))
        for index in 0..<50 {
            let name = "clip-\(String(format: "%02d", index)).mp4"
            #expect(try FFmpegTools.packetDigests(path("enc/\(name)"), encrypted: true) != source)
            #expect(try FFmpegTools.packetDigests(path("dec/\(name)")) == source, "\(name)")
        }
    }

    @Test("killed midway (SIGKILL), a rerun finishes the rest, keeps what was complete and redoes partial output")
    func resumeAfterKill() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try copies(50)
        let arguments = ["encrypt", path("in"), "-O", path("enc"), "-j", "2", "--json"] + sharedKey
        let process = Process()
        process.executableURL = CommandRunner.framecrypt
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while try finished(in: "enc").count < 3 && Date() < deadline {
            usleep(2_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let done = try finished(in: "enc")
        let outputs = try files(under: "enc").filter { !$0.hasPrefix(".") }
        #expect(done.count >= 3 && outputs.count < 50, "\(outputs.count) outputs when killed")

        // A partial output: a complete one cut short behind its record's back, and a temporary file
        // as a killed writer leaves it.
        let cut = path("enc/\(done[0])")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: cut))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
        let stale = path("enc/.\(done[1]).framecrypt-999999999-1.tmp")
        try Data("half".utf8).write(to: URL(fileURLWithPath: stale))

        let rerun = try CommandRunner.framecrypt(arguments)
        #expect(rerun.status == 0, "\(rerun.standardError)")
        let entries = try results(try summary(rerun))
        #expect(entries.count == 50)
        let status = Dictionary(
            uniqueKeysWithValues: entries.map { ($0.output ?? "", $0.status) }
        )
        #expect(status[cut] == "ok", "the cut output is redone")
        #expect(done.dropFirst().allSatisfy { status[path("enc/\($0)")] == "skipped" })
        #expect(entries.count { $0.status == "skipped" } == done.count - 1)
        #expect(entries.allSatisfy { $0.status != "failed" })
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(try files(under: "enc").filter { $0.hasSuffix(".tmp") }.isEmpty)

        let decrypted = try CommandRunner.framecrypt(["decrypt", path("enc"), "-O", path("dec"), "-q"] + sharedKey)
        #expect(decrypted.status == 0, "\(decrypted.standardError)")
        let source = try FFmpegTools.packetDigests(Fixtures.media("h264-aac.mp4"))
        #expect(try FFmpegTools.packetDigests(path("dec/\(done[0])")) == source)

        let third = try CommandRunner.framecrypt(arguments)
        #expect(try summary(third).skipped == 50)
    }

    @Test("a rerun keeps outputs made under the same options, redoes them under changed ones, whatever --jobs says")
    func rerunSettings() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try copies(2, of: "vp8-opus.webm")
        let base = ["encrypt", path("in"), "-O", path("enc"), "--json"] + sharedKey
        let statuses = { (extra: [String]) throws -> [String] in
            let result = try CommandRunner.framecrypt(base + extra)
            #expect(result.status == 0, "\(result.standardError)")
            return try results(try summary(result)).map(\.status)
        }
        #expect(try statuses([]) == ["ok", "ok"])
        #expect(try statuses(["--jobs", "1"]) == ["skipped", "skipped"])
        #expect(try statuses(["--frame-metadata"]) == ["ok", "ok"])
        #expect(try statuses(["--frame-metadata", "-j", "2"]) == ["skipped", "skipped"])
        #expect(try statuses(["--frame-metadata", "--format", "mkv"]) == ["ok", "ok"])
    }

    @Test("SIGINT stops a batch with 130, leaves no temporary file, and keeps every finished output")
    func interrupted() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try copies(50)
        let process = Process()
        process.executableURL = CommandRunner.framecrypt
        process.arguments = ["encrypt", path("in"), "-O", path("enc"), "-j", "2", "-q"] + sharedKey
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while try finished(in: "enc").isEmpty && Date() < deadline {
            usleep(2_000)
        }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let done = try finished(in: "enc")
        let left = try files(under: "enc")
        #expect(left.filter { $0.hasSuffix(".tmp") }.isEmpty, "\(left)")
        let rerun = try CommandRunner.framecrypt(
            ["encrypt", path("in"), "-O", path("enc"), "-j", "2", "--json"] + sharedKey
        )
        #expect(rerun.status == 0, "\(rerun.standardError)")
        let entries = try results(try summary(rerun))
        let skipped = entries.filter { $0.status == "skipped" }.compactMap { $0.output }
        #expect(Set(skipped) == Set(done.map { path("enc/\($0)") }))
    }

    @Test("--shard 0/3, 1/3 and 2/3 cover a manifest exactly once")
    func shards() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = try copies(10, of: "vp8-opus.webm")
        let lines = inputs.map { #"{"input": "in/\#(URL(fileURLWithPath: $0).lastPathComponent)"}"# }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path("jobs.jsonl")))
        var seen: [String] = []
        for shard in 0..<3 {
            let result = try CommandRunner.framecrypt(
                ["inspect", "--manifest", path("jobs.jsonl"), "--shard", "\(shard)/3", "--json"]
            )
            #expect(result.status == 0, "\(result.standardError)")
            let report = try summary(result)
            #expect(report.shard == "\(shard)/3")
            #expect(report.listed == 10)
            let taken = try results(report).compactMap { $0.input }
            #expect(taken.count == [4, 3, 3][shard])
            seen += taken
        }
        #expect(seen.sorted() == inputs.map { path("in/" + URL(fileURLWithPath: $0).lastPathComponent) }.sorted())
        #expect(Set(seen).count == 10)
        let empty = try CommandRunner.framecrypt(["inspect", "--manifest", path("jobs.jsonl"), "--shard", "12/20"])
        #expect(empty.status == 0, "a shard with no jobs is not an error: \(empty.standardError)")
        let bad = try CommandRunner.framecrypt(["inspect", "--manifest", path("jobs.jsonl"), "--shard", "3/3"])
        #expect(bad.status == 64)
        #expect(bad.standardError.contains("0 <= I < N"))
    }

    @Test("a corrupt file and a wrong key are reported, the rest finish, exit 1, nothing partial left")
    func failingJobs() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try copies(3)
        let media = try Data(contentsOf: URL(fileURLWithPath: Fixtures.media("h264-aac.mp4")))
        try media.prefix(30_000).write(to: URL(fileURLWithPath: path("in/corrupt.mp4")))
        let manifest = [
            #"{"input": "in/clip-00.mp4", "output": "out/clip-00.mp4"}"#,
            #"{"input": "in/clip-01.mp4", "output": "out/wrong-key.mp4", "keyFile": "\#(Fixtures.keys("wrong-shared.json"))"}"#,
            #"{"input": "in/clip-02.mp4", "output": "out/nested/clip-02.mp4", "participant": "alice"}"#,
        ]
        try Data(manifest.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path("jobs.jsonl")))
        let encrypted = try CommandRunner.framecrypt(
            ["encrypt", "--manifest", path("jobs.jsonl"), "--json"] + sharedKey
        )
        #expect(encrypted.status == 0, "\(encrypted.standardError)")
        // The third file was encrypted under its own key file and decrypts with it; the fourth is
        // given the wrong key.
        let decrypting = [
            #"{"input": "out/clip-00.mp4", "output": "dec/clip-00.mp4"}"#,
            #"{"input": "in/corrupt.mp4", "output": "dec/corrupt.mp4"}"#,
            #"{"input": "out/wrong-key.mp4", "output": "dec/wrong-key.mp4", "keyFile": "\#(Fixtures.keys("wrong-shared.json"))"}"#,
            #"{"input": "out/nested/clip-02.mp4", "output": "dec/clip-02.mp4", "keyFile": "\#(Fixtures.keys("wrong-shared.json"))"}"#,
            #"{"input": "in/absent.mp4", "output": "dec/absent.mp4"}"#,
        ]
        try Data(decrypting.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path("decrypt.jsonl")))
        let result = try CommandRunner.framecrypt(
            ["decrypt", "--manifest", path("decrypt.jsonl"), "--json", "-j", "2"] + sharedKey
        )
        #expect(result.status == 1)
        let entries = try results(try summary(result))
        #expect(entries.map { $0.status } == ["ok", "failed", "ok", "failed", "failed"])
        #expect(entries.map { $0.exitStatus } == [0, 65, 0, 1, 66])
        #expect(entries[1].error?.contains("corrupt.mp4") == true)
        #expect(entries[3].error?.contains("does not decrypt") == true)
        let stderr = result.standardError.split(separator: "\n")
        #expect(stderr.count == 3, "\(result.standardError)")
        #expect(try summary(encrypted).succeeded == 3)
        #expect(stderr.allSatisfy { $0.hasPrefix("framecrypt: failed: ") })
        #expect(try files(under: "dec").filter { !$0.hasPrefix(".") } == ["clip-00.mp4", "wrong-key.mp4"])
        #expect(try files(under: "dec").filter { $0.hasSuffix(".tmp") }.isEmpty)
        let source = try FFmpegTools.packetDigests(Fixtures.media("h264-aac.mp4"))
        #expect(try FFmpegTools.packetDigests(path("dec/clip-00.mp4")) == source)
    }

    @Test("verify-keys over a folder writes one report per file and fails when a file's keys do not fit")
    func verifyKeysBatch() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try copies(2, of: "vp8-opus.webm")
        let encrypted = try CommandRunner.framecrypt(["encrypt", path("in"), "-O", path("enc"), "-q"] + sharedKey)
        #expect(encrypted.status == 0, "\(encrypted.standardError)")
        let ok = try CommandRunner.framecrypt(["verify-keys", path("enc"), "-O", path("reports")] + sharedKey)
        #expect(ok.status == 0, "\(ok.standardError)")
        #expect(
            try files(under: "reports").filter { !$0.hasPrefix(".") } == [
                "clip-00.webm.verify-keys.json", "clip-01.webm.verify-keys.json",
            ]
        )
        let report = try JSONDecoder().decode(
            ReportJSON.KeyVerification.self,
            from: Data(contentsOf: URL(fileURLWithPath: path("reports/clip-00.webm.verify-keys.json")))
        )
        #expect(report.ok)
        #expect(ok.standardOutput.contains("verify-keys: 2 jobs, 2 ok, 0 skipped, 0 failed"))
        let wrong = try CommandRunner.framecrypt(
            ["verify-keys", path("enc"), "--json", "--key-file", Fixtures.keys("wrong-shared.json")]
        )
        #expect(wrong.status == 1)
        let entries = try results(try summary(wrong))
        #expect(
            entries.map { $0.keyStatus } == [["wrong-key", "wrong-key"], ["wrong-key", "wrong-key"]]
        )
    }

    @Test(
        "batch refusals: usage errors exit 64 with one line and write nothing",
        arguments: [
            (["encrypt", "IN", "-o", "x.mp4"], "for a batch use --output-dir"),
            (["encrypt", "IN"], "no output; give --output-dir"),
            (["encrypt", "IN", "-O", "OUT", "--seed", "1"], "--seed"),
            (["encrypt", "IN", "-O", "OUT", "--name", "{stem}.{nope}"], "unknown placeholder {nope}"),
            (["encrypt", "IN", "-O", "OUT", "--name", "fixed.mp4"], "must use {name} or {stem}"),
            (["encrypt", "IN", "-O", "IN"], "is an input of the batch"),
            (["encrypt", "IN", "IN", "-O", "OUT"], "would both write"),
            (["inspect", "IN", "--frames"], "apply to one file"),
            (["encrypt", "IN", "-O", "OUT", "--jobs", "0"], "--jobs must be 1 or more"),
        ]
    )
    func refusals(arguments: [String], message: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try copies(2)
        let before = try files(under: "")
        let resolved = arguments.map { $0 == "IN" ? path("in") : $0 == "OUT" ? path("out") : $0 }
        let result = try CommandRunner.framecrypt(resolved + sharedKey)
        #expect(result.status == 64, "\(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(try files(under: "") == before)
    }

    @Test("outputs named from a manifest stay inside the output folder, even for inputs given with ..")
    func outputsStayInside() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try copies(1, of: "opus.ogg", in: "other")
        try FileManager.default.createDirectory(atPath: path("lists"), withIntermediateDirectories: true)
        try Data(#"{"input": "../other/clip-00.ogg"}"#.utf8).write(to: URL(fileURLWithPath: path("lists/jobs.jsonl")))
        let result = try CommandRunner.framecrypt([
            "inspect", "--manifest", path("lists/jobs.jsonl"), "-O", path("out"),
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let written = try files(under: "out").filter { !URL(fileURLWithPath: $0).lastPathComponent.hasPrefix(".") }
        #expect(written == ["other/clip-00.ogg.inspect.json"])
        #expect(result.standardOutput.contains("inspect: 1 job, 1 ok, 0 skipped, 0 failed in "))
    }

    @Test("a malformed manifest line names its line and exits 65")
    func malformedManifest() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try copies(1)
        try Data("{\"input\": \"in/clip-00.mp4\"}\n\n{\"input\": \"in/clip-00.mp4\", \"keys\": 1}\n".utf8)
            .write(to: URL(fileURLWithPath: path("jobs.jsonl")))
        let result = try CommandRunner.framecrypt(["inspect", "--manifest", path("jobs.jsonl")])
        #expect(result.status == 65)
        #expect(
            result.standardError.contains("jobs.jsonl:3: top level: unknown field \"keys\""),
            "\(result.standardError)"
        )
    }
}
