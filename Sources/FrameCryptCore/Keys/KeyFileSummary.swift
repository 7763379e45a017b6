import FrameCryptCrypto
import FrameCryptFormat

/// What a key file holds, without a single key byte: its scheme, derivation settings, and every
/// key's holder, ring index and fingerprint (`framecrypt keys show`, and what `keys generate` and
/// `keys add` print).
package struct KeyFileSummary: Encodable, Sendable {
    /// One key of the file.
    package struct Key: Encodable, Sendable {
        /// nil for the room's shared key.
        package let participant: String?
        /// The key's ring index.
        package let index: Int
        /// The explicit SFrame KID, when the file gives one.
        package let kid: UInt64?
        /// The first 8 hex digits of the SHA-256 of the key a frame is sealed with, as reports show
        /// it: the AES-GCM key derived from the material for FrameCryptor, the `sframe_key` for an
        /// SFrame key with an explicit KID. nil for SFrame keys whose KID depends on the sender.
        package let fingerprint: String?
    }

    /// Where the keys were read.
    package let file: String
    /// `webrtc-framecryptor` or `sframe`.
    package let scheme: String
    /// `shared` or `per-participant`.
    package let mode: String
    /// `pbkdf2` or `hkdf` (FrameCryptor keys only).
    package let kdf: String?
    /// The ratchet salt as text (hex when it is not printable UTF-8).
    package let ratchetSalt: String?
    /// The AES key size (FrameCryptor keys only).
    package let keyBits: Int?
    /// The SFrame cipher suite's name (SFrame keys only).
    package let cipherSuite: String?
    package let keyRingSize: Int
    /// Every key, by holder then ring index.
    package let keys: [Key]

    /// Describes `keys`, read from `file`.
    ///
    /// - Throws: ``FrameCryptError`` `.internalFailure` when a fingerprint cannot be derived.
    package init(file: String, keys: KeySet) throws(FrameCryptError) {
        self.file = file
        let sframe = keys.scheme == .sframe
        scheme = (keys.scheme ?? .webrtcFrameCryptor).rawValue
        mode = keys.mode == .shared ? "shared" : "per-participant"
        kdf = sframe ? nil : keys.parameters.function.rawValue
        ratchetSalt = sframe ? nil : Self.printable(keys.parameters.ratchetSalt)
        keyBits = sframe ? nil : keys.parameters.keyBits
        cipherSuite = sframe ? (keys.cipherSuite ?? .defaultSuite).name : nil
        keyRingSize = keys.ringSize
        var described: [Key] = []
        do {
            for entry in keys.entries {
                let fingerprint: String? =
                    if sframe {
                        try entry.keyID.map { keyID in
                            try SFrameKey(
                                baseKey: entry.material,
                                keyID: keyID,
                                suite: keys.cipherSuite ?? .defaultSuite
                            ).fingerprint
                        }
                    } else {
                        try keys.parameters.encryptionKey(from: entry.material).fingerprint
                    }
                described.append(
                    Key(participant: entry.participant, index: entry.index, kid: entry.keyID, fingerprint: fingerprint)
                )
            }
        } catch {
            throw FrameCryptError(.internalFailure, "\(file): cannot derive a fingerprint: \(error)", cause: error)
        }
        self.keys = described.sorted { ($0.participant ?? "", $0.index) < ($1.participant ?? "", $1.index) }
    }

    /// `bytes` as text when they are printable UTF-8, else as `hex:…`.
    private static func printable(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self), text.unicodeScalars.allSatisfy({ $0.value >= 0x20 }) {
            return text
        }
        return "hex:" + ByteEncoding.hex(bytes)
    }

    /// The summary as lines for a terminal.
    package var text: [String] {
        var lines = ["\(file): \(scheme), \(mode) keys, ring of \(keyRingSize)"]
        if let kdf, let ratchetSalt, let keyBits {
            lines.append("  derivation: \(kdf), AES-\(keyBits), ratchet salt \"\(ratchetSalt)\"")
        }
        if let cipherSuite {
            lines.append("  cipher suite: \(cipherSuite)")
        }
        for key in keys {
            let holder = key.participant.map { "participant \($0)" } ?? "shared key"
            let kid = key.kid.map { ", KID \($0)" } ?? ""
            let fingerprint = key.fingerprint ?? "(per sender)"
            lines.append("  \(holder), index \(key.index)\(kid): fingerprint \(fingerprint)")
        }
        return lines
    }
}
