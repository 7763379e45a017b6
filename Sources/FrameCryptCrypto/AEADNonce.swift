/// A 12-byte AEAD nonce, held inline so that building one per frame costs no allocation.
public struct AEADNonce: Sendable, Hashable {
    /// The nonce's length in bytes.
    public static let byteCount = 12

    /// The three 32-bit words, stored big-endian so their memory is the nonce's bytes.
    var words: (UInt32, UInt32, UInt32)

    /// A nonce from three 32-bit words, written big-endian in this order.
    public init(_ first: UInt32, _ second: UInt32, _ third: UInt32) {
        words = (first.bigEndian, second.bigEndian, third.bigEndian)
    }

    /// A nonce from exactly 12 bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        func word(_ index: Int) -> UInt32 {
            bytes.dropFirst(4 * index).prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
        }
        self.init(word(0), word(1), word(2))
    }

    public static func == (lhs: AEADNonce, rhs: AEADNonce) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
    }
}

/// An authenticated cipher with one key, as the frame formats use it: AES-GCM (FrameCryptor and
/// the SFrame GCM suites) or AES-CTR with a truncated HMAC (the other SFrame suites).
///
/// Implementations set their key up once, so a frame costs no key schedule, and are not
/// thread-safe: use one per thread.
public protocol AEADKey: AnyObject {
    /// The tag length written and expected, in bytes.
    var tagLength: Int { get }

    /// Writes `ciphertext ‖ tag` for `plaintext` under `nonce` at `offset` in `output`, authenticating
    /// `aad`; `output` then ends right after the tag. Bytes `output` already holds are overwritten,
    /// not zero-filled first, so a buffer reused across frames costs no fill.
    ///
    /// - Throws: ``CryptoError`` when the cipher fails (OpenSSL's reason, or a message longer than
    ///   the cipher allows); `output` is then cut back to `offset` bytes.
    func seal(
        _ plaintext: ArraySlice<UInt8>,
        authenticating aad: ArraySlice<UInt8>,
        nonce: AEADNonce,
        into output: inout [UInt8],
        at offset: Int
    ) throws(CryptoError)

    /// Writes the plaintext of `ciphertextAndTag` at `offset` in `output` if its tag authenticates it
    /// and `aad` under `nonce`; `output` then ends right after the plaintext.
    ///
    /// - Returns: false when the tag does not authenticate the message (or the input is shorter
    ///   than a tag): the answer for a wrong key or changed bytes. No unauthenticated plaintext is
    ///   kept and `output` is cut back to `offset` bytes.
    /// - Throws: ``CryptoError`` when the cipher itself fails, which says nothing about the key.
    func open(
        _ ciphertextAndTag: ArraySlice<UInt8>,
        authenticating aad: ArraySlice<UInt8>,
        nonce: AEADNonce,
        into output: inout [UInt8],
        at offset: Int
    ) throws(CryptoError) -> Bool
}

extension Array where Element == UInt8 {
    /// Makes the array exactly `count` bytes long, keeping the bytes it has instead of zero-filling.
    mutating func resize(to count: Int) {
        if self.count < count {
            append(contentsOf: repeatElement(0, count: count - self.count))
        } else if self.count > count {
            removeLast(self.count - count)
        }
    }
}
