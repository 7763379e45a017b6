import Foundation
import FrameCryptFormat
import FrameCryptMedia
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// The job planners in-process, on a real two-participant recording: which handler each stream
/// gets from each scheme's planner, and what the labels they write make of the next job.
@Suite("Job planners")
struct JobPlannerTests {
    static let recording = Fixtures.media("two-participants.mkv")

    /// alice's streams (0, 1) and a participant with no key (2, 3).
    static let participants = ParticipantAssignment(byStream: [0: "alice", 1: "alice", 2: "carol", 3: "carol"])

    @Test(
        "a participant without a key follows the missing-key policy; the others are encrypted by the scheme's planner",
        arguments: [(MissingKeyPolicy.sendClear, StreamAction.sentClear), (.discard, .discarded)]
    )
    func missingKey(policy: MissingKeyPolicy, action: StreamAction) throws {
        let folder = try ScratchFolder()
        let keys = try KeyFile.load(path: Fixtures.keys("participants.json"))
        let report = try MediaEncryption.run(
            EncryptRequest(
                files: FileJob(input: Self.recording, output: folder.path("out.mkv")),
                keys: keys,
                participants: Self.participants,
                missingKey: policy
            )
        )
        #expect(report.operation == .encrypt)
        #expect(report.streams.map(\.action) == [.encrypted, .encrypted, action, action])
        #expect(report.streams.map(\.participant) == ["alice", "alice", "carol", "carol"])
        if policy == .sendClear {
            // The next job reads the labels: carol's streams are copied as sent in clear, and
            // alice's decrypt without naming anyone.
            let decrypted = try MediaDecryption.run(
                DecryptRequest(
                    files: FileJob(input: folder.path("out.mkv"), output: folder.path("back.mkv")),
                    keys: keys
                )
            )
            #expect(decrypted.streams.map(\.action) == [.decrypted, .decrypted, .copied, .copied])
            #expect(try FFmpegTools.packetDigests(folder.path("back.mkv")) == FFmpegTools.packetDigests(Self.recording))
        }
    }

    @Test("under the fail policy a participant without a key stops the job and nothing is written")
    func missingKeyFails() throws {
        let folder = try ScratchFolder()
        let error = #expect(throws: FrameCryptError.self) {
            try MediaEncryption.run(
                EncryptRequest(
                    files: FileJob(input: Self.recording, output: folder.path("out.mkv")),
                    keys: try KeyFile.load(path: Fixtures.keys("participants.json")),
                    participants: Self.participants
                )
            )
        }
        #expect(error?.kind == .keyFailure)
        #expect(error?.remedy == .goOnWithoutKey)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }

    @Test("each scheme's planner labels its streams, and the decrypt planner it registers reads them back")
    func schemes() throws {
        for keyFile in ["participants.json", "sframe-participants.json"] {
            let folder = try ScratchFolder()
            let keys = try KeyFile.load(path: Fixtures.keys(keyFile))
            let assignment = ParticipantAssignment(byStream: [0: "alice", 1: "alice", 2: "bob", 3: "bob"])
            _ = try MediaEncryption.run(
                EncryptRequest(
                    files: FileJob(input: Self.recording, output: folder.path("out.mkv")),
                    keys: keys,
                    participants: assignment
                )
            )
            let scheme = keys.scheme ?? .webrtcFrameCryptor
            let reader = try PacketReader(folder.path("out.mkv"))
            for stream in reader.streams {
                let resolved = try ResolvedStream(
                    stream,
                    file: "out.mkv",
                    participants: ParticipantAssignment(),
                    keys: nil
                )
                #expect(resolved.scheme == scheme, "\(keyFile) stream \(stream.index)")
                #expect(resolved.participant == assignment.participant(forStream: stream.index))
                #expect(resolved.label?.keyMode == StreamLabel.perParticipantKeyMode)
            }
            let decrypted = try MediaDecryption.run(
                DecryptRequest(
                    files: FileJob(input: folder.path("out.mkv"), output: folder.path("back.mkv")),
                    keys: keys
                )
            )
            #expect(decrypted.streams.allSatisfy { $0.action == .decrypted }, "\(keyFile)")
        }
    }
}
