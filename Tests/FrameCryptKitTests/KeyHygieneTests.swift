import Foundation
import FrameCryptCrypto
import FrameCryptFormat
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// Keys never leave framecrypt: every subcommand, with `--verbose` and `--json`, from a key file, the
/// environment and stdin, in batches, on failures and when killed mid-write, is run on known keys,
/// and no output, message, report, metadata or temporary file may hold the key material or any key
/// derived from it, as raw bytes, hex or base64.
@Suite("Key hygiene")
struct KeyHygieneTests {
    static let roomKey = "framecrypt hygiene room key 0"
    static let hexKey = "5ec7e75ec7e75ec7e75ec7e75ec7e75e"
    static let sframeKey = "a1b2c3d4e5f60718293a4b5c6d7e8f90"

    let folder: ScratchFolder

    init() throws {
        folder = try ScratchFolder()
    }

    /// Every secret the runs below handle: the three materials, the FrameCryptor keys derived from
    /// the first two and from two ratchet steps of each, and the SFrame key's secret, key and salt.
    static func secrets() throws -> [(name: String, bytes: [UInt8])] {
        let parameters = try KeyDerivationParameters()
        var list: [(String, [UInt8])] = [
            ("room key text", Array(roomKey.utf8)), ("hex key", ByteEncoding.bytes(hex: hexKey)!),
            ("SFrame base key", ByteEncoding.bytes(hex: sframeKey)!),
        ]
        for (name, bytes) in list.prefix(2) {
            var copy = bytes
            var material = SecretBytes(wiping: &copy)
            for step in 0...2 {
                let derived = try KeyDerivation.pbkdf2SHA256(
                    password: material,
                    salt: parameters.ratchetSalt,
                    iterations: KeyDerivationParameters.pbkdf2Iterations,
                    length: 16
                )
                list.append(("\(name) AES key, ratchet \(step)", derived.withUnsafeBytes { Array($0) }))
                material = try parameters.ratchet(material)
                list.append(("\(name) material, ratchet \(step + 1)", material.withUnsafeBytes { Array($0) }))
            }
        }
        var base = ByteEncoding.bytes(hex: sframeKey)!
        let derivation = try SFrameKeyDerivation(
            baseKey: SecretBytes(wiping: &base),
            keyID: 0,
            suite: .aes128GCMSHA256_128
        )
        for (name, secret) in [("secret", derivation.secret), ("key", derivation.key), ("salt", derivation.salt)] {
            list.append(("SFrame \(name)", secret.withUnsafeBytes { Array($0) }))
        }
        return list
    }

    /// The forms a secret could leak in: its bytes, hex in both cases, base64 with and without padding.
    static func forms(of secret: [UInt8]) -> [[UInt8]] {
        let base64 = Data(secret).base64EncodedString()
        return [
            secret, Array(ByteEncoding.hex(secret).utf8), Array(ByteEncoding.hex(secret).uppercased().utf8),
            Array(base64.utf8), Array(base64.replacingOccurrences(of: "=", with: "").utf8),
        ]
    }

