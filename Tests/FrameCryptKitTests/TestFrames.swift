import Foundation
import FrameCryptCrypto
import FrameCryptFormat
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// Real encoder frames (from the profile vectors) and helpers to build keys for them.
enum TestFrames {
    struct Frame {
        let id: String
        let codec: FrameCodec
        let keyFrame: Bool
        let bytes: [UInt8]
    }

    /// The plaintext frame of every profile vector: Opus, AAC, VP8, VP9, AV1, H.264, H.265.
    static func all() throws -> [Frame] {
        let file = try Fixtures.vectorJSON("framecrypt-profile-vectors.json")
        let vectors = try #require(file["vectors"] as? [[String: Any]])
        return try vectors.map { vector in
            let kindName = try #require(vector["kind"] as? String)
            let kind = try #require(MediaKind(rawValue: kindName))
            let hex = try #require(vector["plaintextHex"] as? String)
            return Frame(
                id: try #require(vector["id"] as? String),
                codec: FrameCodec(kind: kind, name: try #require(vector["codec"] as? String)),
                keyFrame: try #require(vector["keyFrame"] as? Bool),
                bytes: try #require(ByteEncoding.bytes(hex: hex))
            )
        }
    }

    /// A sender that ratcheted the demo room key `steps` times and encrypted the VP8+Opus clip with
    /// it: the encrypted file, the sender's material and its hex.
    static func encryptedByRatchetedSender(steps: Int, in folder: URL) throws -> (
        file: String, material: SecretBytes, hex: String
    ) {
        let parameters = try KeyDerivationParameters()
        var material = material("framecrypt demo room key")
        for _ in 0..<steps {
            material = try parameters.ratchet(material)
        }
        let hex = material.withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
        let senderKeys = folder.appendingPathComponent("sender.json")
        try Data(#"{"sharedKey": {"hex": "\#(hex)"}}"#.utf8).write(to: senderKeys)
        let encrypted = folder.appendingPathComponent("ratcheted-\(steps).webm").path
        let encrypt = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("vp8-opus.webm"), "-o", encrypted, "-q", "--key-file", senderKeys.path]
        )
        try #require(encrypt.status == 0, "\(encrypt.standardError)")
        return (encrypted, material, hex)
    }

    static func material(_ text: String) -> SecretBytes {
        var bytes = Array(text.utf8)
        return SecretBytes(wiping: &bytes)
    }

    /// A ring holding `text` at each of `indices`.
    static func ring(
        _ text: String = "correct horse battery staple",
        at indices: [Int] = [0],
        size: Int = KeyRing.defaultSize,
        function: KeyDerivationFunction = .pbkdf2
    ) throws -> KeyRing {
        let ring = try KeyRing(size: size, parameters: try KeyDerivationParameters(function: function))
        for index in indices {
            try ring.setKey(material(text), at: index)
        }
        return ring
    }

    /// Encrypts `frame` once with a fresh sender.
    static func encrypt(
        _ frame: Frame,
        keys: KeyRing,
        keyIndex: UInt8 = 0,
        ssrc: UInt32 = 0x1234_5678,
        rtpTimestamp: UInt32 = 90_000
    ) -> [UInt8] {
        var sender = FrameEncryptor(codec: frame.codec, keys: keys, keyIndex: keyIndex, ssrc: ssrc)
        var output: [UInt8] = []
        #expect(
            sender.encrypt(frame.bytes, rtpTimestamp: rtpTimestamp, into: &output)
                == .encrypted
        )
        return output
    }
}
