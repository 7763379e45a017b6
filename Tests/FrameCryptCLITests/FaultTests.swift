import Foundation
import FrameCryptTestSupport
import Testing

/// Interruptions and write faults: signals remove what was being written and exit 128+N, a write
/// that fails part-way (full disk, file size limit, full device) exits 74 and leaves nothing, an
/// output folder that cannot be written exits 73, and a batch never loses an output it finished.
@Suite("Interruptions and write faults", .serialized)
struct FaultTests {
    let folder: ScratchFolder
    let sharedKey = ["--key-file", Fixtures.keys("shared.json")]

    init() throws {
        folder = try ScratchFolder()
    }

    /// Mounts a tmpfs of `options` on the folder `name` (created); false when this process may not
    /// mount (not root), so that the caller takes its fallback.
    func mountTmpfs(_ name: String, options: String) throws -> Bool {
        try FileManager.default.createDirectory(atPath: folder.path(name), withIntermediateDirectories: true)
        guard geteuid() == 0 else { return false }
        let mounted = try CommandRunner.system("mount", ["-t", "tmpfs", "-o", options, "tmpfs", folder.path(name)])
        return mounted.status == 0
    }

    func unmount(_ name: String) {
        _ = try? CommandRunner.system("umount", [folder.path(name)])
    }

