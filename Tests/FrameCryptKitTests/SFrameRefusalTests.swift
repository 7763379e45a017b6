import Foundation
import FrameCryptCrypto
import FrameCryptFormat
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// SFrame's refusals: exhausted counters, replayed counters, unknown KIDs, bad tags, and key files
/// or options that do not fit the scheme.
@Suite("SFrame refusals")
struct SFrameRefusalTests {
    private static func key(_ hex: String = SFrameThroughCLITests.baseKeyHex) -> SecretBytes {
        var bytes = ByteEncoding.bytes(hex: hex) ?? []
        return SecretBytes(wiping: &bytes)
    }

    @Test(
        "frames of every suite, empty ones included, open once; a second opening is a replay",
        arguments: SFrameCipherSuite.allCases
    )
    func frameLevel(suite: SFrameCipherSuite) throws {
        let scope = SFrameKeyScope(suite: suite)
        scope.setKey(Self.key(), at: 2, keyID: nil)
        let sender = try #require(try scope.key(for: 0xABCD02))
        var encryptor = SFrameEncryptor(key: sender, counter: SFrameCounter(start: 7))
        var receiver = SFrameDecryptor(keys: scope)
        for (number, frame) in ([[], [0x42], Array(repeating: 0x17, count: 1500)] as [[UInt8]]).enumerated() {
            var sealed: [UInt8] = []
            let header = try encryptor.encrypt(frame[...], into: &sealed).get()
            #expect(header == SFrameHeader(keyID: 0xABCD02, counter: UInt64(7 + number)))
            #expect(sealed.count == header.encodedLength + frame.count + suite.tagLength)
            var opened: [UInt8] = [0xFF]
            #expect(receiver.decrypt(sealed[...], into: &opened).outcome == .decrypted(ratchetSteps: 0))
            #expect(opened == frame)
            let replay = receiver.decrypt(sealed[...], into: &opened)
            #expect(replay.outcome == .failed(.replayedCounter(keyID: 0xABCD02, counter: UInt64(7 + number))))
            #expect(replay.outcome.state == .decryptionFailed)
            #expect(opened.isEmpty)
        }
    }

    @Test("a counter never passes 2^64-1: the last one is used once, then the key refuses")
    func exhaustion() throws {
        let counter = SFrameCounter(start: .max - 1)
        #expect(counter.take() == UInt64.max - 1)
        #expect(counter.take() == UInt64.max)
        #expect(counter.take() == nil)
        #expect(counter.take() == nil)
        let scope = SFrameKeyScope(suite: .aes128GCMSHA256_128)
        scope.setKey(Self.key(), at: 0, keyID: 9)
        var encryptor = SFrameEncryptor(key: try #require(try scope.key(for: 9)), counter: SFrameCounter(start: .max))
        var sealed: [UInt8] = []
        #expect(try encryptor.encrypt([1, 2, 3][...], into: &sealed).get().counter == .max)
        #expect(throws: SFrameEncryptor.Failure.counterExhausted) {
            try encryptor.encrypt([4][...], into: &sealed).get()
        }
        #expect(sealed.isEmpty)
    }

    @Test("unknown KIDs are missing keys; explicit KIDs serve only themselves; a changed byte fails the tag")
    func lookups() throws {
        let scope = SFrameKeyScope(suite: .aes128CTRHMACSHA256_32)
        scope.setKey(Self.key(), at: 0, keyID: 300)
        scope.setKey(Self.key("ffeeddccbbaa99887766554433221100"), at: 1, keyID: nil)
        #expect(try scope.key(for: 300) != nil)
        #expect(try scope.key(for: 0x4500) == nil)  // index 0's key has an explicit KID
        #expect(try scope.key(for: 0x4501)?.keyID == 0x4501)
        #expect(try scope.key(for: 0x4502) == nil)
        var encryptor = SFrameEncryptor(key: try #require(try scope.key(for: 300)), counter: SFrameCounter(start: 0))
        var sealed: [UInt8] = []
        _ = try encryptor.encrypt(Array("frame".utf8)[...], into: &sealed).get()
        var other = SFrameDecryptor(keys: SFrameKeyScope(suite: .aes128CTRHMACSHA256_32))
        var opened: [UInt8] = []
        let unknown = other.decrypt(sealed[...], into: &opened).outcome
        #expect(unknown == .failed(.unknownKeyID(300)))
        #expect(unknown.state == .missingKey)
        var receiver = SFrameDecryptor(keys: scope)
        for index in sealed.indices.dropFirst(3) {
            var tampered = sealed
            tampered[index] ^= 0x01
            #expect(
                receiver.decrypt(tampered[...], into: &opened).outcome
                    == .failed(.sframeAuthenticationFailed(keyID: 300))
            )
        }
        #expect(
            receiver.decrypt(sealed.prefix(5), into: &opened).outcome
                == .failed(.sframeTooShort(bodyLength: 2, tagLength: 4))
        )
        #expect(receiver.decrypt(sealed[...], into: &opened).outcome == .decrypted(ratchetSteps: 0))
    }
}

