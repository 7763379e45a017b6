import Foundation

/// Stops the process with `message` on stderr when a property a target checks does not hold.
///
/// `precondition` drops its message in optimized builds; libFuzzer then keeps the input that
/// stopped it, and the message says which property broke.
package func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String) {
    guard !condition else { return }
    FileHandle.standardError.write(Data("fuzz check failed: \(message())\n".utf8))
    abort()
}