    @Test("no output, message, report, metadata or temporary file of any subcommand holds a key")
    func nothingLeaks() throws {
        defer { folder.remove() }
        let keyFile = folder.path("keys.json")
        let sframeFile = folder.path("sframe-keys.json")
        try Data(
            #"{"sharedKey": [{"index": 0, "text": "\#(Self.roomKey)"}, {"index": 1, "hex": "\#(Self.hexKey)"}]}"#.utf8
        ).write(to: URL(fileURLWithPath: keyFile))
        try Data(#"{"scheme": "sframe", "sharedKey": {"hex": "\#(Self.sframeKey)", "kid": 0}}"#.utf8)
            .write(to: URL(fileURLWithPath: sframeFile))
        try FileManager.default.createDirectory(atPath: folder.path("in"), withIntermediateDirectories: true)
        for name in ["vp8-opus.webm", "h264-aac.mp4"] {
            try FileManager.default.copyItem(atPath: Fixtures.media(name), toPath: folder.path("in/\(name)"))
        }
        let keys = ["--key-file", keyFile]
        let verbose = ["--verbose", "--json"]
        let runs: [(arguments: [String], standardInput: String?)] = [
            (["encrypt", folder.path("in/vp8-opus.webm"), "-o", folder.path("enc.webm")] + keys + verbose, nil),
            (
                ["encrypt", folder.path("in/h264-aac.mp4"), "-o", folder.path("enc.mp4"), "--key-index", "1"] + keys,
                nil
            ),
            (["decrypt", folder.path("enc.webm"), "-o", folder.path("dec.webm")] + keys + verbose, nil),
            (["decrypt", folder.path("enc.mp4"), "-o", folder.path("dec.mp4"), "--verbose"] + keys, nil),
            (["inspect", folder.path("enc.webm"), "--frames"] + verbose, nil),
            (["inspect", folder.path("enc.mp4"), "--verbose"], nil),
            (["verify-keys", folder.path("enc.webm")] + keys + verbose, nil),
            (["verify-keys", folder.path("enc.mp4"), "--verbose"] + keys, nil),
            (["vectors", "export", folder.path("enc.webm"), "-o", folder.path("vectors.json")] + keys, nil),
            (["vectors", "verify", folder.path("vectors.json"), "--key-file", keyFile, "--json"], nil),
            (["encrypt", folder.path("in"), "-O", folder.path("batch")] + keys + verbose, nil),
            (["verify-keys", folder.path("batch"), "-O", folder.path("reports")] + keys + verbose, nil),
            (["decrypt", folder.path("batch"), "-O", folder.path("batch-dec")] + keys + verbose, nil),
            (
                ["encrypt", folder.path("in/vp8-opus.webm"), "-o", folder.path("sframe.webm")] + [
                    "--key-file", sframeFile,
                ] + verbose,
                nil
            ),
            (
                ["decrypt", folder.path("sframe.webm"), "-o", folder.path("sframe-dec.webm"), "--key-file", sframeFile]
                    + verbose, nil
            ),
            (["verify-keys", folder.path("sframe.webm"), "--key-file", sframeFile] + verbose, nil),
            (
                ["encrypt", folder.path("in/vp8-opus.webm"), "-o", folder.path("stdin.webm"), "--shared-key-stdin"]
                    + verbose,
                Self.roomKey
            ),
            (
                ["decrypt", folder.path("enc.webm"), "-o", folder.path("wrong.webm"), "--shared-key-stdin"] + verbose,
                "not the key"
            ),
            (
                ["decrypt", folder.path("sframe.webm"), "-o", folder.path("wrong.webm"), "--key-file", keyFile]
                    + verbose, nil
            ),
        ]
        var printed: [(String, [UInt8])] = []
        for (arguments, standardInput) in runs {
            let result = try CommandRunner.framecrypt(arguments, standardInput: standardInput)
            let command = arguments.prefix(2).joined(separator: " ")
            printed.append(("\(command) stdout", Array(result.standardOutput.utf8)))
            printed.append(("\(command) stderr", Array(result.standardError.utf8)))
        }
        let environment = try CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "FRAMECRYPT_HYGIENE_KEY=\(Self.roomKey)", CommandRunner.framecrypt.path, "decrypt",
                folder.path("enc.webm"),
            ]
                + ["-o", folder.path("env.webm"), "--shared-key-env", "FRAMECRYPT_HYGIENE_KEY"] + verbose
        )
        #expect(environment.status == 0, "\(environment.standardError)")
        printed.append(("env stdout", Array(environment.standardOutput.utf8)))
        printed.append(("env stderr", Array(environment.standardError.utf8)))
        let temporary = try killedMidWrite(keys: keys)

