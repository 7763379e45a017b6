import FrameCryptCrypto
import Testing

@testable import FrameCryptBatch
@testable import FrameCryptCore
@testable import FrameCryptKit

@Suite("Derivations shared by a batch")
struct DerivationCacheTests {
    private func roomKey(function: KeyDerivationFunction = .pbkdf2) throws -> KeySet {
        var text = Array("batch room key".utf8)
        return try KeySet.sharedKey(
            SecretBytes(wiping: &text),
            at: 0,
            parameters: try KeyDerivationParameters(function: function),
            ringSize: 16
        )
    }

    private func fingerprints(_ keys: KeySet, ratchetedBy steps: Int) throws -> [String?] {
        let ring = try #require(try keys.makeProvider().keyRing(for: "alice"))
        var seen = [ring.fingerprint(at: 0)]
        for _ in 0..<steps {
            try ring.ratchetKey(at: 0)
            seen.append(ring.fingerprint(at: 0))
        }
        return seen
    }

    @Test("every job's provider gets the keys an uncached one derives, each derivation running once")
    func derivedOnce() throws {
        let plain = try roomKey()
        let cached = plain.cachingDerivations()
        let cache = try #require(cached.parameters.derivations)
        let expected = try fingerprints(plain, ratchetedBy: 2)
        #expect(try fingerprints(cached, ratchetedBy: 2) == expected)
        // The key, then per step the ratcheted material and its key.
        #expect(cache.derivations == 5)
        for _ in 0..<3 {
            #expect(try fingerprints(cached, ratchetedBy: 2) == expected)
        }
        #expect(cache.derivations == 5)
        #expect(plain.parameters.derivations == nil)
    }

    @Test("different material or parameters never share an entry")
    func keyedByMaterialAndLength() throws {
        let cached = try roomKey().cachingDerivations()
        var other = Array("another room key".utf8)
        let second = try KeySet.sharedKey(
            SecretBytes(wiping: &other),
            at: 0,
            parameters: cached.parameters,
            ringSize: 16
        )
        var again = Array("another room key".utf8)
        let plainSecond = try KeySet.sharedKey(
            SecretBytes(wiping: &again),
            at: 0,
            parameters: try KeyDerivationParameters(function: .pbkdf2),
            ringSize: 16
        )
        _ = try fingerprints(cached, ratchetedBy: 0)
        // The second key set shares the first one's cache (same parameters value), yet gets its own keys.
        #expect(try fingerprints(second, ratchetedBy: 1) != (try fingerprints(cached, ratchetedBy: 1)))
        #expect(try fingerprints(second, ratchetedBy: 1) == (try fingerprints(plainSecond, ratchetedBy: 1)))
        #expect(cached.parameters.derivations?.derivations == 6)
    }

    @Test("a batch's jobs share one cache for the command's keys")
    func batchShares() throws {
        let batch = BatchKeys(shared: try roomKey(function: .hkdf), scheme: nil, settings: KeySourceSettings())
        let jobs = (0..<3).map { BatchJob(input: "in-\($0).mp4", output: nil, origin: "job \($0)") }
        let keys = try jobs.map { (job) throws in
            try batch.assignment(for: job, participants: ParticipantAssignment()).keys
        }
        let first = try #require(keys[0].parameters.derivations)
        _ = try fingerprints(keys[1], ratchetedBy: 0)
        _ = try fingerprints(keys[2], ratchetedBy: 0)
        #expect(keys[2].parameters.derivations === first)
        #expect(first.derivations == 1)
    }
}
