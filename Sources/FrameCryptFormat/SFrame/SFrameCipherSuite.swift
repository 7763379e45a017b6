/// The hash an SFrame cipher suite derives its keys with (and, for CTR+HMAC, authenticates with).
public enum SFrameHash: Sendable, Hashable {
    case sha256
    case sha512

    /// The digest length Nh in bytes.
    public var length: Int {
        switch self {
        case .sha256: 32
        case .sha512: 64
        }
    }
}

/// The five cipher suites of RFC 9605 §4.5 (IANA "SFrame Cipher Suites", §8.1 Table 2).
///
/// The suite is not written in an SFrame ciphertext; sender and receiver agree on it out of band,
/// which for framecrypt's files is the key file and the stream label.
public enum SFrameCipherSuite: UInt16, Sendable, Hashable, CaseIterable {
    case aes128CTRHMACSHA256_80 = 0x0001
    case aes128CTRHMACSHA256_64 = 0x0002
    case aes128CTRHMACSHA256_32 = 0x0003
    case aes128GCMSHA256_128 = 0x0004
    case aes256GCMSHA512_128 = 0x0005

    /// The suite framecrypt uses unless told otherwise: AES-GCM with a full tag, the RFC's most
    /// widely implemented suite (short CTR+HMAC tags can be forged offline against a stored file).
    public static let defaultSuite = SFrameCipherSuite.aes128GCMSHA256_128

    /// The registry name, such as `AES_128_GCM_SHA256_128`.
    public var name: String {
        switch self {
        case .aes128CTRHMACSHA256_80: "AES_128_CTR_HMAC_SHA256_80"
        case .aes128CTRHMACSHA256_64: "AES_128_CTR_HMAC_SHA256_64"
        case .aes128CTRHMACSHA256_32: "AES_128_CTR_HMAC_SHA256_32"
        case .aes128GCMSHA256_128: "AES_128_GCM_SHA256_128"
        case .aes256GCMSHA512_128: "AES_256_GCM_SHA512_128"
        }
    }

    /// The suite named `text`: its registry name (any case) or its number (`4`, `0x0004`).
    public init?(named text: String) {
        let upper = text.uppercased()
        if let suite = Self.allCases.first(where: { $0.name == upper }) {
            self = suite
            return
        }
        let number = upper.hasPrefix("0X") ? UInt16(upper.dropFirst(2), radix: 16) : UInt16(upper)
        guard let number, let suite = SFrameCipherSuite(rawValue: number) else { return nil }
        self = suite
    }

    /// The HKDF hash, Nh.
    public var hash: SFrameHash {
        self == .aes256GCMSHA512_128 ? .sha512 : .sha256
    }

    /// True for the AES-GCM suites, false for AES-CTR with a truncated HMAC.
    public var isGCM: Bool {
        self == .aes128GCMSHA256_128 || self == .aes256GCMSHA512_128
    }

    /// Nk: the length of the derived `sframe_key` (for CTR+HMAC, the AES key then the HMAC key).
    public var keyLength: Int {
        switch self {
        case .aes128GCMSHA256_128: 16
        case .aes256GCMSHA512_128: 32
        default: Self.ctrKeyLength + hash.length
        }
    }

    /// Nka: the AES-CTR part of a CTR+HMAC key.
    public static let ctrKeyLength = 16

    /// Nn: the nonce length, and the length of `sframe_salt`.
    public static let nonceLength = 12

    /// Nt: the tag length in bytes.
    public var tagLength: Int {
        switch self {
        case .aes128CTRHMACSHA256_80: 10
        case .aes128CTRHMACSHA256_64: 8
        case .aes128CTRHMACSHA256_32: 4
        case .aes128GCMSHA256_128, .aes256GCMSHA512_128: 16
        }
    }

    /// The HKDF info that derives `sframe_key` for `keyID` (RFC 9605 §4.4.2):
    /// `"SFrame 1.0 Secret key " ‖ be64(KID) ‖ be16(suite)`.
    public func keyLabel(keyID: UInt64) -> [UInt8] {
        label("SFrame 1.0 Secret key ", keyID: keyID)
    }

    /// The HKDF info that derives `sframe_salt` for `keyID`:
    /// `"SFrame 1.0 Secret salt " ‖ be64(KID) ‖ be16(suite)`.
    public func saltLabel(keyID: UInt64) -> [UInt8] {
        label("SFrame 1.0 Secret salt ", keyID: keyID)
    }

    private func label(_ prefix: String, keyID: UInt64) -> [UInt8] {
        var bytes = Array(prefix.utf8)
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: keyID >> UInt64(shift)))
        }
        bytes.append(UInt8(rawValue >> 8))
        bytes.append(UInt8(truncatingIfNeeded: rawValue))
        return bytes
    }
}

/// The SFrame nonce: `sframe_salt XOR be(CTR, 12)` (RFC 9605 §4.4.3 with erratum 8321). Only the
/// last eight salt bytes change with the counter, so the salt is kept as a 4-byte head and an
/// 8-byte tail and a nonce costs one XOR, no allocation.
public struct SFrameNonce: Sendable, Hashable {
    /// The salt's first 4 bytes, big-endian.
    private let head: UInt32
    /// The salt's last 8 bytes, big-endian.
    private let tail: UInt64

    /// The nonces of a 12-byte `salt`; nil for any other length.
    public init?(salt: some Collection<UInt8>) {
        guard salt.count == SFrameCipherSuite.nonceLength else { return nil }
        head = salt.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
        tail = salt.dropFirst(4).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The nonce for `counter` as three big-endian 32-bit words.
    public func words(counter: UInt64) -> (UInt32, UInt32, UInt32) {
        let mixed = tail ^ counter
        return (head, UInt32(truncatingIfNeeded: mixed >> 32), UInt32(truncatingIfNeeded: mixed))
    }

    /// The nonce for `counter` as 12 bytes.
    public func bytes(counter: UInt64) -> [UInt8] {
        let (first, second, third) = words(counter: counter)
        return [first, second, third].flatMap { word in
            [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) }
        }
    }
}