    /// Runs a shell command line with framecrypt as `$FRAMECRYPT`.
    func shell(_ script: String) throws -> CommandResult {
        try CommandRunner.run(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "FRAMECRYPT='\(CommandRunner.framecrypt.path)'; \(script)"]
        )
    }

    static let interruptions: [(command: String, signal: Int32)] = [
        ("encrypt", SIGINT), ("encrypt", SIGTERM), ("decrypt", SIGINT), ("decrypt", SIGTERM),
    ]

    @Test(
        "SIGINT and SIGTERM stop encrypt and decrypt with 130 and 143 and remove the temporary output",
        arguments: interruptions
    )
    func interrupted(command: String, signal: Int32) throws {
        defer { folder.remove() }
        let source = command == "encrypt" ? Fixtures.media("vp8-opus.webm") : Fixtures.path("cryptor/shared-key.webm")
        let keys = command == "encrypt" ? sharedKey : ["--key-file", Fixtures.path("cryptor/keys/shared.json")]
        // The input is a pipe fed part of the file, so the job waits in the middle with its output open.
        let fifo = folder.path("input.webm")
        #expect(mkfifo(fifo, 0o600) == 0)
        let process = Process()
        process.executableURL = CommandRunner.framecrypt
        process.arguments = [command, fifo, "-o", folder.path("out.webm"), "-q"] + keys
        process.standardError = FileHandle.nullDevice
        try process.run()
        let writer = try #require(FileHandle(forWritingAtPath: fifo))
        writer.write(try Data(contentsOf: URL(fileURLWithPath: source)).prefix(30_000))
        let deadline = Date().addingTimeInterval(20)
        while try !folder.names().contains(where: { $0.hasSuffix(".tmp") }) && Date() < deadline {
            usleep(20_000)
        }
        #expect(
            try folder.names().contains(where: { $0.hasPrefix(".out.webm.framecrypt-") }),
            "no temporary output seen"
        )
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        try writer.close()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 128 + signal)
        #expect(try folder.names() == ["input.webm"])
    }

    @Test("SIGTERM stops a batch with 143; every output it finished is complete and none is partial")
    func batchTerminated() throws {
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path("in"), withIntermediateDirectories: true)
        for index in 0..<30 {
            try FileManager.default.copyItem(
                atPath: Fixtures.media("h264-aac.mp4"),
                toPath: folder.path("in/clip-\(index).mp4")
            )
        }
        let process = Process()
        process.executableURL = CommandRunner.framecrypt
        process.arguments = ["encrypt", folder.path("in"), "-O", folder.path("enc"), "-j", "2", "-q"] + sharedKey
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while (try? folder.names(in: "enc").filter { $0.hasSuffix(".mp4") && !$0.hasPrefix(".") }.count) ?? 0 < 2
            && Date() < deadline
        {
            usleep(2_000)
        }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 143)
        let left = try folder.names(in: "enc")
        #expect(!left.contains { $0.hasSuffix(".tmp") }, "\(left)")
        let outputs = left.filter { $0.hasSuffix(".mp4") && !$0.hasPrefix(".") }
        #expect(!outputs.isEmpty)
        for output in outputs {
            let check = try CommandRunner.framecrypt(["verify-keys", folder.path("enc/\(output)")] + sharedKey)
            #expect(check.status == 0, "\(output) is not a complete encrypted file: \(check.standardError)")
        }
    }

    @Test("a disk that fills up (a small tmpfs, else a file size limit) gives 74 and leaves nothing")
    func diskFull() throws {
        defer { folder.remove() }
        let small = try mountTmpfs("small", options: "size=40k")
        defer { if small { unmount("small") } }
        let jobs: [(command: String, arguments: [String])] = [
            ("encrypt", ["encrypt", Fixtures.media("h264-aac.mp4"), "-o", folder.path("small/out.mp4")] + sharedKey),
            (
                "decrypt",
                [
                    "decrypt", Fixtures.path("cryptor/corrupted.mp4"), "-o", folder.path("small/out.mp4"),
                    "--on-failure",
                    "keep",
                ]
                    + ["--key-file", Fixtures.path("cryptor/keys/shared.json")]
            ),
        ]
        for (command, arguments) in jobs {
            let result =
                small
                ? try CommandRunner.framecrypt(arguments)
                : try shell("ulimit -f 40; exec \"$FRAMECRYPT\" " + arguments.map { "'\($0)'" }.joined(separator: " "))
            #expect(result.status == 74, "\(command): \(result.standardError)")
            #expect(result.standardError.contains("small/out.mp4: cannot be written: "), "\(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1)
            #expect(try folder.names(in: "small") == [])
        }
    }

    @Test("a file size limit (ulimit -f) gives 74, not a SIGXFSZ kill, and leaves nothing")
    func fileSizeLimit() throws {
        defer { folder.remove() }
        let result = try shell(
            "ulimit -f 20; exec \"$FRAMECRYPT\" encrypt '\(Fixtures.media("h264-aac.mp4"))' -o '\(folder.path("out.mp4"))' "
                + "--key-file '\(Fixtures.keys("shared.json"))'"
        )
        #expect(result.status == 74, "\(result.standardError)")
        #expect(result.standardError.contains("out.mp4: cannot be written: File too large"), "\(result.standardError)")
        #expect(try folder.names() == [])
    }

    @Test("a report on a full standard output gives 74 instead of being lost")
    func standardOutputFull() throws {
        let report = try shell(
            "\"$FRAMECRYPT\" inspect '\(Fixtures.path("cryptor/shared-key.webm"))' --json >/dev/full"
        )
        #expect(report.status == 74)
        #expect(
            report.standardError == "framecrypt: error: standard output: cannot be written: No space left on device\n"
        )
        let fine = try shell("\"$FRAMECRYPT\" inspect '\(Fixtures.path("cryptor/shared-key.webm"))' --json >/dev/null")
        #expect(fine.status == 0, "\(fine.standardError)")
    }

    @Test("an output folder on a read-only file system (else without write permission) gives 73")
    func readOnlyFolder() throws {
        defer { folder.remove() }
        let readOnly = try mountTmpfs("ro", options: "ro,size=64k")
        defer { if readOnly { unmount("ro") } }
        if !readOnly {
            #expect(chmod(folder.path("ro"), 0o555) == 0)
        }
        let result = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("opus.ogg"), "-o", folder.path("ro/out.ogg")] + sharedKey
        )
        #expect(result.status == 73, "\(result.standardError)")
        #expect(result.standardError.contains("ro/out.ogg: folder "), "\(result.standardError)")
        #expect(result.standardError.contains("is not writable"))
        #expect(try folder.names(in: "ro") == [])
    }

    @Test(
        "a batch whose disk fills up keeps the outputs it finished; the others fail with 74 and leave nothing",
        .enabled(if: geteuid() == 0, "mounting a small tmpfs needs root")
    )
    func batchDiskFull() throws {
        defer { folder.remove() }
        #expect(try mountTmpfs("out", options: "size=200k"), "cannot mount a tmpfs")
        defer { unmount("out") }
        try FileManager.default.createDirectory(atPath: folder.path("in"), withIntermediateDirectories: true)
        for index in 0..<5 {
            try FileManager.default.copyItem(
                atPath: Fixtures.media("vp8-opus.webm"),
                toPath: folder.path("in/clip-\(index).webm")
            )
        }
        let result = try CommandRunner.framecrypt(
            ["encrypt", folder.path("in"), "-O", folder.path("out"), "-j", "1", "--json"] + sharedKey
        )
        #expect(result.status == 1, "\(result.standardError)")
        let jobs = try ReportJSON.decode(ReportJSON.Batch.self, from: result).results
        let done = jobs.filter { $0.status == "ok" }
        let failed = jobs.filter { $0.status == "failed" }
        #expect(!done.isEmpty && !failed.isEmpty, "\(jobs)")
        #expect(failed.allSatisfy { $0.exitStatus == 74 }, "\(failed)")
        let left = try folder.names(in: "out")
        #expect(!left.contains { $0.hasSuffix(".tmp") }, "\(left)")
        for job in done {
            let output = try #require(job.output)
            let check = try CommandRunner.framecrypt(["verify-keys", output] + sharedKey)
            #expect(check.status == 0, "\(output): \(check.standardError)")
        }
        for job in failed {
            #expect(!FileManager.default.fileExists(atPath: try #require(job.output)))
        }
    }
}
