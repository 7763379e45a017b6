import Foundation
import FrameCryptFormat
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// One rule for how a stream is read (``ResolvedStream``): every command that reads encrypted files
/// treats a damaged label, a label that contradicts the keys and a damaged codec id the same way.
/// In-process, on files framecrypt wrote and then had bytes changed.
@Suite("One rule for every stream")
struct StreamResolutionTests {
    /// The commands that read encrypted files with keys.
    enum KeyedCommand: String, CaseIterable {
        case decrypt, verifyKeys, exportVectors
    }

    /// A change to a label's bytes in a written file, the same length as what it replaces.
    struct Damage: CustomTestStringConvertible, Sendable {
        let name: String
        let source: String
        let keyFile: String
        let format: String
        /// The bytes to find (the first occurrence after `after`) and what to put in their place.
        let find: [UInt8]
        let replacement: [UInt8]
        var after: [UInt8] = []

        var testDescription: String { "\(name) (\(source) to .\(format))" }
    }

    static let damages: [Damage] = [
        Damage(
            name: "a byte of the scheme flipped",
            source: "vp8-opus.webm",
            keyFile: "shared.json",
            format: "mkv",
            find: Array("webrtc-framecryptor".utf8),
            replacement: Array("web".utf8) + [0xFF] + Array("tc-framecryptor".utf8)
        ),
        Damage(
            name: "the scheme flipped in an MP4 handler name",
            source: "h264-aac.mp4",
            keyFile: "shared.json",
            format: "mp4",
            find: Array("scheme=webrtc-framecryptor".utf8),
            replacement: Array("scheme=webrtc-fr".utf8) + [0xC3, 0x28] + Array("ecryptor".utf8)
        ),
        Damage(
            name: "the NAL length size no longer a number",
            source: "h264-aac.mp4",
            keyFile: "shared.json",
            format: "mp4",
            find: Array("nal_length_size=4".utf8),
            replacement: Array("nal_length_size=\u{7}".utf8)
        ),
        Damage(
            name: "the SFrame cipher suite's name changed",
            source: "opus.ogg",
            keyFile: "sframe-shared.json",
            format: "mkv",
            find: Array("AES_128_GCM_SHA256_128".utf8),
            replacement: Array("AES_128_GCM_SHA256_1".utf8) + [0x00, 0x38]
        ),
    ]

