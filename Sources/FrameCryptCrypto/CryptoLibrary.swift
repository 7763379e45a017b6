internal import COpenSSL

/// The OpenSSL library framecrypt runs against.
public enum CryptoLibrary {
    /// OpenSSL's own version text at run time, e.g. `OpenSSL 3.0.17 1 Jul 2025`.
    ///
    /// The corresponding C function is `OpenSSL_version`.
    public static var version: String {
        String(cString: OpenSSL_version(OPENSSL_VERSION))
    }
}
