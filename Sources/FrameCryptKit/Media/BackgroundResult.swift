import Foundation
import FrameCryptCore
import FrameCryptCrypto

/// A value computed on a thread of its own while the caller gets on with other work: a job derives
/// its keys (100 000 PBKDF2 rounds per key) while it opens the input and the output.
final class BackgroundResult<Value>: @unchecked Sendable {
    private let work: () throws(FrameCryptError) -> Value
    /// Written by the background thread before it signals `done`; read by the caller after waiting.
    private var result: Result<Value, FrameCryptError>?
    private let done = DispatchSemaphore(value: 0)
    private var joined = false

    /// Starts `work` at once.
    init(_ work: @escaping () throws(FrameCryptError) -> Value) {
        self.work = work
        let thread = Thread { [self] in
            do throws(FrameCryptError) {
                result = .success(try self.work())
            } catch {
                result = .failure(error)
            }
            CryptoLibrary.releaseThreadState()
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the work to finish. Every path out of the caller must come here: a process that
    /// exits while the work is still inside OpenSSL crashes in OpenSSL's exit handler.
    func wait() {
        if !joined {
            done.wait()
            joined = true
        }
    }

    /// The value, waiting for it if the work is still running; call from the creating thread.
    ///
    /// - Throws: the work's error.
    func value() throws(FrameCryptError) -> Value {
        wait()
        guard let result else { preconditionFailure("background work finished without a result") }
        return try result.get()
    }
}
