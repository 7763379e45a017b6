// Per-frame throughput of framecrypt's cryptor against raw AES-GCM from the same OpenSSL.
//
// Raw: one EVP context with the key set once; per frame only the IV is set, then update, final and
// tag, into a preallocated buffer (the least any AES-GCM frame encryption can cost).
// Core: FrameEncryptor/FrameDecryptor on a frame of every codec: a VP8 delta frame (3 clear bytes),
// VP9 and AV1 (nothing clear), H.264 and H.265 P frames (clear NAL header plus emulation prevention
// over the tail) and Opus (1 clear byte).
// Each figure is the median of 7 timed runs after a warm-up; raw and core runs alternate, so that
// the machine's noise falls on both sides of each ratio alike.

import COpenSSL
import Foundation
import FrameCryptCore
import FrameCryptCrypto
import FrameCryptFormat
import FrameCryptKit

let sizes = [1024, 8 * 1024, 64 * 1024]
let runs = 7

/// Median nanoseconds per call of `body` over `runs` runs of `iterations` calls.
func measure(iterations: Int, _ body: () -> Void) -> Double {
    withoutActuallyEscaping(body) { measureAlternating(iterations: iterations, [$0])[0] }
}

/// Median nanoseconds per call of each body, after a warm-up, over `runs` rounds in each of which
/// every body runs `iterations` times in turn.
func measureAlternating(iterations: Int, _ bodies: [() -> Void]) -> [Double] {
    for body in bodies {
        for _ in 0..<(iterations / 10 + 1) { body() }
    }
    var samples = Array(repeating: [Double](), count: bodies.count)
    for _ in 0..<runs {
        for (index, body) in bodies.enumerated() {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<iterations { body() }
            samples[index].append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations))
        }
    }
    return samples.map { $0.sorted()[runs / 2] }
}

/// Raw EVP AES-128-GCM over `frame`, IV set per call.
final class RawAESGCM {
    let encryptor = EVP_CIPHER_CTX_new()
    let decryptor = EVP_CIPHER_CTX_new()
    var iv = [UInt8](repeating: 0x11, count: 12)
    var out: [UInt8]
    var plain: [UInt8]
    var tag = [UInt8](repeating: 0, count: 16)

    init(key: [UInt8], size: Int) {
        out = [UInt8](repeating: 0, count: size + 16)
        plain = [UInt8](repeating: 0, count: size)
        EVP_EncryptInit_ex(encryptor, EVP_aes_128_gcm(), nil, key, nil)
        EVP_DecryptInit_ex(decryptor, EVP_aes_128_gcm(), nil, key, nil)
    }

    func seal(_ frame: [UInt8]) {
        var length: Int32 = 0
        EVP_EncryptInit_ex(encryptor, nil, nil, nil, iv)
        out.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            EVP_EncryptUpdate(encryptor, base, &length, frame, Int32(frame.count))
            EVP_EncryptFinal_ex(encryptor, base + Int(length), &length)
            EVP_CIPHER_CTX_ctrl(encryptor, EVP_CTRL_GCM_GET_TAG, 16, base + frame.count)
        }
    }

    func open(_ sealed: [UInt8]) -> Bool {
        var length: Int32 = 0
        EVP_DecryptInit_ex(decryptor, nil, nil, nil, iv)
        return plain.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            EVP_DecryptUpdate(decryptor, base, &length, sealed, Int32(sealed.count - 16))
            sealed.withUnsafeBufferPointer { input in
                _ = EVP_CIPHER_CTX_ctrl(
                    decryptor,
                    EVP_CTRL_GCM_SET_TAG,
                    16,
                    UnsafeMutableRawPointer(mutating: input.baseAddress! + sealed.count - 16)
                )
            }
            return EVP_DecryptFinal_ex(decryptor, base + Int(length), &length) == 1
        }
    }
}

func frame(codec: FrameCodec, size: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
    switch codec {
    case .h264: bytes.replaceSubrange(0..<6, with: [0, 0, 0, 1, 0x41, 0x9A])
    case .h265: bytes.replaceSubrange(0..<7, with: [0, 0, 0, 1, 0x02, 0x01, 0xD0])
    case .av1: bytes.replaceSubrange(0..<2, with: [0x32, 0x7F])
    default: bytes[0] = 0x31
    }
    return bytes
}

