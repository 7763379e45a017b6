internal import CFFmpeg
import Foundation
import FrameCryptShared

/// Where FFmpeg's own log messages go.
///
/// By default nothing reaches the terminal; the last error-level line is kept so that failures can
/// say why (`FFmpegError.detail`). In verbose mode every message at warning level or above is also
/// written to standard error, prefixed with `ffmpeg:`.
///
/// What is kept is kept per thread: FFmpeg logs on the thread that called it (framecrypt's decoders
/// run single-threaded), so jobs running side by side in a batch never see each other's errors.
public enum MediaLog {
    private struct State {
        var installed = false
        var verbose = false
        var threads: [pthread_t: ThreadLog] = [:]

        /// The calling thread's log.
        var current: ThreadLog {
            get { threads[pthread_self()] ?? ThreadLog() }
            set { threads[pthread_self()] = newValue }
        }
    }

    /// What one thread's FFmpeg calls logged.
    private struct ThreadLog {
        var lastError: String?
        var truncation: String?
        var errors = LoggedErrors()
    }

    /// Phrases FFmpeg's demuxers log (some only as warnings) when a file stops before its end:
    /// Matroska "File ended prematurely", MP4 "partial file", and "truncated".
    private static let truncationPhrases = ["ended prematurely", "partial file", "truncated"]

    private static let state = Guarded(State())

    /// Installs framecrypt's handler for FFmpeg's log. The corresponding C function is `av_log_set_callback`.
    ///
    /// - Parameter verbose: also show FFmpeg's warnings and errors on standard error.
    public static func route(verbose: Bool) {
        state.withLock { $0.verbose = verbose }
        install()
    }

    /// Installs the handler unless done already; demuxers and muxers call this, so that errors carry
    /// FFmpeg's reason and truncation is noticed even when ``route(verbose:)`` was never called.
    static func install() {
        let first = state.withLock { state in
            defer { state.installed = true }
            return !state.installed
        }
        if first {
            av_log_set_level(AV_LOG_WARNING)
            av_log_set_callback(logCallback)
        }
    }

    /// Forgets the calling thread's last error; called before every packet read, so it changes the
    /// log in place and adds nothing for a thread that never logged.
    static func clearLastError() {
        state.withLock { $0.threads[pthread_self()]?.lastError = nil }
    }

    static func lastError() -> String? {
        state.withLock { $0.current.lastError }
    }

    /// The errors FFmpeg logged since the last call (decoders report damaged data this way).
    static func takeErrors() -> LoggedErrors {
        state.withLock { state in
            defer { state.current.errors = LoggedErrors() }
            return state.current.errors
        }
    }

    /// The message of a truncation FFmpeg reported since the last call, if any.
    static func takeTruncation() -> String? {
        state.withLock { state in
            defer { state.current.truncation = nil }
            return state.current.truncation
        }
    }

    fileprivate static func record(level: Int32, line: String) {
        // `[matroska,webm @ 0x55d1…]` names a context by its address, which differs on every run.
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines).replacing(#/ @ 0x[0-9a-fA-F]+\]/#, with: "]")
        guard !trimmed.isEmpty else { return }
        let verbose = state.withLock { state in
            if level <= AV_LOG_ERROR {
                state.current.lastError = trimmed
                state.current.errors.add(trimmed)
            }
            if truncationPhrases.contains(where: { trimmed.localizedCaseInsensitiveContains($0) }) {
                state.current.truncation = trimmed
            }
            return state.verbose
        }
        if verbose {
            FileHandle.standardError.write(Data("ffmpeg: \(trimmed)\n".utf8))
        }
    }
}

/// Error lines FFmpeg logged: how many, and the first few distinct ones without their
/// `[component @ address]` prefix.
public struct LoggedErrors: Sendable {
    /// Distinct messages kept at most.
    public static let kept = 3

    /// FFmpeg messages seen so far.
    public private(set) var count = 0
    /// The first few of those messages, as FFmpeg wrote them.
    public private(set) var samples: [String] = []

    mutating func add(_ line: String) {
        count += 1
        var message = Substring(line)
        if message.hasPrefix("["), let end = message.firstIndex(of: "]") {
            message = message[message.index(after: end)...].drop { $0 == " " }
        }
        if samples.count < Self.kept && !samples.contains(String(message)) {
            samples.append(String(message))
        }
    }
}

private func logCallback(
    context: UnsafeMutableRawPointer?,
    level: Int32,
    format: UnsafePointer<CChar>?,
    arguments: CVaListPointer?
) {
    guard level <= av_log_get_level(), let format, let arguments else { return }
    var printPrefix: Int32 = 1
    let capacity = 1024
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer in
        guard let base = buffer.baseAddress else { return }
        base.initialize(to: 0)
        _ = av_log_format_line2(context, level, format, arguments, base, Int32(capacity), &printPrefix)
        MediaLog.record(level: level, line: String(cString: base))
    }
}
