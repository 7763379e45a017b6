import Foundation
import FrameCryptTestSupport
import Testing

/// Keys from a key service (`--key-url`), from a command (`--key-command`) and from files that
/// others may read: real HTTPS on 127.0.0.1, real programs, and the real CLI.
@Suite("Key sources", .serialized)
final class KeySourceTests {
    static let keys = #"{"sharedKey": {"text": "key-service room key 6f1e"}}"#
    static let keyText = "key-service room key 6f1e"

    let service: KeyServiceFixture
    var folder: ScratchFolder { service.folder }

    init() throws {
        service = try KeyServiceFixture(serving: Self.keys)
    }

    deinit {
        service.stop()
    }

    /// Runs framecrypt with `FC_TOKEN` set in its environment.
    func framecrypt(_ arguments: [String]) throws -> CommandResult {
        try CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["FC_TOKEN=\(KeyServiceFixture.token)", CommandRunner.framecrypt.path] + arguments
        )
    }

    static func contents(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    var urlOptions: [String] {
        ["--key-url", service.keysURL, "--key-url-ca", service.authorities]
            + ["--key-url-header", "Authorization: Bearer $FC_TOKEN"]
    }

    @Test("encrypt and decrypt with keys from an HTTPS key service give the same files as with the key file")
    func keyServiceRoundTrip() throws {
        let input = Fixtures.media("vp8-opus.webm")
        let encrypted = folder.path("enc.webm")
        let viaService = try framecrypt(["encrypt", input, "-o", encrypted, "--seed", "7"] + urlOptions)
        #expect(viaService.status == 0, "\(viaService.standardError)")
        let viaFile = try framecrypt(
            ["encrypt", input, "-o", folder.path("enc-file.webm"), "--seed", "7", "--key-file", service.keyFile]
        )
        #expect(viaFile.status == 0, "\(viaFile.standardError)")
        #expect(try Self.contents(encrypted) == Self.contents(folder.path("enc-file.webm")))
        let decrypted = try framecrypt(["decrypt", encrypted, "-o", folder.path("dec.webm")] + urlOptions)
        #expect(decrypted.status == 0, "\(decrypted.standardError)")
        let verified = try framecrypt(["verify-keys", encrypted, "--json"] + urlOptions)
        #expect(verified.status == 0, "\(verified.standardError)")
        let packets = try FFmpegTools.packetDigests(folder.path("dec.webm"))
        #expect(packets == (try FFmpegTools.packetDigests(input)))
    }

    @Test("plain http is accepted to a loopback address")
    func loopbackHTTP() throws {
        let result = try framecrypt(
            ["keys", "show", "--key-url", "http://127.0.0.1:\(service.plainPort)/keys/room"]
                + ["--key-url-header", "Authorization: Bearer ${FC_TOKEN}"]
        )
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("shared key, index 0: fingerprint "))
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let name: String
        let options: @Sendable (KeyServiceFixture) -> [String]
        let status: Int32
        let message: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(
            name: "a CA that did not sign the server's certificate",
            options: { ["--key-url", $0.keysURL, "--key-url-ca", $0.otherAuthorities] },
            status: 1,
            message: "certificate"
        ),
        Refusal(
            name: "a certificate for another host name",
            options: {
                ["--key-url", "https://127.0.0.1:\($0.wrongHostPort)/keys/room?\(KeyServiceFixture.query)"]
                    + ["--key-url-ca", $0.authorities]
            },
            status: 1,
            message: "host name"
        ),
        Refusal(
            name: "the system's CAs, which do not know the test CA",
            options: { ["--key-url", $0.keysURL] },
            status: 1,
            message: "not verified against the system's certificate authorities"
        ),
        Refusal(
            name: "no token (401)",
            options: { ["--key-url", $0.keysURL, "--key-url-ca", $0.authorities] },
            status: 1,
            message: "answered HTTP 401"
        ),
        Refusal(
            name: "a token variable that is not set",
            options: {
                ["--key-url", $0.keysURL, "--key-url-ca", $0.authorities]
                    + ["--key-url-header", "Authorization: Bearer $FC_NO_SUCH_TOKEN"]
            },
            status: 64,
            message: "environment variable FC_NO_SUCH_TOKEN is not set"
        ),
        Refusal(
            name: "http:// to an address that is not loopback",
            options: { _ in ["--key-url", "http://192.0.2.10/keys/room?\(KeyServiceFixture.query)"] },
            status: 64,
            message: "plain http is allowed only to a loopback address"
        ),
        Refusal(
            name: "an answer larger than a key file may be",
            options: { ["--key-url", "https://127.0.0.1:\($0.port)/huge", "--key-url-ca", $0.authorities] },
            status: 1,
            message: "answered with more than 1048576 bytes"
        ),
        Refusal(
            name: "a server that never answers",
            options: {
                [
                    "--key-url", "https://127.0.0.1:\($0.port)/hang", "--key-url-ca", $0.authorities, "--key-timeout",
                    "2",
                ]
            },
            status: 1,
            message: "no answer within 2 s"
        ),
        Refusal(
            name: "a redirect to plain http",
            options: { ["--key-url", "https://127.0.0.1:\($0.port)/to-http", "--key-url-ca", $0.authorities] },
            status: 1,
            message: "only https redirects are followed"
        ),
        Refusal(
            name: "an answer that is not a key file",
            options: {
                ["--key-url", "https://127.0.0.1:\($0.port)/nothing", "--key-url-ca", $0.authorities]
            },
            status: 1,
            message: "answered HTTP 404"
        ),
    ]

    @Test(
        "a key service that cannot be trusted or used fails with one line, and nothing is written",
        arguments: refusals
    )
    func refused(_ refusal: Refusal) throws {
        let output = folder.path("refused.webm")
        let started = Date()
        let result = try framecrypt(
            ["encrypt", Fixtures.media("vp8-opus.webm"), "-o", output, "--key-url-header", "X-Trace: $FC_TOKEN"]
                + refusal.options(service)
        )
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(result.status == refusal.status, "\(result.standardError)")
        #expect(result.standardError.contains(refusal.message), "\(result.standardError)")
        #expect(result.standardError.hasPrefix("framecrypt: error: key service "), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        for secret in [KeyServiceFixture.token, KeyServiceFixture.query, "keys/room", Self.keyText] {
            #expect(!result.standardError.contains(secret), "the error shows \(secret)")
        }
        #expect(!FileManager.default.fileExists(atPath: output))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter {
            $0.contains("refused")
        }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("a redirect to https is followed")
    func httpsRedirect() throws {
        let result = try framecrypt(
            ["keys", "show", "--key-url", "https://127.0.0.1:\(service.port)/to-https", "--key-url-ca"]
                + [service.authorities, "--key-url-header", "Authorization: Bearer $FC_TOKEN"]
        )
        #expect(result.status == 0, "\(result.standardError)")
    }

    // MARK: - Key commands

    @Test("--key-command reads a key file from a program's output, without a shell")
    func keyCommand() throws {
        let encrypted = folder.path("cmd.webm")
        let viaCommand = try framecrypt(
            ["encrypt", Fixtures.media("opus.ogg"), "-o", encrypted, "--seed", "3"]
                + ["--key-command", "cat '\(service.keyFile)'"]
        )
        #expect(viaCommand.status == 0, "\(viaCommand.standardError)")
        let viaFile = try framecrypt(
            ["encrypt", Fixtures.media("opus.ogg"), "-o", folder.path("file.webm"), "--seed", "3"]
                + ["--key-file", service.keyFile]
        )
        #expect(viaFile.status == 0)
        #expect(try Self.contents(encrypted) == Self.contents(folder.path("file.webm")))
        // No shell: a ; is an argument of cat, not a second command.
        let literal = try framecrypt(["keys", "show", "--key-command", "cat \(service.keyFile) ; true"])
        #expect(literal.status == 1)
        #expect(literal.standardError.contains("exited with status 1"), "\(literal.standardError)")
    }

    static let failingCommands: [(command: String, status: Int32, message: String)] = [
        (#"sh -c 'echo leaked-output-7; echo to-stderr >&2; exit 3'"#, 1, "exited with status 3"),
        (#"sh -c 'echo leaked-output-7 not json'"#, 65, "not valid JSON"),
        (#"sh -c 'echo leaked-output-7; exec sleep 30'"#, 1, "did not finish within 1 s"),
        (#"sh -c 'sleep 30 & echo {}; wait'"#, 1, "did not finish within 1 s"),
        ("no-such-program-framecrypt", 1, "not found"),
        (#"sh -c 'kill -9 $$'"#, 1, "killed by signal 9"),
        ("sh -c 'unclosed", 64, "unclosed ' quote"),
    ]

    @Test(
        "a failing, hanging or silent key command fails clearly, naming the command and never its output",
        arguments: failingCommands
    )
    func failingCommand(_ command: String, _ status: Int32, _ message: String) throws {
        let output = folder.path("cmd-refused.webm")
        let started = Date()
        let result = try framecrypt(
            ["encrypt", Fixtures.media("opus.ogg"), "-o", output, "--key-command", command, "--key-timeout", "1"]
        )
        #expect(Date().timeIntervalSince(started) < 10, "the deadline did not stop the command")
        #expect(result.status == status, "\(result.standardError)")
        let lines = result.standardError.split(separator: "\n").filter { $0.hasPrefix("framecrypt:") }
        #expect(lines.count == 1, "\(result.standardError)")
        #expect(lines.first?.contains(message) == true, "\(result.standardError)")
        if status != 64 {
            #expect(lines.first?.contains("key command '") == true)
        }
        #expect(!lines.contains { $0.contains("leaked-output-7") && !$0.contains("echo leaked") })
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("the command's standard error reaches the user")
    func commandStandardError() throws {
        let result = try framecrypt(["keys", "show", "--key-command", #"sh -c 'echo vault says hello >&2; exit 2'"#])
        #expect(result.status == 1)
        #expect(result.standardError.contains("vault says hello"))
    }

    @Test("a batch runs each distinct key command once, however many jobs name it")
    func batchFetchesOnce() throws {
        let counter = folder.path("runs.txt")
        let command = #"sh -c 'echo run >> \#(counter); cat \#(service.keyFile)'"#
        let escaped = command.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        var lines: [String] = []
        for (index, clip) in ["vp8-opus.webm", "opus.ogg", "h264-aac.mp4"].enumerated() {
            lines.append(
                #"{"input": "\#(Fixtures.media(clip))", "output": "\#(folder.path("batch-\(index).mkv"))", "keyCommand": "\#(escaped)"}"#
            )
        }
        lines.append(
            #"{"input": "\#(Fixtures.media("vp9-opus.webm"))", "output": "\#(folder.path("batch-url.mkv"))", "keyUrl": "\#(service.keysURL)"}"#
        )
        let manifest = folder.path("jobs.jsonl")
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: manifest))
        let result = try framecrypt(
            ["encrypt", "--manifest", manifest, "--jobs", "3", "--key-url-ca", service.authorities]
                + ["--key-url-header", "Authorization: Bearer $FC_TOKEN"]
        )
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try String(contentsOfFile: counter, encoding: .utf8) == "run\n")
        for index in 0..<3 {
            let decrypted = try framecrypt(
                ["decrypt", folder.path("batch-\(index).mkv"), "-o", folder.path("dec-\(index).mkv")]
                    + ["--key-file", service.keyFile]
            )
            #expect(decrypted.status == 0, "\(decrypted.standardError)")
        }
        #expect(FileManager.default.fileExists(atPath: folder.path("batch-url.mkv")))
    }

    // MARK: - Custody

    @Test("a key file that group or others may read is refused unless allowed", arguments: [0o640, 0o604, 0o660])
    func sharedKeyFileRefused(_ mode: Int) throws {
        let keyFile = folder.path("open.json")
        try Data(Self.keys.utf8).write(to: URL(fileURLWithPath: keyFile))
        chmod(keyFile, mode_t(mode))
        let output = folder.path("open.webm")
        let refused = try framecrypt(["encrypt", Fixtures.media("opus.ogg"), "-o", output, "--key-file", keyFile])
        #expect(refused.status == 65)
        #expect(
            refused.standardError.contains("permissions 0\(String(mode, radix: 8)) are too open"),
            "\(refused.standardError)"
        )
        #expect(!FileManager.default.fileExists(atPath: output))
        let allowed = try framecrypt(
            ["encrypt", Fixtures.media("opus.ogg"), "-o", output, "--key-file", keyFile, "--allow-shared-key-file"]
        )
        #expect(allowed.status == 0, "\(allowed.standardError)")
        let manifest = folder.path("open.jsonl")
        try Data(
            #"{"input": "\#(Fixtures.media("opus.ogg"))", "output": "\#(folder.path("job.webm"))", "keyFile": "\#(keyFile)"}"#
                .utf8
        ).write(to: URL(fileURLWithPath: manifest))
        let batch = try framecrypt(["encrypt", "--manifest", manifest])
        #expect(batch.status == 1)
        #expect(batch.standardError.contains("are too open"), "\(batch.standardError)")
    }

    @Test("with keys held, the process writes no core file: a key command inherits a core limit of 0")
    func coreDumpsOff() throws {
        let result = try framecrypt(
            ["keys", "show", "--key-command", "sh -c 'echo core=$(ulimit -c) >&2; cat \(service.keyFile)'"]
        )
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("core=0"), "\(result.standardError)")
    }

    // MARK: - Hygiene

    @Test("no output, error or file of any key source run holds a key, the token, the query or a key file's body")
    func nothingLeaks() throws {
        let generated = folder.path("generated.json")
        let media = Fixtures.media("opus.ogg")
        let runs: [[String]] = [
            ["encrypt", media, "-o", folder.path("h1.webm"), "--verbose", "--json"] + urlOptions,
            ["verify-keys", folder.path("h1.webm"), "--verbose", "--json"] + urlOptions,
            ["encrypt", media, "-o", folder.path("h2.webm"), "--key-url", service.keysURL, "--key-url-ca"]
                + [service.authorities, "--key-url-header", "X-Token: $FC_TOKEN"],
            ["decrypt", folder.path("h1.webm"), "-o", folder.path("h3.webm"), "--verbose"]
                + ["--key-command", "cat \(service.keyFile)"],
            ["decrypt", folder.path("h1.webm"), "-o", folder.path("h4.webm")]
                + ["--key-command", "sh -c 'cat \(service.keyFile); exit 1'"],
            ["decrypt", folder.path("h1.webm"), "-o", folder.path("h5.webm")]
                + ["--key-command", "grep -o 'key-service[^\"]*' \(service.keyFile)"],
            ["keys", "generate", "-o", generated, "--participants", "alice,bob"],
            ["keys", "add", generated, "--index", "2", "--participant", "bob"],
            ["keys", "show", generated, "--json"],
            ["keys", "show"] + urlOptions,
        ]
        var printed: [(String, String)] = []
        for arguments in runs {
            let result = try framecrypt(arguments)
            printed.append(("\(arguments.prefix(2)) stdout", result.standardOutput))
            printed.append(("\(arguments.prefix(2)) stderr", result.standardError))
        }
        #expect(FileManager.default.fileExists(atPath: folder.path("h3.webm")))
        let generatedKeys = try KeysCommandTests.keyStrings(in: generated)
        #expect(generatedKeys.count == 3)
        let body = try String(contentsOfFile: service.keyFile, encoding: .utf8)
        var secrets = [Self.keyText, KeyServiceFixture.token, KeyServiceFixture.query, body] + generatedKeys
        secrets += [Self.keyText, KeyServiceFixture.token].flatMap { text in
            [Data(text.utf8).base64EncodedString(), text.utf8.map { String(format: "%02x", $0) }.joined()]
        }
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.url.path)
            .filter { !["served.json", "generated.json"].contains($0) }
            .filter { !$0.hasSuffix(".pem") && !$0.hasSuffix(".key") && !$0.hasSuffix(".csr") }
        #expect(!files.contains { $0.contains("framecrypt-") && $0.hasSuffix(".tmp") }, "\(files)")
        var haystacks = printed
        for file in files {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: folder.path(file)))) ?? Data()
            haystacks.append((file, String(decoding: data, as: UTF8.self)))
        }
        for secret in secrets {
            for (place, text) in haystacks where text.contains(secret) {
                Issue.record("\(place) holds a secret (\(secret.count) characters)")
            }
        }
    }

    // MARK: - The docs

    @Test("docs/KEYS.md's worked key-service example runs as written")
    func documentedExample() throws {
        let docs = try String(
            contentsOf: Fixtures.packageRoot.appendingPathComponent("docs/KEYS.md"),
            encoding: .utf8
        )
        let opening = try #require(docs.range(of: "```sh\nmkdir -p /tmp/ks"))
        let start = docs.index(opening.lowerBound, offsetBy: "```sh\n".count)
        let end = try #require(docs.range(of: "```", range: start..<docs.endIndex))
        let port = 20_000 + Int(getpid() % 20_000)
        let script = String(docs[start..<end.lowerBound])
            .replacingOccurrences(of: "/tmp/ks", with: folder.path("ks"))
            .replacingOccurrences(of: "8443", with: String(port))
        let binaries = CommandRunner.framecrypt.deletingLastPathComponent().path
        let result = try CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "PATH=\(binaries):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")", "bash", "-e",
                "-c",
                // The server must not outlive the script, whose output pipe it holds open; SIGKILL,
                // because the test process ignores SIGTERM and its children inherit that.
                "trap 'kill -9 $(jobs -p) 2>/dev/null' EXIT\ncd \(Fixtures.packageRoot.path)\n" + script,
            ]
        )
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("keys ok"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("the given key authenticates the frames"))
    }
}
