internal import COpenSSL

/// One AES-GCM key (AES-128 or AES-256, chosen by its length) with OpenSSL contexts set up once.
///
/// Per frame only the nonce is set, so sealing costs no key schedule. A class rather than a
/// noncopyable struct because key rings keep these in collections; the contexts are freed (and
/// their key schedules wiped by OpenSSL) in `deinit`. Not thread-safe: use one per thread.
public final class AESGCMKey: AEADKey {
    /// Tag length written and expected, in bytes.
    public static let tagLength = 16

    /// AES-GCM's 16-byte tag.
    public var tagLength: Int {
        Self.tagLength
    }

    private let encryptor: OpaquePointer
    private let decryptor: OpaquePointer

    /// Sets up encryption and decryption contexts for `key` (16 or 32 bytes).
    ///
    /// - Throws: ``CryptoError`` for any other key length or if OpenSSL fails.
    public init(key: SecretBytes) throws {
        let cipher: OpaquePointer?
        switch key.count {
        case 16: cipher = EVP_aes_128_gcm()
        case 32: cipher = EVP_aes_256_gcm()
        default: throw CryptoError.unsupportedKeyLength(key.count)
        }
        guard let encryptor = EVP_CIPHER_CTX_new() else { throw CryptoError.openSSL("AES-GCM context allocation") }
        guard let decryptor = EVP_CIPHER_CTX_new() else {
            EVP_CIPHER_CTX_free(encryptor)
            throw CryptoError.openSSL("AES-GCM context allocation")
        }
        self.encryptor = encryptor
        self.decryptor = decryptor
        try key.withUnsafeBytes { bytes in
            let keyPointer = bytes.bindMemory(to: UInt8.self).baseAddress
            try check(EVP_EncryptInit_ex(encryptor, cipher, nil, keyPointer, nil), "AES-GCM key setup")
            try check(EVP_DecryptInit_ex(decryptor, cipher, nil, keyPointer, nil), "AES-GCM key setup")
        }
    }

    deinit {
        EVP_CIPHER_CTX_free(encryptor)
        EVP_CIPHER_CTX_free(decryptor)
    }

