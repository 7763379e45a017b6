internal import COpenSSL

/// The OpenSSL library framecrypt runs against.
public enum CryptoLibrary {
    /// OpenSSL's own version text at run time, e.g. `OpenSSL 3.0.17 1 Jul 2025`.
    ///
    /// The corresponding C function is `OpenSSL_version`.
    public static var version: String {
        String(cString: OpenSSL_version(OPENSSL_VERSION))
    }

    /// Frees OpenSSL's state for the calling thread, its error queue among it. A worker thread that
    /// used OpenSSL calls this before it reports that it is done: left to OpenSSL, the state is freed
    /// only as the thread exits, which races with the exit of a process that was waiting for it.
    ///
    /// The corresponding C function is `OPENSSL_thread_stop`.
    public static func releaseThreadState() {
        OPENSSL_thread_stop()
    }
}
