import Foundation
import FrameCryptCrypto
import Testing

/// What the process does with secrets: pages locked in memory, no core file, not dumpable.
@Suite("Secret custody")
struct SecretCustodyTests {
    /// The kernel's count of locked memory for this process (`VmLck` in /proc/self/status), in kB.
    static func lockedKilobytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmLck:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    /// The sanitizers' runtimes replace `mlock` with a no-op that reports success, so nothing can be
    /// locked under them (they print "AddressSanitizer ignores mlock" or the ThreadSanitizer line).
    static let underSanitizer = ["__asan_init", "__tsan_init"].contains { (name: String) in dlsym(nil, name) != nil }

    @Test(
        "secret bytes sit in locked pages of their own while they live",
        .enabled(if: !underSanitizer, "the sanitizers turn mlock into a no-op")
    )
    func secretsAreLocked() throws {
        let secrets = try (0..<64).map { _ in try SecretBytes.random(count: 32) }
        // Other tests may hold secrets too, which only adds locked pages.
        let locked = try Self.lockedKilobytes()
        #expect(locked >= 64 * 4, "VmLck \(locked) kB")
        #expect(Set(secrets.map { $0.withUnsafeBytes { Array($0) } }).count == 64, "random keys repeat")
    }

    @Test("holding secrets sets RLIMIT_CORE to 0 and the process not dumpable")
    func coreDumpsOff() {
        SecretCustody.holdSecrets()
        var limit = rlimit()
        #expect(getrlimit(Int32(RLIMIT_CORE.rawValue), &limit) == 0)
        #expect(limit.rlim_cur == 0 && limit.rlim_max == 0)
        #expect(SecretCustody.isHoldingSecrets)
    }
}
