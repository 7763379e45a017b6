import FrameCryptCrypto
import FrameCryptFormat

/// The format's ``FrameCipher`` over an OpenSSL AES-GCM key.
struct OpenSSLFrameCipher: FrameCipher {
    let key: AESGCMKey

    func seal(
        _ plaintext: ArraySlice<UInt8>,
        authenticating aad: ArraySlice<UInt8>,
        iv: FrameIV,
        into output: inout [UInt8],
        at offset: Int
    ) throws(CipherFailure) {
        do {
            try key.seal(plaintext, authenticating: aad, nonce: Self.nonce(iv), into: &output, at: offset)
        } catch {
            throw CipherFailure(error)
        }
    }

    func open(
        _ ciphertextAndTag: ArraySlice<UInt8>,
        authenticating aad: ArraySlice<UInt8>,
        iv: FrameIV,
        into output: inout [UInt8],
        at offset: Int
    ) throws(CipherFailure) -> Bool {
        do {
            return try key.open(ciphertextAndTag, authenticating: aad, nonce: Self.nonce(iv), into: &output, at: offset)
        } catch {
            throw CipherFailure(error)
        }
    }

    private static func nonce(_ iv: FrameIV) -> AEADNonce {
        AEADNonce(iv.ssrc, iv.rtpTimestamp, iv.countedTimestamp)
    }
}
