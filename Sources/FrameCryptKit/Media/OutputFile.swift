import Foundation
import Synchronization

/// An output written to a temporary file beside its target and renamed into place only on success,
/// so a failed or interrupted run leaves nothing behind and never a half-written target.
final class OutputFile {
    /// The file the job produces.
    let target: String
    /// Where the muxer writes until ``commit()``.
    let temporary: String
    private var finished = false

    /// Reserves a temporary name beside `target`.
    ///
    /// - Throws: ``FrameCryptError`` `.outputExists` when `target` exists and `overwrite` is false,
    ///   `.outputFailure` when its folder is missing or not writable.
    init(target: String, overwrite: Bool) throws(FrameCryptError) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: target, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else {
                throw FrameCryptError(.outputFailure, "\(target): is a directory")
            }
            guard overwrite else {
                throw FrameCryptError(.outputExists, "\(target): already exists (use --force to overwrite)")
            }
        }
        let url = URL(fileURLWithPath: target)
        let folder = url.deletingLastPathComponent().path
        guard manager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FrameCryptError(.outputFailure, "\(target): folder \(folder) does not exist")
        }
        guard manager.isWritableFile(atPath: folder) else {
            throw FrameCryptError(.outputFailure, "\(target): folder \(folder) is not writable")
        }
        self.target = target
        temporary =
            url.deletingLastPathComponent()
            .appendingPathComponent(
                ".\(url.lastPathComponent).framecrypt-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
            )
            .path
        PendingOutputs.register(temporary)
    }

    deinit {
        if !finished {
            abandon()
        }
    }

    /// Moves the finished temporary file onto the target.
    func commit() throws(FrameCryptError) {
        finished = true
        PendingOutputs.unregister(temporary)
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw FrameCryptError(.outputFailure, "\(target): cannot be written: \(reason)")
        }
    }

    /// Removes the temporary file.
    func abandon() {
        finished = true
        PendingOutputs.unregister(temporary)
        unlink(temporary)
    }
}

/// Temporary outputs in progress, removed when the process is interrupted by a signal.
enum PendingOutputs {
    private static let paths = Mutex<Set<String>>([])
    /// Set once, by the main thread, before any work starts.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func register(_ path: String) {
        paths.withLock { _ = $0.insert(path) }
    }

    static func unregister(_ path: String) {
        paths.withLock { _ = $0.remove(path) }
    }

    /// On SIGINT, SIGTERM or SIGHUP: remove every temporary output and exit with 128 + the signal
    /// number, as shells report a process killed by it.
    static func removeOnInterrupt() {
        let handlers = [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                for path in paths.withLock({ $0 }) {
                    unlink(path)
                }
                _exit(128 + number)
            }
            source.resume()
            return source
        }
        sources = handlers
    }
}
