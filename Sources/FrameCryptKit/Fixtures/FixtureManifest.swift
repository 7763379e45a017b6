public import FrameCryptCore

/// `Fixtures/cryptor/manifest.json`: for every fixture file, its scenario, keys and vectors, and
/// what decrypting it must give (docs/FIXTURES.md).
public struct FixtureManifest: Sendable, Codable, Equatable {
    /// One decryption of a fixture: the receiver's settings and, per stream, the states it must
    /// report and the digest of the packets it must write.
    public struct Decryption: Sendable, Codable, Equatable {
        /// The room's server-injected-frame trailer the receiver knows; nil for none.
        public let sifTrailerHex: String?
        public let ratchetWindow: Int
        /// Frames that do not decrypt are dropped, as receivers drop them.
        public let onFailure: String
        public let streams: [StreamExpectation]
    }

    /// What one stream of a decrypted fixture must look like.
    public struct StreamExpectation: Sendable, Codable, Equatable {
        public let index: Int
        public let codec: String
        public let participant: String?
        /// Frames per state a receiver reports.
        public let states: [String: Int]
        /// Packets in the decrypted file.
        public let packets: Int
        /// SHA-256 over the decrypted packets in file order, each as a 4-byte big-endian length
        /// followed by its bytes.
        public let sha256: String
    }

    /// One fixture file.
    public struct File: Sendable, Codable, Equatable {
        public let id: String
        public let description: String
        public let scenario: String?
        /// The clear media it was made from.
        public let input: String
        public let file: String
        /// SHA-256 of the encrypted file.
        public let sha256: String
        public let keys: String
        public let vectors: String
        public let vectorCount: Int
        public let decrypt: [Decryption]
    }

    public let _about: String
    /// The recipe the suite is built from.
    public let suite: String
    public let files: [File]
}
