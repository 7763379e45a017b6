import Foundation
import FrameCryptCore
import FrameCryptFormat

/// Decrypts a fixture as its receiver would and describes the result: per stream, the states
/// reported and the digest of the packets written.
enum FixtureDecryption {
    /// Frames that do not decrypt are dropped, as receivers drop them.
    static let policy = FailurePolicy.drop

    /// Decrypts `file` and checks the states against `expected` (per stream; nil entries are not
    /// checked).
    ///
    /// - Throws: ``FrameCryptError`` when the job fails or a stream's states differ from `expected`.
    static func run(
        _ file: String,
        keys: KeySet,
        trailer: [UInt8]?,
        expected: [[String: Int]?],
        fixture: String
    ) throws(FrameCryptError) -> FixtureManifest.Decryption {
        let folder = try FixtureFiles.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = "\(folder)/decrypted.\(URL(fileURLWithPath: file).pathExtension)"
        let report = try MediaDecryption.run(
            DecryptRequest(
                files: FileJob(input: file, output: output, format: nil, overwrite: true),
                keys: keys,
                serverInjectedTrailer: trailer,
                onFailure: policy
            )
        )
        let digests = try FixtureFiles.packetDigests(of: output)
        let empty = try FileDigest.sha256(of: [])
        var streams: [FixtureManifest.StreamExpectation] = []
        for stream in report.streams {
            if expected.indices.contains(stream.index), let wanted = expected[stream.index], wanted != stream.states {
                throw FrameCryptError(
                    .internalFailure,
                    "fixture \(fixture): stream \(stream.index): the receiver reported \(FixtureFiles.describe(stream.states)) but the scenario expects \(FixtureFiles.describe(wanted))"
                )
            }
            let digest = digests[stream.index] ?? (packets: 0, sha256: empty)
            streams.append(
                FixtureManifest.StreamExpectation(
                    index: stream.index,
                    codec: stream.codec,
                    participant: stream.participant,
                    states: stream.states,
                    packets: digest.packets,
                    sha256: digest.sha256
                )
            )
        }
        return FixtureManifest.Decryption(
            sifTrailerHex: trailer.map(ByteEncoding.hex),
            ratchetWindow: FrameDecryptor.defaultRatchetWindow,
            onFailure: policy.rawValue,
            streams: streams
        )
    }
}