/// The same refusals through the built CLI on real files.
@Suite("SFrame refusals through the CLI")
struct SFrameCLIRefusalTests {
    private static let keys = ["--key-file", Fixtures.keys("sframe-shared.json")]

    private static func encrypt(_ file: String, in folder: URL, extra: [String] = []) throws -> String {
        let output = folder.appendingPathComponent("encrypted-\(file)").path
        let result = try CommandRunner.framecrypt(["encrypt", Fixtures.media(file), "-o", output, "-q"] + keys + extra)
        #expect(result.status == 0, "\(result.standardError)")
        return output
    }

    @Test(
        "counters: a start that leaves room for every frame ends at 2^64-1; one more frame is refused, nothing written"
    )
    func counterExhaustion() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let frames = try PacketSurgery.payloads(of: Fixtures.media("opus.ogg"), stream: 0).count
        let fits = folder.appendingPathComponent("fits.ogg").path
        let start = UInt64.max - UInt64(frames) + 1
        let result = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("opus.ogg"), "-o", fits, "--json", "--counter-start", String(start)] + Self.keys
        )
        #expect(result.status == 0, "\(result.standardError)")
        let sframe = try #require(try SFrameThroughCLITests.streams(result.standardOutput).first?.sframe)
        #expect(sframe.lastCounter == UInt64.max)
        #expect(sframe.firstCounter == start)

        let refused = folder.appendingPathComponent("refused.ogg").path
        let over = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("opus.ogg"), "-o", refused, "--counter-start", String(start - 1 + 2)] + Self.keys
        )
        #expect(over.status == 1)
        #expect(over.standardError.contains("has used its last counter (2^64-1)"), "\(over.standardError)")
        #expect(over.standardError.split(separator: "\n").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["fits.ogg"])
    }

    @Test("a repeated frame is a replayed counter: fail stops the job, drop leaves it out and counts it")
    func replay() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = try Self.encrypt("vp8-opus.webm", in: folder)
        var previous: [UInt8] = []
        let replayed = folder.appendingPathComponent("replayed.webm").path
        try PacketSurgery.rewrite(encrypted, to: replayed, formatName: "webm") { stream, frame, payload in
            guard stream == 0 else { return }
            if frame == 5 {
                payload = previous
            }
            previous = payload
        }
        let output = folder.appendingPathComponent("decrypted.webm").path
        let failed = try CommandRunner.framecrypt(["decrypt", replayed, "-o", output] + Self.keys)
        #expect(failed.status == 1)
        #expect(
            failed.standardError.contains("frame 5 does not decrypt: replayed counter: KID"),
            "\(failed.standardError)"
        )
        #expect(!FileManager.default.fileExists(atPath: output))

        let dropped = try CommandRunner.framecrypt(
            ["decrypt", replayed, "-o", output, "--on-failure", "drop", "--json"] + Self.keys
        )
        #expect(dropped.status == 0, "\(dropped.standardError)")
        let video = try #require(try SFrameThroughCLITests.streams(dropped.standardOutput).first)
        #expect(video.droppedFrames == 1)
        #expect(video.sframe?.replayedFrames == 1)
        #expect(video.states["decryptionFailed"] == 1)
        #expect(try PacketSurgery.payloads(of: output, stream: 0).count == 44)
    }

    @Test("a changed byte fails the tag, a wrong key fails every tag, an unknown KID is a missing key")
    func failures() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = try Self.encrypt("vp8-opus.webm", in: folder)
        let tampered = folder.appendingPathComponent("tampered.webm").path
        try PacketSurgery.rewrite(encrypted, to: tampered, formatName: "webm") { stream, frame, payload in
            if stream == 1 && frame == 3, let last = payload.indices.last {
                payload[last] ^= 0x40
            }
        }
        let output = folder.appendingPathComponent("out.webm").path
        let bad = try CommandRunner.framecrypt(["decrypt", tampered, "-o", output] + Self.keys)
        #expect(bad.status == 1)
        #expect(
            bad.standardError.contains(
                "stream 1 (audio opus): frame 3 does not decrypt: authentication failed with the key for KID"
            )
        )

        let wrong = try CommandRunner.framecrypt(
            ["decrypt", encrypted, "-o", output, "--on-failure", "keep", "--json", "--scheme", "sframe"]
                + ["--shared-key-stdin", "--key-encoding", "hex"],
            standardInput: "ffffffffffffffffffffffffffffffff"
        )
        #expect(wrong.status == 0)
        for stream in try SFrameThroughCLITests.streams(wrong.standardOutput) {
            #expect(stream.keptEncryptedFrames == stream.frames)
        }

        let explicitKID = folder.appendingPathComponent("kid99.json").path
        try #"{"scheme": "sframe", "sharedKey": {"hex": "0f0e0d0c0b0a09080706050403020100", "kid": 99}}"#
            .write(toFile: explicitKID, atomically: true, encoding: .utf8)
        let unknown = try CommandRunner.framecrypt([
            "decrypt", encrypted, "-o", output, "--force", "--key-file", explicitKID,
        ])
        #expect(unknown.status == 1)
        #expect(unknown.standardError.contains("does not decrypt: no key for KID"), "\(unknown.standardError)")
        let kept = try CommandRunner.framecrypt(
            [
                "decrypt", encrypted, "-o", output, "--key-file", explicitKID, "--on-failure", "keep", "--json",
                "--force",
            ]
        )
        let states = try SFrameThroughCLITests.streams(kept.standardOutput).map(\.states)
        #expect(states.allSatisfy { $0.keys.sorted() == ["missingKey"] })
    }

    @Test(
        "key files and options that do not fit the scheme are refused with one line",
        arguments: [
            (
                #"{"scheme": "sframe", "kdf": "hkdf", "sharedKey": {"hex": "00"}}"#, 65,
                "\"kdf\" applies to webrtc-framecryptor keys, not sframe"
            ),
            (#"{"cipherSuite": "4", "sharedKey": {"hex": "00"}}"#, 65, "\"cipherSuite\" needs \"scheme\": \"sframe\""),
            (
                #"{"scheme": "sframe", "cipherSuite": "AES_128_GCM", "sharedKey": {"hex": "00"}}"#, 65,
                "is not an SFrame cipher suite"
            ),
            (
                #"{"scheme": "sframe", "sharedKey": [{"index": 0, "hex": "00", "kid": 5}, {"index": 1, "hex": "01", "kid": 5}]}"#,
                65, "KID 5 is given twice"
            ),
            (#"{"scheme": "sframe", "sharedKey": {"hex": "00", "kid": -1}}"#, 65, "-1 is negative"),
            (#"{"sharedKey": {"hex": "00", "kid": 5}}"#, 65, "unknown field \"kid\""),
        ] as [(String, Int32, String)]
    )
    func keyFiles(json: String, status: Int32, message: String) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("keys.json").path
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("out.ogg").path
        let result = try CommandRunner.framecrypt([
            "encrypt", Fixtures.media("opus.ogg"), "-o", output, "--key-file", file,
        ])
        #expect(result.status == status)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("options that belong to the other scheme are usage errors; keys for one scheme do not open the other")
    func options() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.ogg").path
        let source = Fixtures.media("opus.ogg")
        let stdin = ["--shared-key-stdin", "--key-encoding", "hex"]
        for arguments in [
            ["--cipher-suite", "4"] + stdin,
            ["--scheme", "sframe", "--kdf", "hkdf"] + stdin,
            ["--counter-start", "5", "--key-file", Fixtures.keys("shared.json")],
            ["--cipher-suite", "4"] + Self.keys,
            ["--scheme", "sframe", "--cipher-suite", "9"] + stdin,
        ] {
            let result = try CommandRunner.framecrypt(
                ["encrypt", source, "-o", output] + arguments,
                standardInput: "00"
            )
            #expect(result.status == 64, "\(arguments): \(result.standardError)")
        }
        let frameCryptor = folder.appendingPathComponent("framecryptor.ogg").path
        let encrypt = try CommandRunner.framecrypt(
            ["encrypt", source, "-o", frameCryptor, "-q", "--key-file", Fixtures.keys("shared.json")]
        )
        #expect(encrypt.status == 0)
        let mismatch = try CommandRunner.framecrypt(["decrypt", frameCryptor, "-o", output] + Self.keys)
        #expect(mismatch.status == 1)
        #expect(
            mismatch.standardError.contains(
                "the stream is encrypted with webrtc-framecryptor but the keys are for sframe"
            ),
            "\(mismatch.standardError)"
        )
    }
}
