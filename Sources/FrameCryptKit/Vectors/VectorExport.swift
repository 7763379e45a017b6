import Foundation
package import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Everything `framecrypt vectors export` needs.
package struct VectorExportRequest {
    /// The encrypted media file.
    package var input: String
    /// The vector file to write.
    package var output: String
    package var overwrite: Bool
    package var keys: KeySet
    /// How the vector file names the key file its key references point into (a path relative to
    /// the vector file); nil when the keys came from the environment or stdin.
    package var keyFile: String?
    package var participants: ParticipantAssignment
    /// Streams to export; nil for every encrypted audio and video stream.
    package var streams: Set<Int>?
    /// Frames to export per stream at most, from the first; nil for all.
    package var maxFrames: Int?
    package var ratchetWindow: Int
    package var serverInjectedTrailer: [UInt8]?

    package init(
        input: String,
        output: String,
        overwrite: Bool = false,
        keys: KeySet,
        keyFile: String? = nil,
        participants: ParticipantAssignment = ParticipantAssignment(),
        streams: Set<Int>? = nil,
        maxFrames: Int? = nil,
        ratchetWindow: Int = FrameDecryptor.defaultRatchetWindow,
        serverInjectedTrailer: [UInt8]? = nil
    ) {
        self.input = input
        self.output = output
        self.overwrite = overwrite
        self.keys = keys
        self.keyFile = keyFile
        self.participants = participants
        self.streams = streams
        self.maxFrames = maxFrames
        self.ratchetWindow = ratchetWindow
        self.serverInjectedTrailer = serverInjectedTrailer
    }
}

/// What `framecrypt vectors export` wrote.
package struct VectorExportReport: Sendable, Encodable {
    package let input: String
    package let output: String
    /// Vectors written per stream index.
    package let vectorsPerStream: [String: Int]
    /// Vectors per expected state.
    package let states: [String: Int]
}

