import Foundation
package import FrameCryptCapture
package import FrameCryptCore
import FrameCryptFormat

/// What `framecrypt doctor` needs: a file and what the user believes its keys are.
package struct DoctorRequest {
    package var input: String
    package var keys: KeySet
    package var participants: ParticipantAssignment
    /// The room's server-injected-frame trailer, if the user knows it.
    package var serverInjectedTrailer: [UInt8]?
    /// Decrypt under the diagnosed configuration and decode, to tell frames that authenticate but
    /// do not decode from frames that do not authenticate.
    package var probeDecode: Bool
    /// How to read the input when it is an RTP capture (pcap, pcapng, rtpdump, Janus `.mjr`).
    package var capture = CaptureSelection()

    package init(
        input: String,
        keys: KeySet,
        participants: ParticipantAssignment = ParticipantAssignment(),
        serverInjectedTrailer: [UInt8]? = nil,
        probeDecode: Bool = false
    ) {
        self.input = input
        self.keys = keys
        self.participants = participants
        self.serverInjectedTrailer = serverInjectedTrailer
        self.probeDecode = probeDecode
    }
}

/// Finds the configuration that explains a file's frames, then says which SDKs would decrypt it.
///
/// The doctor reads the file once for samples (the first frames of each stream, then one every half
/// second), tries the keys as given and then each other reading of them on those samples, and plays
/// the whole file through the seven SDK receivers under the first reading that fits. Each key
/// derivation runs once (the key set caches them), never per frame.
package enum Doctor {
    /// Ratchet steps searched when the given key is behind the sender's.
    static let ratchetSearch = 64

    /// - Throws: ``FrameCryptError`` for a missing or malformed input, a bad `--map`, or keys that
    ///   cannot be derived; diagnoses are in the report, not thrown.
    package static func run(_ request: DoctorRequest, progress: (JobProgress) -> Void = { _ in })
        throws(FrameCryptError) -> DoctorReport
    {
        if let report = try PreparedCapture.running(
            request,
            { (inner) throws(FrameCryptError) in try run(inner, progress: progress) }
        ) {
            return report
        }
        let keys = request.keys.cachingDerivations()
        let samples = try StreamSamples.read(
            request.input,
            keys: keys,
            participants: request.participants,
            progress: progress
        )
        var examiner = StreamExamination(samples: samples, keys: keys, trailer: request.serverInjectedTrailer)
        var diagnoses: [StreamDiagnosis] = []
        var fix = Fix(keys: keys, participants: request.participants, trailer: request.serverInjectedTrailer)
        for stream in samples {
            let found = try examiner.diagnose(stream)
            diagnoses.append(found.diagnosis)
            fix.adopt(found.fix, stream: stream.index)
        }
        let receivers = try ReceiverPass.run(
            ReceiverPassRequest(
                input: request.input,
                keys: fix.keys,
                participants: fix.participants,
                profiles: ReceiverProfile.Name.allCases.map(ReceiverProfile.named),
                serverInjectedTrailer: fix.trailer
            )
        )
        if request.probeDecode {
            try probe(&diagnoses, input: request.input, fix: fix)
        }
        return DoctorReport(
            file: request.input,
            keysFit: diagnoses.allSatisfy(\.cause.keysFit),
            streams: diagnoses,
            assumes: fix.changes.isEmpty ? "the keys as given" : fix.changes.joined(separator: "; "),
            sdks: ReceiverProfile.Name.allCases.map { verdict(for: $0, in: receivers, keys: fix.keys) },
            receivers: receivers
        )
    }

    /// One SDK's verdict over every stream: the first stream it fails, else all delivered.
    private static func verdict(
        for name: ReceiverProfile.Name,
        in streams: [StreamReceiverReport],
        keys: KeySet
    ) -> SDKVerdict {
        let differences = keys.receiverDifferences(.named(name))
        for stream in streams {
            if let failure = stream.receivers.first(where: { $0.receiver == name })?.firstFailure {
                return SDKVerdict(
                    receiver: name,
                    decryptsAll: false,
                    stream: stream.index,
                    frame: failure.frame,
                    reason: failure.reason,
                    keyDifferences: differences
                )
            }
        }
        return SDKVerdict(
            receiver: name,
            decryptsAll: true,
            stream: nil,
            frame: nil,
            reason: nil,
            keyDifferences: differences
        )
    }

    /// Decrypts under `fix` into a temporary file, decodes it, and says per authenticating stream
    /// whether it decodes. The temporary file is removed on every path.
    private static func probe(_ diagnoses: inout [StreamDiagnosis], input: String, fix: Fix) throws(FrameCryptError) {
        let decrypted = FileManager.default.temporaryDirectory
            .appendingPathComponent("framecrypt-doctor-\(UUID().uuidString).mkv").path
        defer { try? FileManager.default.removeItem(atPath: decrypted) }
        _ = try MediaDecryption.run(
            DecryptRequest(
                files: FileJob(input: input, output: decrypted, format: .mkv, overwrite: false),
                keys: fix.keys,
                participants: fix.participants,
                ratchetWindow: ratchetSearch,
                serverInjectedTrailer: fix.trailer,
                onFailure: .drop
            )
        )
        let report = try DecodeProbe.run(ProbeOptions(), input: decrypted, selected: nil, snapshotFile: nil)
        for position in diagnoses.indices where diagnoses[position].cause.authenticates {
            guard let stream = report.streams.first(where: { $0.index == diagnoses[position].index }) else { continue }
            let decodes = stream.framesDecoded > 0 && stream.decoderErrors == 0
            diagnoses[position].decodes = DecodeVerdict(
                framesDecoded: stream.framesDecoded,
                decoderErrors: stream.decoderErrors,
                verdict: decodes ? "decodes" : "authenticates-but-does-not-decode"
            )
        }
    }
}

