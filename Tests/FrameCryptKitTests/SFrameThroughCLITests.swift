import Foundation
import FrameCryptCrypto
import FrameCryptFormat
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// SFrame (`--scheme sframe`) through the built CLI on real media: round trips for every suite and
/// fixture, what the encrypted files hold frame by frame, and every refusal.
@Suite("SFrame through the CLI")
struct SFrameThroughCLITests {
    /// A 16-byte base key given on stdin as hex.
    static let baseKeyHex = "000102030405060708090a0b0c0d0e0f"

    /// Key options for a shared SFrame key on stdin under `suite`.
    static func stdinKey(_ suite: SFrameCipherSuite) -> [String] {
        ["--scheme", "sframe", "--cipher-suite", suite.name, "--shared-key-stdin", "--key-encoding", "hex"]
    }

    static func run(_ arguments: [String], key: String? = baseKeyHex) throws -> CommandResult {
        try CommandRunner.framecrypt(arguments, standardInput: key)
    }

    @Test(
        "decrypt(encrypt(x)) gives x's packets back for every fixture under every suite",
        arguments: Fixtures.mediaFiles,
        SFrameCipherSuite.allCases
    )
    func roundTrip(file: String, suite: SFrameCipherSuite) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = Fixtures.media(file)
        let encrypted = folder.appendingPathComponent("encrypted-\(file)").path
        let decrypted = folder.appendingPathComponent("decrypted-\(file)").path
        let encrypt = try Self.run(["encrypt", source, "-o", encrypted, "-q"] + Self.stdinKey(suite))
        #expect(encrypt.status == 0, "\(encrypt.standardError)")
        // The suite comes from the stream labels: the decrypting side gives only the scheme and key.
        let decrypt = try Self.run(
            ["decrypt", encrypted, "-o", decrypted, "-q", "--scheme", "sframe"]
                + ["--shared-key-stdin", "--key-encoding", "hex"]
        )
        #expect(decrypt.status == 0, "\(decrypt.standardError)")

        let sourcePackets = try FFmpegTools.packetDigests(source)
        #expect(!sourcePackets.isEmpty)
        #expect(try FFmpegTools.packetDigests(decrypted) == sourcePackets)
        #expect(try FFmpegTools.keyFlags(decrypted) == FFmpegTools.keyFlags(source))
        #expect(try FFmpegTools.streamDescriptions(decrypted) == FFmpegTools.streamDescriptions(source))

