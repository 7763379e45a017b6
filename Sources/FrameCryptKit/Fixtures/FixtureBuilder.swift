import Foundation
package import FrameCryptCore
import FrameCryptCrypto
import FrameCryptFormat

/// Builds a regression-fixture suite from its recipe: each fixture is encrypted (seeded, so the
/// bytes are the same on every machine), decrypted as a receiver would to record the states and
/// digests the manifest promises, and exported as vectors that must verify.
///
/// The expected states come from ``ReceiverModel`` (what the senders did), not from the decryptor;
/// building stops when the decryptor disagrees with them, so a manifest never records a state the
/// model cannot explain.
package enum FixtureBuilder {
    /// The manifest's name in a suite folder.
    package static let manifestName = "manifest.json"

    /// Builds every fixture of `suite` into `folder` and writes the manifest there.
    ///
    /// - Throws: ``FrameCryptError`` for a bad recipe, key or scenario file, a failed job, or a
    ///   fixture whose decryption or vectors do not come out as expected.
    package static func build(_ suite: FixtureSuite, into folder: String, progress: (String) -> Void = { _ in })
        throws(FrameCryptError) -> FixtureManifest
    {
        var files: [FixtureManifest.File] = []
        for entry in suite.entries {
            progress(entry.id)
            files.append(try build(entry, suite: suite, into: folder))
        }
        let manifest = FixtureManifest(
            _about:
                "framecrypt regression fixtures: every file decrypts with its keys to the listed states and packet digests (docs/FIXTURES.md). Rebuild with scripts/make-cryptor-fixtures.sh; check with framecrypt fixtures verify.",
            suite: URL(fileURLWithPath: suite.path).lastPathComponent,
            files: files
        )
        try JSONOutput.write(try JSONOutput.encode(manifest), to: "\(folder)/\(manifestName)")
        return manifest
    }

    private static func build(_ entry: FixtureSuite.Entry, suite: FixtureSuite, into folder: String)
        throws(FrameCryptError) -> FixtureManifest.File
    {
        let keys = try KeyFile.load(path: suite.resolve(entry.keys))
        let sframe = keys.scheme == .sframe
        let scenario = try entry.scenario.map { (path) throws(FrameCryptError) in
            try Scenario.load(path: suite.resolve(path))
        }
        let target = "\(folder)/\(entry.output)"
        let encrypted = try MediaEncryption.run(
            EncryptRequest(
                files: FileJob(input: suite.resolve(entry.input), output: target, format: nil, overwrite: true),
                keys: keys,
                participants: ParticipantAssignment(defaultParticipant: nil, byStream: entry.participants),
                keyIndex: entry.keyIndex,
                seed: entry.seed,
                scenario: sframe ? nil : scenario ?? Scenario()
            )
        )
        let trailer = scenario?.serverInjection?.trailer
        var decryptions: [FixtureManifest.Decryption] = []
        for knowsTrailer in trailer == nil ? [false] : [true, false] {
            let expected = encrypted.streams.map { stream in
                Self.expectedStates(of: stream, sframe: sframe, knowsTrailer: knowsTrailer)
            }
            decryptions.append(
                try FixtureDecryption.run(
                    target,
                    keys: keys,
                    trailer: knowsTrailer ? trailer : nil,
                    expected: expected,
                    fixture: entry.id
                )
            )
        }
        let vectorCount = try exportVectors(of: target, entry: entry, keys: keys, into: folder, trailer: trailer)
        return FixtureManifest.File(
            id: entry.id,
            description: entry.description,
            scenario: entry.scenario,
            input: entry.input,
            file: entry.output,
            sha256: try FileDigest.sha256(ofFile: target),
            keys: entry.keys,
            vectors: entry.vectorsFile,
            vectorCount: vectorCount,
            decrypt: decryptions
        )
    }

    /// Exports the fixture's per-frame vectors and checks that every one verifies.
    ///
    /// - Returns: the number of vectors.
    private static func exportVectors(
        of target: String,
        entry: FixtureSuite.Entry,
        keys: KeySet,
        into folder: String,
        trailer: [UInt8]?
    ) throws(FrameCryptError) -> Int {
        let vectors = "\(folder)/\(entry.vectorsFile)"
        let exported = try VectorExport.run(
            VectorExportRequest(
                input: target,
                output: vectors,
                overwrite: true,
                keys: keys,
                keyFile: entry.keys,
                maxFrames: entry.vectorFrames,
                serverInjectedTrailer: trailer
            )
        )
        let verified = try VectorVerifier.verify(file: vectors, keys: keys)
        if let failed = verified.results.first(where: { !$0.passed }) {
            throw FrameCryptError(.internalFailure, "fixture \(entry.id): exported vector \(failed.id) does not verify")
        }
        return exported.vectorsPerStream.values.reduce(0, +)
    }

    /// What a receiver must report for one stream: the scenario model's states, or every frame ok
    /// for an SFrame stream (no scenarios there); nil for a stream no cryptor sees.
    private static func expectedStates(of stream: StreamReport, sframe: Bool, knowsTrailer: Bool) -> [String: Int]? {
        guard stream.action == .encrypted else { return nil }
        guard !sframe, let receiver = stream.receiver else { return ["ok": stream.frames] }
        return knowsTrailer ? receiver.states : receiver.statesWithoutServerTrailer ?? receiver.states
    }
}
