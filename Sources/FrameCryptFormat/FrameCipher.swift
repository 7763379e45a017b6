/// AES-GCM with one key, as the frame format needs it. The format is written against this protocol
/// so that it stays free of any crypto library; framecrypt's implementation is OpenSSL's.
public protocol FrameCipher {
    /// Writes the ciphertext of `plaintext` followed by the 16-byte tag at `offset` in `output`,
    /// which then ends right after the tag. Bytes `output` already holds past `offset` may be
    /// overwritten in place (buffers are reused across frames).
    ///
    /// - Throws: ``CipherFailure`` if the cipher failed; `output` is then cut back to `offset` bytes.
    func seal(
        _ plaintext: ArraySlice<UInt8>,
        authenticating aad: ArraySlice<UInt8>,
        iv: FrameIV,
        into output: inout [UInt8],
        at offset: Int
    ) throws(CipherFailure)

    /// Writes the plaintext of `ciphertextAndTag` at `offset` in `output` when its tag authenticates
    /// it with `aad`; `output` then ends right after the plaintext.
    ///
    /// - Returns: false when the tag does not authenticate the frame (a wrong key, changed bytes);
    ///   `output` is then cut back to `offset` bytes and no unauthenticated plaintext is kept.
    /// - Throws: ``CipherFailure`` when the cipher itself failed, which says nothing about the key.
    func open(
        _ ciphertextAndTag: ArraySlice<UInt8>,
        authenticating aad: ArraySlice<UInt8>,
        iv: FrameIV,
        into output: inout [UInt8],
        at offset: Int
    ) throws(CipherFailure) -> Bool
}

/// A cipher that failed in itself (its library's error), as opposed to a frame that does not
/// authenticate. Keeps the library's error as it was thrown.
public struct CipherFailure: Error, Sendable, CustomStringConvertible {
    /// The cipher library's error.
    public let underlying: any Error & Sendable

    /// The failure of the cipher library, with its error.
    public init(_ underlying: any Error & Sendable) {
        self.underlying = underlying
    }

    public var description: String {
        String(describing: underlying)
    }
}

/// Sizes fixed by the FrameCryptor format.
public enum FrameLayout {
    /// AES-GCM tag length.
    public static let tagLength = 16
    /// The trailer: IV length (always 12) and key index.
    public static let trailerLength = 2
    /// Bytes a sender adds to a frame before any escaping: tag, IV and trailer.
    public static let overhead = tagLength + FrameIV.byteCount + trailerLength
}
