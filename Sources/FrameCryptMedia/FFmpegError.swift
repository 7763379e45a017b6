internal import CFFmpeg

/// A failed FFmpeg call: its negative return code and the function that returned it.
///
/// `description` is one line: the operation, FFmpeg's text for the code and, when FFmpeg logged a
/// more specific reason during the call (for example "moov atom not found"), that reason.
public struct FFmpegError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The C return code (an `AVERROR` value).
    public let code: Int32
    /// The FFmpeg function that failed.
    public let operation: String
    /// The last error FFmpeg logged while the call ran, if any.
    public let detail: String?

    init(code: Int32, operation: String, detail: String? = nil) {
        self.code = code
        self.operation = operation
        self.detail = detail
    }

    /// The input does not exist. The corresponding C error is `AVERROR(ENOENT)`.
    public var isNoSuchFile: Bool { code == CFFmpeg_AVERROR(ENOENT) }
    /// Access was denied. The corresponding C errors are `AVERROR(EACCES)` and `AVERROR(EPERM)`.
    public var isPermissionDenied: Bool { code == CFFmpeg_AVERROR(EACCES) || code == CFFmpeg_AVERROR(EPERM) }
    /// The output device is full. The corresponding C error is `AVERROR(ENOSPC)`.
    public var isNoSpace: Bool { code == CFFmpeg_AVERROR(ENOSPC) }
    /// Writing failed below FFmpeg: an I/O error, a file size limit, a read-only file system reached
    /// late. The corresponding C errors are `AVERROR(EIO)`, `AVERROR(EFBIG)`, `AVERROR(EROFS)`,
    /// `AVERROR(EDQUOT)`.
    public var isWriteFailure: Bool {
        [EIO, EFBIG, EROFS, EDQUOT].contains { code == CFFmpeg_AVERROR($0) }
    }
    /// A directory on the path is missing or is not a directory.
    public var isBadPath: Bool { code == CFFmpeg_AVERROR(ENOTDIR) || code == CFFmpeg_AVERROR(EISDIR) }

    /// FFmpeg's text for the code. The corresponding C function is `av_strerror`.
    public var reason: String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(AV_ERROR_MAX_STRING_SIZE)) { buffer in
            guard let base = buffer.baseAddress else { return "error \(code)" }
            guard av_strerror(code, base, buffer.count) == 0 else { return "error \(code)" }
            return String(cString: base)
        }
    }

    public var description: String {
        if let detail, !detail.isEmpty {
            return "\(reason) (\(detail))"
        }
        return reason
    }
}

/// Checks an FFmpeg return code: negative values throw, others are returned.
///
/// Every C call of this module goes through here, so errors always name their operation and carry
/// the reason FFmpeg logged.
@discardableResult
func ff(_ body: () -> Int32, _ operation: String) throws(FFmpegError) -> Int32 {
    MediaLog.clearLastError()
    return try check(body(), operation)
}

/// Checks a return code already obtained (after ``MediaLog/clearLastError()``), for calls whose
/// non-error results need looking at first.
@discardableResult
func check(_ code: Int32, _ operation: String) throws(FFmpegError) -> Int32 {
    guard code >= 0 else {
        throw FFmpegError(code: code, operation: operation, detail: MediaLog.lastError())
    }
    return code
}

/// The error for an allocation that returned NULL. The corresponding C error is `AVERROR(ENOMEM)`.
func outOfMemory(_ operation: String) -> FFmpegError {
    FFmpegError(code: CFFmpeg_AVERROR(ENOMEM), operation: operation)
}