        for expected in [
            "enc.webm", "dec.webm", "dec.mp4", "vectors.json", "sframe-dec.webm", "stdin.webm", "env.webm",
        ] {
            #expect(FileManager.default.fileExists(atPath: folder.path(expected)), "\(expected) was not made")
        }
        let files = try everyFile().filter { $0 != keyFile && $0 != sframeFile }
        #expect(files.count > 20)
        var haystacks = printed
        for file in files + [temporary] {
            haystacks.append((file, Array(try Data(contentsOf: URL(fileURLWithPath: file)))))
        }
        // The scan looks for the keys framecrypt really uses: the fingerprint verify-keys shows is that
        // of the derived key computed here.
        var derived = try #require(try Self.secrets().first { $0.name == "room key text AES key, ratchet 0" }).bytes
        let fingerprint = ByteEncoding.hex(try SHA256.digest(SecretBytes(wiping: &derived)).prefix(4))
        #expect(
            printed.contains {
                $0.0 == "verify-keys \(folder.path("enc.webm")) stdout" && Self.contains($0.1, Array(fingerprint.utf8))
            }
        )
        for (name, secret) in try Self.secrets() {
            for form in Self.forms(of: secret) {
                for (place, bytes) in haystacks where Self.contains(bytes, form) {
                    Issue.record("\(place) holds the \(name)")
                }
            }
        }
    }

    /// Starts an encryption fed by a pipe, kills it with SIGKILL once frames reached its temporary
    /// file (so nothing cleans up), and returns that file, moved aside.
    private func killedMidWrite(keys: [String]) throws -> String {
        // Twelve seconds, so that the Matroska muxer closes clusters (every 5 s) before the end.
        let long = folder.path("long.mkv")
        let made = try FFmpegTools.ffmpeg(
            [
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-t", "12", "-c:v", "libx264", "-preset",
                "ultrafast",
            ]
                + ["-g", "30", long]
        )
        try #require(made.status == 0, "\(made.standardError)")
        let fifo = folder.path("pipe.mkv")
        #expect(mkfifo(fifo, 0o600) == 0)
        let process = Process()
        process.executableURL = CommandRunner.framecrypt
        process.arguments = ["encrypt", fifo, "-o", folder.path("killed.mkv"), "--verbose"] + keys
        process.standardError = FileHandle.nullDevice
        try process.run()
        let writer = try #require(FileHandle(forWritingAtPath: fifo))
        let source = try Data(contentsOf: URL(fileURLWithPath: long))
        writer.write(source.prefix(source.count - 2000))
        // Wait until the muxer has flushed frames into the temporary file.
        let deadline = Date().addingTimeInterval(20)
        var temporary: String?
        while Date() < deadline {
            temporary = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
                .first { $0.hasPrefix(".killed.mkv.framecrypt-") }
            if let temporary, (FileStatus(folder.path(temporary))?.size ?? 0) > 32_768 {
                break
            }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try writer.close()
        let name = try #require(temporary, "no temporary file appeared")
        let kept = folder.path("killed-temporary.bin")
        try FileManager.default.moveItem(atPath: folder.path(name), toPath: kept)
        #expect(try Data(contentsOf: URL(fileURLWithPath: kept)).count > 32_768, "the temporary file holds no frames")
        try FileManager.default.removeItem(atPath: fifo)
        try FileManager.default.removeItem(atPath: long)
        return kept
    }

    /// Every regular file under the test folder, hidden ones (temporary files, batch records) included.
    private func everyFile() throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.url.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.map { folder.path($0) }.filter {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && !isFolder.boolValue
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let first = needle[0]
        var index = 0
        while let start = haystack[index...].firstIndex(of: first), start + needle.count <= haystack.count {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) {
                return true
            }
            index = start + 1
        }
        return false
    }

    @Test("the scan finds a key where one is written")
    func scanFindsKeys() throws {
        let secret = try #require(try Self.secrets().first { $0.name == "room key text AES key, ratchet 1" })
        for form in Self.forms(of: secret.bytes) {
            #expect(Self.contains(Array("report: ".utf8) + form + Array(" end".utf8), form))
        }
        #expect(!Self.contains(Array("report".utf8), Self.forms(of: secret.bytes)[1]))
    }
}