extension DiagnosisCause {
    /// Whether the keys as given open the stream (or there is nothing to open).
    var keysFit: Bool {
        self == .keysFit || self == .packetTrailer || self == .serverTrailerUnknown || self == .notEncrypted
    }

    /// Whether frames open under the diagnosed configuration (so decoding them means something).
    var authenticates: Bool {
        switch self {
        case .keysFit, .packetTrailer, .serverTrailerUnknown, .wrongParticipant, .wrongKeyIndex, .wrongKDF,
            .stringVersusBytes,
            .wrongSalt, .wrongKeySize, .ratchetBeyondWindow:
            true
        case .notEncrypted, .vp8ClearBytes, .bytesAfterTrailer, .headerAltered, .unexplained: false
        }
    }
}

/// The configuration the SDK verdicts assume: the keys as given, changed by the first key fix the
/// doctor found, and each stream's participant as found.
struct Fix {
    /// What a stream's diagnosis changes.
    enum Change {
        case keys(KeyVariant)
        case participant(String)
        case trailer([UInt8])
    }

    private(set) var keys: KeySet
    private(set) var participants: ParticipantAssignment
    private(set) var trailer: [UInt8]?
    private(set) var changes: [String] = []

    init(keys: KeySet, participants: ParticipantAssignment, trailer: [UInt8]?) {
        self.keys = keys
        self.participants = participants
        self.trailer = trailer
    }

    mutating func adopt(_ change: Change?, stream: Int) {
        switch change {
        case .keys(let variant) where changes.allSatisfy { !$0.hasPrefix("keys:") }:
            keys = variant.keys
            changes.append("keys: \(variant.change)")
        case .participant(let participant):
            participants.byStream[stream] = participant
            changes.append("stream \(stream) is \(participant)'s")
        case .trailer(let bytes) where trailer == nil:
            trailer = bytes
            changes.append("the room's server-frame trailer (\(bytes.count) bytes, read from the frames)")
        default:
            break
        }
    }
}
