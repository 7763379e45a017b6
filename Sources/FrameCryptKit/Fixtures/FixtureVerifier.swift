import Foundation
package import FrameCryptCore
import FrameCryptFormat

/// One check made on a fixture suite.
package struct FixtureCheck: Sendable, Encodable {
    /// The fixture's id, or `suite` for checks on the whole suite.
    package let fixture: String
    package let check: String
    package let passed: Bool
    /// Why it failed; nil when it passed.
    package let detail: String?

    init(_ fixture: String, _ check: String, failure: String?) {
        self.fixture = fixture
        self.check = check
        passed = failure == nil
        detail = failure
    }
}

/// The outcome of `framecrypt fixtures verify`.
package struct FixtureReport: Sendable, Encodable {
    package let folder: String
    package let checks: [FixtureCheck]

    package var failedCount: Int {
        checks.count { !$0.passed }
    }
}

/// Re-checks a fixture suite: every file's digest, its decryptions (states and packet digests as the
/// manifest says), its vectors, and that rebuilding the suite from its recipe gives the same bytes.
package enum FixtureVerifier {
    /// Verifies the suite in `folder` (its `manifest.json` and the recipe the manifest names).
    ///
    /// - Throws: ``FrameCryptError`` when the folder holds no readable manifest or recipe; failed
    ///   checks are reported, not thrown.
    package static func verify(folder: String, rebuild: Bool = true, progress: (String) -> Void = { _ in })
        throws(FrameCryptError) -> FixtureReport
    {
        let manifestPath = "\(folder)/\(FixtureBuilder.manifestName)"
        let manifest = try load(manifestPath)
        let suite = try FixtureSuite.load(path: "\(folder)/\(manifest.suite)")
        var checks: [FixtureCheck] = []
        for file in manifest.files {
            progress(file.id)
            checks += check(file, in: folder, suite: suite)
        }
        if rebuild {
            progress("rebuild")
            checks += compareRebuild(of: suite, manifest: manifest, folder: folder)
        }
        return FixtureReport(folder: folder, checks: checks)
    }

    private static func load(_ path: String) throws(FrameCryptError) -> FixtureManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FrameCryptError(.inputMissing, "\(path): no such file")
        }
        do {
            return try JSONDecoder().decode(FixtureManifest.self, from: data)
        } catch {
            throw FrameCryptError(.malformedInput, "\(path): not a fixture manifest")
        }
    }

    private static func check(_ file: FixtureManifest.File, in folder: String, suite: FixtureSuite) -> [FixtureCheck] {
        let path = "\(folder)/\(file.file)"
        var checks: [FixtureCheck] = []
        checks.append(
            FixtureCheck(
                file.id,
                "file sha256",
                failure: attempt { () throws(FrameCryptError) in
                    let digest = try FileDigest.sha256(ofFile: path)
                    return digest == file.sha256 ? nil : "is \(digest), the manifest says \(file.sha256)"
                }
            )
        )
        let keys: KeySet
        do {
            keys = try KeyFile.load(path: suite.resolve(file.keys))
        } catch {
            return checks + [FixtureCheck(file.id, "keys", failure: error.message)]
        }
        for (number, expected) in file.decrypt.enumerated() {
            let name = expected.sifTrailerHex == nil ? "decrypt" : "decrypt with the server trailer"
            checks.append(
                FixtureCheck(
                    file.id,
                    number == 0 ? name : "\(name) (\(number + 1))",
                    failure: attempt { () throws(FrameCryptError) in
                        let actual = try FixtureDecryption.run(
                            path,
                            keys: keys,
                            trailer: expected.sifTrailerHex.flatMap(ByteEncoding.bytes(hex:)),
                            expected: expected.streams.map(\.states),
                            fixture: file.id
                        )
                        let differing = zip(actual.streams, expected.streams).first { $0 != $1 }
                        return differing.map { actual, _ in
                            "stream \(actual.index): \(actual.packets) packets with SHA-256 \(actual.sha256) differ from the manifest"
                        }
                    }
                )
            )
        }
        checks.append(
            FixtureCheck(
                file.id,
                "vectors",
                failure: attempt { () throws(FrameCryptError) in
                    let report = try VectorVerifier.verify(file: "\(folder)/\(file.vectors)", keys: keys)
                    if let failed = report.results.first(where: { !$0.passed }) {
                        return "\(report.failedCount) of \(report.results.count) fail, first \(failed.id)"
                    }
                    return report.results.count == file.vectorCount
                        ? nil : "\(report.results.count) vectors, the manifest says \(file.vectorCount)"
                }
            )
        )
        return checks
    }

    private static func compareRebuild(of suite: FixtureSuite, manifest: FixtureManifest, folder: String)
        -> [FixtureCheck]
    {
        let scratch: String
        do {
            scratch = try FixtureFiles.temporaryFolder()
            _ = try FixtureBuilder.build(suite, into: scratch)
        } catch {
            return [FixtureCheck("suite", "rebuild", failure: error.message)]
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var names = manifest.files.flatMap { [$0.file, $0.vectors] }
        names.append(FixtureBuilder.manifestName)
        return names.map { name in
            let same = FileManager.default.contentsEqual(atPath: "\(folder)/\(name)", andPath: "\(scratch)/\(name)")
            return FixtureCheck("suite", "rebuilt \(name)", failure: same ? nil : "differs from the committed file")
        }
    }

    /// Runs a check; a thrown error is its failure.
    private static func attempt(_ body: () throws(FrameCryptError) -> String?) -> String? {
        do {
            return try body()
        } catch {
            return error.message
        }
    }
}
