/// The next counter of one SFrame key, shared by every stream of a file that encrypts under that
/// key and KID, so that no (key, KID, CTR) is ever used twice (RFC 9605 §9.1).
final class SFrameCounter {
    private var next: UInt64?

    /// A counter whose first value is `start`.
    init(start: UInt64) {
        next = start
    }

    /// Takes the next counter; nil once 2^64−1 has been used, after which the key must not encrypt.
    func take() -> UInt64? {
        guard let value = next else { return nil }
        next = value == .max ? nil : value + 1
        return value
    }
}