    /// Seals as ``AEADKey/seal(_:authenticating:nonce:into:at:)`` says, with AES-GCM.
    public func seal(
        _ plaintext: ArraySlice<UInt8>,
        authenticating aad: ArraySlice<UInt8>,
        nonce: AEADNonce,
        into output: inout [UInt8],
        at offset: Int
    ) throws(CryptoError) {
        output.resize(to: offset + plaintext.count + Self.tagLength)
        let sealed = output.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            return sealRaw(plaintext, aad: aad, nonce: nonce, into: base + offset)
        }
        guard sealed else {
            output.resize(to: offset)
            throw CryptoError.openSSL("AES-GCM encryption")
        }
    }

    /// Opens as ``AEADKey/open(_:authenticating:nonce:into:at:)`` says, with AES-GCM.
    public func open(
        _ ciphertextAndTag: ArraySlice<UInt8>,
        authenticating aad: ArraySlice<UInt8>,
        nonce: AEADNonce,
        into output: inout [UInt8],
        at offset: Int
    ) throws(CryptoError) -> Bool {
        guard ciphertextAndTag.count >= Self.tagLength else {
            output.resize(to: offset)
            return false
        }
        let plaintextCount = ciphertextAndTag.count - Self.tagLength
        output.resize(to: offset + plaintextCount)
        let opening = output.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return Opening.cipherFailed }
            return openRaw(ciphertextAndTag, aad: aad, nonce: nonce, into: base + offset)
        }
        guard opening == .authentic else {
            output.withUnsafeMutableBytes { bytes in
                OPENSSL_cleanse(bytes.baseAddress.map { $0 + offset }, plaintextCount)
            }
            output.resize(to: offset)
            if opening == .cipherFailed {
                throw CryptoError.openSSL("AES-GCM decryption")
            }
            return false
        }
        return true
    }

    /// What opening one message found.
    private enum Opening {
        case authentic
        /// The tag does not match: a wrong key or changed bytes.
        case notAuthentic
        /// OpenSSL failed before the tag could be checked; its error queue says why.
        case cipherFailed
    }

    private func sealRaw(
        _ plaintext: ArraySlice<UInt8>,
        aad: ArraySlice<UInt8>,
        nonce: AEADNonce,
        into out: UnsafeMutablePointer<UInt8>
    ) -> Bool {
        var finalLength: Int32 = 0
        guard setNonce(nonce, on: encryptor, encrypt: true),
            update(encryptor, aad, into: nil, encrypt: true) != nil,
            let dataLength = update(encryptor, plaintext, into: out, encrypt: true),
            EVP_EncryptFinal_ex(encryptor, out + Int(dataLength), &finalLength) == 1,
            EVP_CIPHER_CTX_ctrl(encryptor, EVP_CTRL_GCM_GET_TAG, Int32(Self.tagLength), out + plaintext.count) == 1
        else { return false }
        return Int(dataLength + finalLength) == plaintext.count
    }

    /// Decrypts into `out`; only the final step's failure means the tag did not match.
    private func openRaw(
        _ ciphertextAndTag: ArraySlice<UInt8>,
        aad: ArraySlice<UInt8>,
        nonce: AEADNonce,
        into out: UnsafeMutablePointer<UInt8>
    ) -> Opening {
        let ciphertext = ciphertextAndTag.dropLast(Self.tagLength)
        var finalLength: Int32 = 0
        return ciphertextAndTag.withUnsafeBufferPointer { sealed -> Opening in
            guard let sealedBase = sealed.baseAddress else { return .cipherFailed }
            let tag = UnsafeMutableRawPointer(mutating: sealedBase + ciphertext.count)
            guard setNonce(nonce, on: decryptor, encrypt: false),
                update(decryptor, aad, into: nil, encrypt: false) != nil,
                let dataLength = update(decryptor, ciphertext, into: out, encrypt: false),
                EVP_CIPHER_CTX_ctrl(decryptor, EVP_CTRL_GCM_SET_TAG, Int32(Self.tagLength), tag) == 1
            else { return .cipherFailed }
            guard EVP_DecryptFinal_ex(decryptor, out + Int(dataLength), &finalLength) == 1 else {
                // A tag mismatch leaves nothing on the error queue worth keeping.
                ERR_clear_error()
                return .notAuthentic
            }
            return .authentic
        }
    }

    /// Starts a new message on `context` with `nonce`; the key stays as set up.
    private func setNonce(_ nonce: AEADNonce, on context: OpaquePointer, encrypt: Bool) -> Bool {
        var words = nonce.words
        return withUnsafeBytes(of: &words) { bytes in
            let iv = bytes.bindMemory(to: UInt8.self).baseAddress
            return encrypt
                ? EVP_EncryptInit_ex(context, nil, nil, nil, iv) == 1
                : EVP_DecryptInit_ex(context, nil, nil, nil, iv) == 1
        }
    }

    /// Feeds `input` through the context, as AAD when `out` is nil, else as data written to `out`.
    ///
    /// - Returns: the number of bytes written, or nil if OpenSSL failed.
    private func update(
        _ context: OpaquePointer,
        _ input: ArraySlice<UInt8>,
        into out: UnsafeMutablePointer<UInt8>?,
        encrypt: Bool
    ) -> Int32? {
        guard !input.isEmpty else { return 0 }
        var length: Int32 = 0
        let ok = input.withUnsafeBufferPointer { bytes in
            encrypt
                ? EVP_EncryptUpdate(context, out, &length, bytes.baseAddress, Int32(bytes.count)) == 1
                : EVP_DecryptUpdate(context, out, &length, bytes.baseAddress, Int32(bytes.count)) == 1
        }
        return ok ? length : nil
    }
}
