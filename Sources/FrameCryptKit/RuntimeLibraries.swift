import FrameCryptCore
import FrameCryptCrypto
import FrameCryptMedia

/// The C libraries framecrypt runs on, as loaded at run time: what a bug report needs.
package enum RuntimeLibraries {
    /// One line per library: libavformat, libavcodec, libavutil, then OpenSSL.
    package static var versions: [String] {
        MediaLibraries.versions + [CryptoLibrary.version]
    }
}
