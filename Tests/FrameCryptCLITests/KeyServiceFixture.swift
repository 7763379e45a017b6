import Foundation
import FrameCryptTestSupport
import Testing

/// A real key service for tests: `scripts/key-server.py` (Python's http.server with ssl) on
/// 127.0.0.1, with certificates made by the `openssl` CLI: a test CA, a server certificate for
/// 127.0.0.1 and localhost signed by it, another CA that signed nothing the server shows, and a
/// second server whose certificate names another host.
final class KeyServiceFixture {
    static let token = "tok-5e4c1a7b9d-bearer"
    /// A query parameter that stands for a signed URL's token; it must never be shown either.
    static let query = "sig=q7u9e8r6y-signature"

    let folder: ScratchFolder
    let keyFile: String
    private(set) var servers: [Process] = []
    private(set) var port = 0
    private(set) var wrongHostPort = 0
    private(set) var plainPort = 0

    var authorities: String { folder.path("ca.pem") }
    var otherAuthorities: String { folder.path("other-ca.pem") }

    /// Makes the certificates and starts three servers serving `keys`: HTTPS, HTTPS under a
    /// certificate for another host name, and plain HTTP.
    init(serving keys: String) throws {
        folder = try ScratchFolder()
        keyFile = folder.path("served.json")
        try Data(keys.utf8).write(to: URL(fileURLWithPath: keyFile))
        try makeCertificates()
        port = try start(["--cert", folder.path("server.pem"), "--key", folder.path("server.key")])
        wrongHostPort = try start(["--cert", folder.path("wrong-host.pem"), "--key", folder.path("wrong-host.key")])
        plainPort = try start([])
    }

    /// Stops the servers and removes the folder. SIGKILL, because a test process that ignores
    /// SIGTERM (framecrypt's interrupt handling does) passes that on to the programs it starts.
    func stop() {
        for server in servers where server.isRunning {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        folder.remove()
    }

    /// The key file's URL, with a query that must stay secret.
    var keysURL: String {
        "https://127.0.0.1:\(port)/keys/room?\(Self.query)"
    }

    private func makeCertificates() throws {
        let days = ["-days", "2"]
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for (name, subject) in [("ca", "/CN=framecrypt test CA"), ("other-ca", "/CN=some other CA")] {
            try openssl(
                ["req", "-x509"] + curve + ["-keyout", folder.path("\(name).key"), "-out", folder.path("\(name).pem")]
                    + days + ["-subj", subject]
            )
        }
        for (name, names) in [("server", "IP:127.0.0.1,DNS:localhost"), ("wrong-host", "DNS:keys.wrong.example")] {
            try openssl(
                ["req"] + curve + ["-keyout", folder.path("\(name).key"), "-out", folder.path("\(name).csr")]
                    + ["-subj", "/CN=\(name)"]
            )
            try Data("subjectAltName=\(names)\n".utf8).write(to: URL(fileURLWithPath: folder.path("\(name).ext")))
            try openssl(
                [
                    "x509", "-req", "-in", folder.path("\(name).csr"), "-CA", authorities, "-CAkey",
                    folder.path("ca.key"),
                ]
                    + ["-CAcreateserial", "-out", folder.path("\(name).pem"), "-extfile", folder.path("\(name).ext")]
                    + days
            )
        }
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/openssl"), arguments)
        try #require(result.status == 0, "openssl \(arguments.prefix(2)): \(result.standardError)")
    }

    /// Starts one server and returns the port it prints.
    private func start(_ tls: [String]) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "KEY_SERVER_TOKEN=\(Self.token)", "python3",
                Fixtures.packageRoot.appendingPathComponent("scripts/key-server.py").path,
            ]
            + ["--keys", keyFile, "--token-env", "KEY_SERVER_TOKEN"] + tls
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        servers.append(process)
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            try #require(!chunk.isEmpty, "the key server did not start")
            line += chunk
        }
        return try #require(Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}
