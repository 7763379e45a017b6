package import Foundation
import FrameCryptShared

/// An output written to a temporary file beside its target and renamed into place only on success,
/// so a failed or interrupted run leaves nothing behind and never a half-written target.
///
/// A target that is a character device or a named pipe (`/dev/null`, `/dev/stdout`, a FIFO) is
/// written in place instead: renaming a file over it would replace the device for every program
/// on the machine.
package final class OutputFile {
    /// The file the job produces.
    package let target: String
    /// Where the muxer writes until ``commit()``: the target itself for a device or a pipe.
    package let temporary: String
    /// True when the target is a character device or a named pipe, written in place.
    let isStream: Bool
    private var finished = false

    /// Reserves a temporary name beside `target`.
    ///
    /// - Throws: ``FrameCryptError`` `.outputExists` when `target` exists and `overwrite` is false,
    ///   `.outputFailure` when its folder is missing or not writable, or when it is a directory, a
    ///   block device or a socket.
    package init(target: String, overwrite: Bool) throws(FrameCryptError) {
        self.target = target
        var status = stat()
        if stat(target, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFCHR, S_IFIFO:
                temporary = target
                isStream = true
                return
            case S_IFDIR:
                throw FrameCryptError(.outputFailure, "\(target): is a directory")
            case S_IFREG:
                guard overwrite else {
                    throw FrameCryptError(.outputExists, "\(target): already exists", remedy: .overwrite)
                }
            default:
                throw FrameCryptError(
                    .outputFailure,
                    "\(target): is neither a regular file, a character device nor a pipe"
                )
            }
        }
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let url = URL(fileURLWithPath: target)
        let folder = url.deletingLastPathComponent().path
        guard manager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FrameCryptError(.outputFailure, "\(target): folder \(folder) does not exist")
        }
        guard manager.isWritableFile(atPath: folder) else {
            throw FrameCryptError(.outputFailure, "\(target): folder \(folder) is not writable")
        }
        isStream = false
        temporary =
            url.deletingLastPathComponent()
            .appendingPathComponent(
                "\(Self.temporaryPrefix(of: target))\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
            )
            .path
        PendingOutputs.register(temporary)
    }

    /// Writes `data` as the whole output, for outputs made in memory (JSON reports, vectors, key
    /// files); the file is created with `mode` (less the umask), so a private file is never briefly
    /// readable by others.
    ///
    /// - Throws: ``FrameCryptError`` `.outputFailure` when the file cannot be created,
    ///   `.writeFailure` when writing it fails (disk full, file size limit, I/O error).
    package func write(_ data: Data, mode: mode_t = 0o666) throws(FrameCryptError) {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            abandon()
            throw FrameCryptError(.outputFailure, "\(target): cannot be created: \(reason)")
        }
        var failure: Int32 = 0
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 && errno == EINTR {
                    continue
                }
                guard count > 0 else {
                    failure = count < 0 ? errno : ENOSPC
                    return
                }
                offset += count
            }
        }
        if close(descriptor) != 0 && failure == 0 {
            failure = errno
        }
        guard failure == 0 else {
            abandon()
            throw FrameCryptError(.writeFailure, "\(target): cannot be written: \(String(cString: strerror(failure)))")
        }
    }

    /// The start of every temporary name for `target`: `.NAME.framecrypt-`, then the writer's
    /// process id.
    private static func temporaryPrefix(of target: String) -> String {
        ".\(URL(fileURLWithPath: target).lastPathComponent).framecrypt-"
    }

    /// Removes the temporary files of `target` left by writers that no longer run (a process
    /// killed with SIGKILL, or a machine that lost power), so a rerun starts clean.
    package static func removeAbandonedTemporaries(of target: String) {
        let folder = URL(fileURLWithPath: target).deletingLastPathComponent().path
        let prefix = temporaryPrefix(of: target)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let writer = name.dropFirst(prefix.count).prefix { $0 != "-" }
            guard let pid = pid_t(writer), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink("\(folder)/\(name)")
        }
    }

    deinit {
        if !finished {
            abandon()
        }
    }

    /// Moves the finished temporary file onto the target.
    package func commit() throws(FrameCryptError) {
        finished = true
        guard !isStream else { return }
        PendingOutputs.unregister(temporary)
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw FrameCryptError(.outputFailure, "\(target): cannot be written: \(reason)")
        }
    }

    /// Removes the temporary file; a device or pipe is left alone.
    package func abandon() {
        finished = true
        guard !isStream else { return }
        PendingOutputs.unregister(temporary)
        unlink(temporary)
    }
}

/// Temporary outputs in progress, removed when the process is interrupted by a signal.
package enum PendingOutputs {
    private static let paths = Guarded<Set<String>>([])
    /// Set once, by the main thread, before any work starts.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func register(_ path: String) {
        paths.withLock { _ = $0.insert(path) }
    }

    static func unregister(_ path: String) {
        paths.withLock { _ = $0.remove(path) }
    }

    /// Removal passes, 20 ms apart, made when interrupted.
    private static let interruptPasses = 5

    /// On SIGINT, SIGTERM or SIGHUP: remove every temporary output and exit with 128 + the signal
    /// number, as shells report a process killed by it.
    package static func removeOnInterrupt() {
        let handlers = [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                // The lock is held to the end, so no job registers or commits another file; files a
                // running job opens right after its registration are caught by the later passes.
                paths.withLock { pending in
                    for _ in 0..<interruptPasses {
                        for path in pending {
                            unlink(path)
                        }
                        usleep(20_000)
                    }
                    _exit(128 + number)
                }
            }
            source.resume()
            return source
        }
        sources = handlers
    }
}
