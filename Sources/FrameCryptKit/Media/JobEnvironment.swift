import FrameCryptMedia

/// Process-wide set-up for file jobs, done once by the command line before any work.
public enum JobEnvironment {
    /// Routes FFmpeg's log (shown only when `verbose`) and makes SIGINT, SIGTERM and SIGHUP remove
    /// unfinished outputs before exiting.
    public static func prepare(verbose: Bool) {
        MediaLog.route(verbose: verbose)
        PendingOutputs.removeOnInterrupt()
    }
}
