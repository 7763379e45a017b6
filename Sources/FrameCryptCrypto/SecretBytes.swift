internal import COpenSSL

/// Key material or a derived key: bytes that are wiped when the last reference goes and never printed.
///
/// Its bytes are reachable only through ``withUnsafeBytes(_:)``; its description is redacted, so an
/// accidental interpolation into a log or an error shows nothing secret. Comparison is constant-time.
public final class SecretBytes: @unchecked Sendable, Equatable, CustomStringConvertible {
    private let storage: UnsafeMutableRawBufferPointer

    /// Takes the bytes of `bytes` and wipes that array, so no copy of the secret outlives this call
    /// there.
    public init(wiping bytes: inout [UInt8]) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeMutableBytes { source in
            if let base = source.baseAddress {
                storage.baseAddress?.copyMemory(from: base, byteCount: source.count)
                OPENSSL_cleanse(base, source.count)
            }
        }
        self.storage = storage
        count = bytes.count
        bytes.removeAll()
    }

    /// Allocates `count` bytes and lets `fill` write them (used by the derivation functions).
    init(count: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        self.count = count
        do {
            try fill(UnsafeMutableRawBufferPointer(rebasing: storage[0..<count]))
        } catch {
            OPENSSL_cleanse(storage.baseAddress, storage.count)
            storage.deallocate()
            throw error
        }
    }

    deinit {
        OPENSSL_cleanse(storage.baseAddress, storage.count)
        storage.deallocate()
    }

    /// Number of secret bytes.
    public let count: Int

    /// Calls `body` with a read-only view of the bytes; the view must not escape.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(rebasing: storage[0..<count]))
    }

    /// Always `SecretBytes(<n> bytes, redacted)`.
    public var description: String {
        "SecretBytes(\(count) bytes, redacted)"
    }

    /// Constant-time comparison (`CRYPTO_memcmp`).
    public static func == (lhs: SecretBytes, rhs: SecretBytes) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
