import Foundation
import FrameCryptCore
import FrameCryptMedia

/// Process-wide set-up for file jobs, done once by the command line before any work.
package enum JobEnvironment {
    /// Routes FFmpeg's log (shown only when `verbose`) and makes SIGINT, SIGTERM and SIGHUP remove
    /// unfinished outputs before exiting. SIGXFSZ is ignored, so that a file size limit (`ulimit -f`)
    /// fails the write like a full disk instead of killing the process with a half-written file.
    package static func prepare(verbose: Bool) {
        MediaLog.route(verbose: verbose)
        PendingOutputs.removeOnInterrupt()
        signal(SIGXFSZ, SIG_IGN)
    }
}