/// Writes per-frame vectors from an encrypted file: each frame decrypted in order by the receiver
/// the keys make, with its plaintext, IV inputs, key reference and the state reported, so that a
/// cryptor in any language can be tested on real frames without FFmpeg.
package enum VectorExport {
    /// Exports `request.input`'s frames into `request.output`.
    ///
    /// - Throws: ``FrameCryptError``; nothing is written on failure.
    package static func run(_ request: VectorExportRequest, progress: (JobProgress) -> Void = { _ in })
        throws(FrameCryptError) -> VectorExportReport
    {
        var reader = try PacketReader(request.input)
        let streams = reader.streams
        try request.participants.validate(streamCount: streams.count, file: request.input)
        if let wanted = request.streams, let missing = wanted.sorted().first(where: { $0 >= streams.count }) {
            throw FrameCryptError(.invalidArgument, "\(request.input): there is no stream \(missing)")
        }
        let provider = try request.keys.scheme == .sframe ? nil : request.keys.makeProvider()
        let sframeKeys = request.keys.makeSFrameKeys()
        var recorders = try streams.map { (stream) throws(FrameCryptError) in
            request.streams?.contains(stream.index) == false
                ? nil : try recorder(for: stream, request: request, provider: provider, sframeKeys: sframeKeys)
        }
        guard recorders.contains(where: { $0 != nil }) else {
            throw FrameCryptError(.invalidArgument, "\(request.input): no encrypted audio or video stream to export")
        }
        let base = URL(fileURLWithPath: request.input).deletingPathExtension().lastPathComponent
        var vectors: [ExportedVector] = []
        var frames = Array(repeating: 0, count: streams.count)
        var exported: [String: Int] = [:]
        var payload: [UInt8] = []
        try reader.forEach(progress: progress) { (packet) throws(FrameCryptError) in
            let index = packet.streamIndex
            guard recorders.indices.contains(index), recorders[index] != nil else { return true }
            if let maxFrames = request.maxFrames, frames[index] >= maxFrames { return true }
            packet.copyPayload(into: &payload)
            let id = "\(base)-s\(index)-f\(frames[index])"
            frames[index] += 1
            if let vector = recorders[index]?.record(payload, keyFrame: packet.isKeyFrame, id: id) {
                vectors.append(vector)
                exported[String(index), default: 0] += 1
            }
            return true
        }
        try write(vectors, request: request)
        var states: [String: Int] = [:]
        for vector in vectors {
            states[vector.expectedState, default: 0] += 1
        }
        return VectorExportReport(
            input: request.input,
            output: request.output,
            vectorsPerStream: exported,
            states: states
        )
    }

    /// A stream's recorder; nil for streams that are not encrypted audio or video.
    private static func recorder(
        for stream: MediaStream,
        request: VectorExportRequest,
        provider: KeyProvider?,
        sframeKeys: SFrameKeyStore
    ) throws(FrameCryptError) -> VectorRecorder? {
        let resolved = try ResolvedStream(
            stream,
            file: request.input,
            participants: request.participants,
            keys: request.keys
        )
        guard let codec = resolved.codec, resolved.role == .media else { return nil }
        try resolved.requireReadableLabel()
        let participant = resolved.participant
        try resolved.context.description.requireParticipant(
            if: request.keys.mode == .perParticipant,
            file: request.input
        )
        let owner = request.keys.mode == .shared ? nil : participant
        let kind = codec.kind
        let lengthSize = resolved.fileLengthSize
        if let suite = resolved.suite {
            return .sframe(
                SFrameVectorRecorder(
                    codec: codec,
                    kind: kind,
                    keyOwner: owner,
                    suite: suite,
                    scope: sframeKeys.scope(for: participant, suite: suite),
                    carriage: SFrameCarriage(codec: codec, nalLengthSize: lengthSize)
                )
            )
        }
        let ring = provider?.keyRing(for: participant ?? "")
        return .frameCryptor(
            FrameCryptorVectorRecorder(
                codec: codec,
                kind: kind,
                keyOwner: owner,
                keys: request.keys,
                ring: ring,
                decryptor: FrameDecryptor(
                    codec: codec,
                    keys: ring,
                    ratchetWindow: request.ratchetWindow,
                    serverInjectedTrailer: request.serverInjectedTrailer
                ),
                lengthSize: lengthSize
            )
        )
    }

    private static func write(_ vectors: [ExportedVector], request: VectorExportRequest) throws(FrameCryptError) {
        let file = ExportedVectorFile(
            _about:
                "Per-frame vectors exported by framecrypt from \(URL(fileURLWithPath: request.input).lastPathComponent): each encryptedHex is a received frame (frame form), plaintextHex what a receiver holding the referenced key outputs, expectedState what it reports. See docs/FIXTURES.md.",
            source: URL(fileURLWithPath: request.input).lastPathComponent,
            keyFile: request.keyFile,
            vectors: vectors
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(file) + Data("\n".utf8)
        } catch {
            throw FrameCryptError(.internalFailure, "cannot encode the vectors: \(error)", cause: error)
        }
        let output = try OutputFile(target: request.output, overwrite: request.overwrite)
        try output.write(data)
        try output.commit()
    }

    /// `path` as seen from the folder of `file`.
    package static func relativePath(of path: String, from file: String) -> String {
        let target = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let folder = URL(fileURLWithPath: file).standardizedFileURL.deletingLastPathComponent().pathComponents
        let shared = zip(target, folder).prefix { $0 == $1 }.count
        return (Array(repeating: "..", count: folder.count - shared) + target[shared...]).joined(separator: "/")
    }
}

/// The recorder of one stream, by scheme.
enum VectorRecorder {
    case frameCryptor(FrameCryptorVectorRecorder)
    case sframe(SFrameVectorRecorder)

    mutating func record(_ payload: [UInt8], keyFrame: Bool, id: String) -> ExportedVector? {
        switch self {
        case .frameCryptor(var recorder):
            let vector = recorder.record(payload, keyFrame: keyFrame, id: id)
            self = .frameCryptor(recorder)
            return vector
        case .sframe(var recorder):
            let vector = recorder.record(payload, keyFrame: keyFrame, id: id)
            self = .sframe(recorder)
            return vector
        }
    }
}
