internal import COpenSSL
import Glibc

/// Key material or a derived key: bytes that are wiped when the last reference goes and never printed.
///
/// Its bytes are reachable only through ``withUnsafeBytes(_:)``; its description is redacted, so an
/// accidental interpolation into a log or an error shows nothing secret. Comparison is constant-time.
public final class SecretBytes: @unchecked Sendable, Equatable, CustomStringConvertible {
    private let storage: UnsafeMutableRawBufferPointer

    /// Takes the bytes of `bytes` and wipes that array, so no copy of the secret outlives this call
    /// there.
    public init(wiping bytes: inout [UInt8]) {
        let storage = Self.lockedStorage(count: bytes.count)
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
        storage = Self.lockedStorage(count: count)
        self.count = count
        do {
            try fill(UnsafeMutableRawBufferPointer(rebasing: storage[0..<count]))
        } catch {
            Self.release(storage)
            throw error
        }
    }

    /// `count` bytes from OpenSSL's CSPRNG (`RAND_bytes`), for new keys.
    ///
    /// - Throws: ``CryptoError`` when the generator fails (it is never left unseeded silently).
    public static func random(count: Int) throws(CryptoError) -> SecretBytes {
        var generated = false
        let secret = SecretBytes(count: count) { buffer in
            generated = RAND_bytes(buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(count)) == 1
        }
        guard generated else {
            throw CryptoError.openSSL("random key generation")
        }
        return secret
    }

    deinit {
        Self.release(storage)
    }

    private static let pageSize = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)

    /// Whole pages of their own, locked in memory where the system allows (`mlock` fails silently
    /// past `RLIMIT_MEMLOCK`), so a secret is not written to swap. A page is never shared with
    /// other data: locks do not nest, and unlocking one secret must not unlock another's page.
    private static func lockedStorage(count: Int) -> UnsafeMutableRawBufferPointer {
        let size = (max(count, 1) + pageSize - 1) / pageSize * pageSize
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: pageSize)
        _ = mlock(storage.baseAddress, size)
        return storage
    }

    private static func release(_ storage: UnsafeMutableRawBufferPointer) {
        OPENSSL_cleanse(storage.baseAddress, storage.count)
        _ = munlock(storage.baseAddress, storage.count)
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