    @Test("a damaged label is malformed input (65) for every command with keys; no output is left", arguments: damages)
    func damagedLabel(damage: Damage) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let damaged = try Self.encryptAndDamage(damage, in: folder)
        let keys = try KeyFile.load(path: Fixtures.keys(damage.keyFile))
        for command in KeyedCommand.allCases {
            let output = folder.appendingPathComponent("\(command)-out").path
            let error = #expect(throws: FrameCryptError.self, "\(command)") {
                try Self.run(command, input: damaged, output: output, keys: keys)
            }
            #expect(error?.kind == .malformedInput, "\(command): \(String(describing: error))")
            #expect(error?.message.contains("malformed stream label") == true, "\(command)")
            #expect(!FileManager.default.fileExists(atPath: output), "\(command) left \(output)")
        }
    }

    @Test("inspect reports a damaged label as malformed-label and judges the frames by their bytes", arguments: damages)
    func inspectDamagedLabel(damage: Damage) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let damaged = try Self.encryptAndDamage(damage, in: folder)
        let report = try MediaInspection.run(InspectRequest(input: damaged))
        let flagged = report.findings.filter { $0.code == .malformedLabel }
        #expect(flagged.count == 1, "\(report.findings.map(\.message))")
        let stream = try #require(report.streams.first { $0.index == flagged.first?.stream })
        #expect(stream.labelScheme == nil)
        // Judged by its bytes: FrameCryptor frames are still recognised, SFrame ones are not (no
        // label and no --scheme sframe), and nothing reads the damaged label's participant.
        let isSFrame = damage.keyFile.hasPrefix("sframe")
        #expect(isSFrame || stream.encryptedFrames == stream.frames)
        #expect(stream.scheme != (isSFrame ? "sframe" : "none"))
        // With --scheme sframe the SFrame frames are read as SFrame again.
        if isSFrame {
            let told = try MediaInspection.run(InspectRequest(input: damaged, scheme: .sframe))
            #expect(told.streams.first { $0.index == stream.index }?.scheme == "sframe")
        }
    }

    @Test("through the CLI a damaged label answers 65 and its bytes never reach the terminal")
    func terminal() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let damaged = try Self.encryptAndDamage(Self.damages[0], in: folder)
        let decrypt = try CommandRunner.framecrypt(
            ["decrypt", damaged, "-o", folder.appendingPathComponent("out.mkv").path]
                + ["--key-file", Fixtures.keys("shared.json")]
        )
        #expect(decrypt.status == 65, "\(decrypt.standardError)")
        #expect(decrypt.standardError.contains("malformed stream label"))
        let inspect = try CommandRunner.framecrypt(["inspect", damaged])
        #expect(inspect.status == 0)
        #expect(inspect.standardOutput.contains("malformed-label (stream 0)"))
        for text in [decrypt.standardError, inspect.standardOutput] {
            #expect(!text.contains("\u{FFFD}"), "\(text)")
        }
    }

    @Test("a label that names another scheme than the keys is the same key failure in every command")
    func contradiction() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = folder.appendingPathComponent("sframe.ogg").path
        try Self.encrypt(Fixtures.media("opus.ogg"), to: encrypted, keyFile: Fixtures.keys("sframe-shared.json"))
        let keyFile = folder.appendingPathComponent("framecryptor.json")
        try Data(#"{"scheme": "webrtc-framecryptor", "sharedKey": {"text": "k"}}"#.utf8).write(to: keyFile)
        let keys = try KeyFile.load(path: keyFile.path)
        var messages: Set<String> = []
        for command in KeyedCommand.allCases {
            let error = #expect(throws: FrameCryptError.self, "\(command)") {
                try Self.run(command, input: encrypted, output: folder.appendingPathComponent("out").path, keys: keys)
            }
            #expect(error?.kind == .keyFailure, "\(command): \(String(describing: error))")
            messages.insert(error?.message ?? "")
        }
        #expect(messages.count == 1, "\(messages)")
        #expect(messages.first?.hasSuffix("encrypted with sframe but the keys are for webrtc-framecryptor") == true)
    }

    @Test(
        "an audio or video stream whose codec id no longer names a codec is malformed input (65), not a container refusal",
        arguments: [("vp8-opus.webm", "webm"), ("vp8-opus.webm", "mkv")]
    )
    func damagedCodecID(source: String, format: String) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = try KeyFile.load(path: Fixtures.keys("shared.json"))
        let clear = folder.appendingPathComponent("clear.\(format)").path
        let encrypted = folder.appendingPathComponent("encrypted.\(format)").path
        try Self.encrypt(Fixtures.media(source), to: encrypted, keyFile: Fixtures.keys("shared.json"))
        try FileManager.default.copyItem(atPath: Fixtures.media(source), toPath: clear)
        for path in [clear, encrypted] {
            try Self.replace(Array("V_VP8".utf8), with: Array("V_VQ8".utf8), in: path)
        }
        let jobs: [(String, () throws -> ProcessingReport)] = [
            (
                "encrypt",
                {
                    try MediaEncryption.run(
                        EncryptRequest(
                            files: FileJob(input: clear, output: folder.appendingPathComponent("e.mkv").path),
                            keys: keys
                        )
                    )
                }
            ),
            (
                "decrypt",
                {
                    try MediaDecryption.run(
                        DecryptRequest(
                            files: FileJob(input: encrypted, output: folder.appendingPathComponent("d.mkv").path),
                            keys: keys
                        )
                    )
                }
            ),
        ]
        for (name, job) in jobs {
            let error = #expect(throws: FrameCryptError.self, "\(name)") { try job() }
            #expect(error?.kind == .malformedInput, "\(name): \(String(describing: error))")
            #expect(error?.message.contains("stream 0 (video) names no codec") == true, "\(name)")
        }
    }

    // MARK: Helpers

    static func run(_ command: KeyedCommand, input: String, output: String, keys: KeySet) throws(FrameCryptError) {
        switch command {
        case .decrypt:
            _ = try MediaDecryption.run(DecryptRequest(files: FileJob(input: input, output: output), keys: keys))
        case .verifyKeys:
            _ = try KeyVerification.run(VerifyKeysRequest(input: input, keys: keys))
        case .exportVectors:
            _ = try VectorExport.run(VectorExportRequest(input: input, output: output, keys: keys))
        }
    }

    static func encrypt(_ source: String, to output: String, keyFile: String) throws {
        _ = try MediaEncryption.run(
            EncryptRequest(files: FileJob(input: source, output: output), keys: try KeyFile.load(path: keyFile))
        )
    }

    /// Encrypts the damage's source into its format, then changes the label's bytes.
    static func encryptAndDamage(_ damage: Damage, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("damaged.\(damage.format)").path
        try encrypt(Fixtures.media(damage.source), to: path, keyFile: Fixtures.keys(damage.keyFile))
        try replace(damage.find, with: damage.replacement, in: path)
        return path
    }

    /// Replaces the first occurrence of `find` in the file at `path` with `replacement` (same length).
    static func replace(_ find: [UInt8], with replacement: [UInt8], in path: String) throws {
        precondition(find.count == replacement.count)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let start = try #require(
            bytes.indices.dropLast(find.count - 1).first { bytes[$0..<($0 + find.count)].elementsEqual(find) },
            "\(String(decoding: find, as: UTF8.self)) is not in \(path)"
        )
        bytes.replaceSubrange(start..<(start + find.count), with: replacement)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
