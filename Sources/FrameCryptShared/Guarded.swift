import Foundation

/// A value shared between threads, reached only under a lock.
///
/// framecrypt uses this rather than `Synchronization.Mutex`: on Linux that one locks with futexes
/// inside a library ThreadSanitizer does not see into, so every access it protects is reported as a
/// race and `make test-sanitized` could not check the code around it. This lock is a pthread mutex,
/// which ThreadSanitizer understands.
public final class Guarded<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    /// Guards `value`.
    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the value while holding the lock.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
