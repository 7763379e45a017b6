/// AES-GCM with one key, as the frame format needs it. The format is written against this protocol
/// so that it stays free of any crypto library; framecrypt's implementation is OpenSSL's.
public protocol FrameCipher {
    /// Appends the ciphertext of `plaintext` followed by the 16-byte tag.
    ///
    /// - Returns: false if the cipher failed (the output is then left as it was).
    func seal(
        _ plaintext: ArraySlice<UInt8>,
        authenticating aad: ArraySlice<UInt8>,
        iv: FrameIV,
        appendingTo output: inout [UInt8]
    ) -> Bool

    /// Appends the plaintext of `ciphertextAndTag` when its tag authenticates it with `aad`.
    ///
    /// - Returns: false when authentication fails; the output is then left as it was and no
    ///   unauthenticated plaintext is kept.
    func open(
        _ ciphertextAndTag: ArraySlice<UInt8>,
        authenticating aad: ArraySlice<UInt8>,
        iv: FrameIV,
        appendingTo output: inout [UInt8]
    ) -> Bool
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
