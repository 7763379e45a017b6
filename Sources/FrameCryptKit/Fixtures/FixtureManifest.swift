import FrameCryptCore

/// `Fixtures/cryptor/manifest.json`: for every fixture file, its scenario, keys and vectors, and
/// what decrypting it must give (docs/FIXTURES.md).
package struct FixtureManifest: Sendable, Codable, Equatable {
    /// One decryption of a fixture: the receiver's settings and, per stream, the states it must
    /// report and the digest of the packets it must write.
    package struct Decryption: Sendable, Codable, Equatable {
        /// The room's server-injected-frame trailer the receiver knows; nil for none.
        package let sifTrailerHex: String?
        package let ratchetWindow: Int
        /// Frames that do not decrypt are dropped, as receivers drop them.
        package let onFailure: String
        package let streams: [StreamExpectation]
    }

    /// What one stream of a decrypted fixture must look like.
    package struct StreamExpectation: Sendable, Codable, Equatable {
        package let index: Int
        package let codec: String
        package let participant: String?
        /// Frames per state a receiver reports.
        package let states: [String: Int]
        /// Packets in the decrypted file.
        package let packets: Int
        /// SHA-256 over the decrypted packets in file order, each as a 4-byte big-endian length
        /// followed by its bytes.
        package let sha256: String
    }

    /// One fixture file.
    package struct File: Sendable, Codable, Equatable {
        package let id: String
        package let description: String
        package let scenario: String?
        /// The clear media it was made from.
        package let input: String
        package let file: String
        /// SHA-256 of the encrypted file.
        package let sha256: String
        package let keys: String
        package let vectors: String
        package let vectorCount: Int
        package let decrypt: [Decryption]
    }

    package let _about: String
    /// The recipe the suite is built from.
    package let suite: String
    package let files: [File]
}