func row(_ columns: [String]) {
    print("| " + columns.joined(separator: " | ") + " |")
}

var keyBytes = Array("bench key material".utf8)
let material = SecretBytes(wiping: &keyBytes)
let ring = try KeyRing(parameters: try KeyDerivationParameters(function: .hkdf))
try ring.setKey(material, at: 0)
let rawKey = [UInt8](repeating: 0x42, count: 16)

print("framecrypt core vs raw AES-128-GCM (\(CryptoLibrary.version)), median of \(runs) runs")
print("")
row([
    "frame", "codec", "raw seal µs", "core encrypt µs", "encrypt % of raw", "raw open µs", "core decrypt µs",
    "decrypt % of raw", "core encrypt MB/s",
])
row(Array(repeating: "---", count: 9))
for size in sizes {
    let iterations = max(2_000, 40_000_000 / size)
    let raw = RawAESGCM(key: rawKey, size: size)
    let plain = frame(codec: .vp8, size: size)
    raw.seal(plain)
    let sealed = raw.out
    for codec in [FrameCodec.vp8, .vp9, .av1, .h264, .h265, .opus] {
        let input = frame(codec: codec, size: size)
        var sender = FrameEncryptor(codec: codec, keys: ring, keyIndex: 0, ssrc: 0x1234_5678)
        var receiver = FrameDecryptor(codec: codec, keys: ring)
        var encrypted: [UInt8] = []
        var decrypted: [UInt8] = []
        _ = sender.encrypt(input, rtpTimestamp: 0, into: &encrypted)
        guard receiver.decrypt(encrypted, into: &decrypted) == .decrypted(ratchetSteps: 0), decrypted == input else {
            fatalError("round trip failed for \(codec.name) \(size)")
        }
        var timestamp: UInt32 = 0
        let sealing = measureAlternating(
            iterations: iterations,
            [
                { raw.seal(plain) },
                {
                    timestamp &+= 3000
                    _ = sender.encrypt(input, rtpTimestamp: timestamp, into: &encrypted)
                },
            ]
        )
        let opening = measureAlternating(
            iterations: iterations,
            [{ _ = raw.open(sealed) }, { _ = receiver.decrypt(encrypted, into: &decrypted) }]
        )
        let (rawSeal, encrypt, rawOpen, decrypt) = (sealing[0], sealing[1], opening[0], opening[1])
        row([
            "\(size / 1024) KiB", codec.name,
            String(format: "%.2f", rawSeal / 1000), String(format: "%.2f", encrypt / 1000),
            String(format: "%.0f", rawSeal / encrypt * 100),
            String(format: "%.2f", rawOpen / 1000), String(format: "%.2f", decrypt / 1000),
            String(format: "%.0f", rawOpen / decrypt * 100),
            String(format: "%.0f", Double(size) / encrypt * 1000),
        ])
    }
}

// Key derivation: a text key's 100 000 PBKDF2 iterations, framecrypt's against OpenSSL's.
var password = Array("framecrypt demo room key".utf8)
let salt = Array(KeyDerivationParameters.defaultRatchetSalt.utf8)
let passwordSecret = SecretBytes(wiping: &password)
let passwordBytes = Array("framecrypt demo room key".utf8)
let iterations = KeyDerivationParameters.pbkdf2Iterations
let ours = measure(iterations: 5) {
    _ = try? KeyDerivation.pbkdf2SHA256(password: passwordSecret, salt: salt, iterations: iterations, length: 16)
}
var derived = [UInt8](repeating: 0, count: 16)
let openSSL = measure(iterations: 5) {
    _ = PKCS5_PBKDF2_HMAC(
        passwordBytes.map { CChar(bitPattern: $0) },
        Int32(passwordBytes.count),
        salt,
        Int32(salt.count),
        Int32(iterations),
        EVP_sha256(),
        16,
        &derived
    )
}
print("")
row(["key derivation", "framecrypt ms", "OpenSSL PKCS5_PBKDF2_HMAC ms"])
row(["---", "---", "---"])
row([
    "PBKDF2-HMAC-SHA256, \(iterations) iterations", String(format: "%.1f", ours / 1e6),
    String(format: "%.1f", openSSL / 1e6),
])
