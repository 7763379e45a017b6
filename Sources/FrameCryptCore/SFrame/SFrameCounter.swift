/// The next counter of one SFrame key, shared by every stream of a file that encrypts under that
/// key and KID, so that no (key, KID, CTR) is ever used twice (RFC 9605 §9.1).
package final class SFrameCounter {
    private var next: UInt64?
    private let end: UInt64?

    /// A counter that takes the values of `range` in order.
    package init(range: SFrameCounterRange) {
        next = range.start
        end = range.end
    }

    /// A counter from `start` up to 2^64−1.
    convenience init(start: UInt64) {
        self.init(range: .single(start: start))
    }

    /// Takes the next counter; nil once the range's last counter (or 2^64−1) has been used, after
    /// which the key must not encrypt.
    func take() -> UInt64? {
        guard let value = next, value != end else { return nil }
        next = value == .max ? nil : value + 1
        return value
    }
}