        let encryptedPackets = try FFmpegTools.packetDigests(encrypted, encrypted: true)
        #expect(encryptedPackets.count == sourcePackets.count)
        #expect(try FFmpegTools.keyFlags(encrypted, encrypted: true) == FFmpegTools.keyFlags(source))
        let tags = try FFmpegTools.streamTags(encrypted, stream: 0)
        let label = tags["FRAMECRYPT_SCHEME"] ?? tags["handler_name"] ?? ""
        #expect(label == "sframe" || label.hasPrefix("framecrypt;scheme=sframe;"), "\(tags)")
        let remux = try FFmpegTools.remuxEncrypted(encrypted, to: folder.appendingPathComponent("remuxed-\(file)").path)
        #expect(remux.status == 0, "\(remux.standardError)")
    }

    @Test(
        "each encrypted frame is header ‖ ciphertext ‖ tag in its codec's carriage, KID = sender << 8 | key index, counters 0, 1, 2 … per stream, and opens with the RFC derivation",
        arguments: ["h264-aac.mp4", "av1-opus.mp4", "vp9-opus.webm", "opus.ogg"]
    )
    func frames(file: String) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = Fixtures.media(file)
        let encrypted = folder.appendingPathComponent("encrypted-\(file)").path
        let suite = SFrameCipherSuite.aes128CTRHMACSHA256_64
        let result = try Self.run(
            ["encrypt", source, "-o", encrypted, "-q", "--key-index", "3", "--seed", "11"] + Self.stdinKey(suite)
        )
        #expect(result.status == 0, "\(result.standardError)")
        let codecs = try FFmpegTools.codecNames(source)
        var keyIDs: Set<UInt64> = []
        for (stream, codec) in codecs.enumerated() {
            let frameCodec = FrameCodec(kind: ["opus", "aac"].contains(codec) ? .audio : .video, name: codec)
            let carriage = SFrameCarriage(
                codec: frameCodec,
                nalLengthSize: frameCodec == .h264 || frameCodec == .h265 ? 4 : nil
            )
            let clear = try PacketSurgery.payloads(of: source, stream: stream)
            let sealed = try PacketSurgery.payloads(of: encrypted, stream: stream)
            #expect(sealed.count == clear.count)
            var keyID: UInt64?
            for (number, (packet, original)) in zip(sealed, clear).enumerated() {
                let ciphertext = try #require(carriage.unwrap(packet[...]), "stream \(stream) frame \(number)")
                let (header, length) = try SFrameHeader.parse(ciphertext).get()
                #expect(header.counter == UInt64(number))
                #expect(header.keyID & 0xFF == 3)
                #expect(keyID == nil || keyID == header.keyID)
                keyID = header.keyID
                // Independent receiver: derive the key for this KID from the base key and open.
                let receiver = SFrameKeyScope(suite: suite)
                var base = ByteEncoding.bytes(hex: Self.baseKeyHex) ?? []
                receiver.setKey(SecretBytes(wiping: &base), at: 3, keyID: nil)
                let key = try #require(try receiver.key(for: header.keyID))
                var opened: [UInt8] = []
                #expect(
                    try key.open(
                        ciphertext.dropFirst(length),
                        header: header,
                        aad: ciphertext.prefix(length),
                        into: &opened,
                        at: 0
                    )
                )
                let plaintextCount = ciphertext.count - length - suite.tagLength
                #expect(opened.count == plaintextCount)
                if frameCodec != .h264 && frameCodec != .h265 {
                    #expect(opened == original, "stream \(stream) frame \(number)")
                }
            }
            if let keyID {
                #expect(keyIDs.insert(keyID).inserted, "two streams share KID \(keyID) under a shared key")
            }
        }
    }

    @Test("per-participant keys: one KID per participant and key index, shared counters, explicit KIDs honoured")
    func participants() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = folder.appendingPathComponent("encrypted.mkv").path
        let decrypted = folder.appendingPathComponent("decrypted.mkv").path
        let keys = ["--key-file", Fixtures.keys("sframe-participants.json")]
        let mapping = ["--map", "0=alice", "--map", "1=alice", "--map", "2=bob", "--map", "3=bob"]
        let encrypt = try Self.run(
            ["encrypt", Fixtures.media("two-participants.mkv"), "-o", encrypted, "--json"] + keys + mapping,
            key: nil
        )
        #expect(encrypt.status == 0, "\(encrypt.standardError)")
        let streams = try Self.streams(encrypt.standardOutput)
        let sframe = streams.compactMap(\.sframe)
        #expect(sframe.count == 4)
        let kids = sframe.map(\.keyIDs)
        #expect(kids[0] == kids[1] && kids[0].count == 1)
        #expect(kids[2] == [7] && kids[3] == [7])
        #expect(sframe.allSatisfy { $0.cipherSuite == "AES_128_CTR_HMAC_SHA256_80" })
        // Alice's two streams draw from one counter: together they use 0 … n−1 once each.
        let frames = streams.map(\.frames)
        let last = sframe.map { $0.lastCounter.map(Int.init) ?? -1 }
        #expect(max(last[0], last[1]) == frames[0] + frames[1] - 1)
        #expect(max(last[2], last[3]) == frames[2] + frames[3] - 1)
        // Read back from the file: no counter repeats under alice's KID, and none is skipped.
        var counters = CounterSet()
        var repeats = 0
        for (stream, carriage) in [(0, SFrameCarriage.bare), (1, .opus)] {
            for payload in try PacketSurgery.payloads(of: encrypted, stream: stream) {
                let ciphertext = try #require(carriage.unwrap(payload[...]))
                let header = try SFrameHeader.parse(ciphertext).get().header
                repeats += counters.insert(header.counter) ? 0 : 1
            }
        }
        #expect(repeats == 0)
        #expect(counters.runs == [0...UInt64(frames[0] + frames[1] - 1)])
        #expect(try FFmpegTools.streamTags(encrypted, stream: 2)["FRAMECRYPT_KID_LAYOUT"] == "explicit")
        #expect(try FFmpegTools.streamTags(encrypted, stream: 0)["FRAMECRYPT_KID_LAYOUT"] == "sender-index")

        let decrypt = try Self.run(["decrypt", encrypted, "-o", decrypted, "-q"] + keys, key: nil)
        #expect(decrypt.status == 0, "\(decrypt.standardError)")
        #expect(
            try FFmpegTools.packetDigests(decrypted)
                == FFmpegTools.packetDigests(Fixtures.media("two-participants.mkv"))
        )
        let everything = try Data(contentsOf: URL(fileURLWithPath: encrypted))
        for secret in [
            "a11ce0a11ce0a11ce0a11ce0a11ce0a1", "bob's second sframe key", "Ym9iJ3Mgc2ZyYW1lIGJhc2Uga2V5IDA=",
        ] {
            #expect(everything.range(of: Data(secret.utf8)) == nil)
        }
    }

    /// The streams of an encrypt or decrypt report.
    static func streams(_ json: String) throws -> [ReportJSON.Processing.Stream] {
        try JSONDecoder().decode(ReportJSON.Processing.self, from: Data(json.utf8)).streams
    }
}
