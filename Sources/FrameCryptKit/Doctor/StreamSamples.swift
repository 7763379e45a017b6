import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// The frames of one FrameCryptor stream the doctor tries its explanations on: the first ones and
/// then one every half second or so, in the form a receiver sees them.
final class StreamSamples {
    /// Frames kept from the start of the stream, then one in every `stride`.
    static let leading = 16
    static let stride = 15
    static let limit = 96

    let index: Int
    let kind: StreamType
    let codecName: String
    let codec: FrameCodec
    /// The stream's participant as the label, `--participant` or `--map` give it.
    let participant: String?
    /// Frame number and frame-form bytes of each sample.
    private(set) var frames: [(number: Int, bytes: [UInt8])] = []
    /// Frames in the whole stream.
    private(set) var count = 0
    /// Frames carrying LiveKit's packet trailer (`LKTS`).
    private(set) var packetTrailers = 0
    private var frameForm: FrameForm

    init(_ resolved: ResolvedStream, codec: FrameCodec) {
        index = resolved.stream.index
        kind = resolved.stream.type
        codecName = resolved.stream.codecName
        self.codec = codec
        participant = resolved.participant
        frameForm = FrameForm(lengthSize: resolved.fileLengthSize, codec: codec)
    }

    func add(_ payload: [UInt8]) {
        defer { count += 1 }
        guard count < Self.leading || (count % Self.stride == 0 && frames.count < Self.limit) else { return }
        let codec = codec
        let frame =
            frameForm.read(payload, { $0 }, accepts: { FrameExamination($0[...], codec: codec).shape == .sealed })
            ?? payload
        if PacketTrailer.parse(frame[...]) != nil {
            packetTrailers += 1
        }
        frames.append((count, frame))
    }

    /// Reads `input` once and samples every FrameCryptor audio and video stream.
    ///
    /// - Throws: ``FrameCryptError`` for a missing or malformed input, a bad `--map`, a malformed
    ///   label, or a file with no such stream.
    static func read(
        _ input: String,
        keys: KeySet,
        participants: ParticipantAssignment,
        progress: (JobProgress) -> Void
    ) throws(FrameCryptError) -> [StreamSamples] {
        var reader = try PacketReader(input)
        try participants.validate(streamCount: reader.streams.count, file: input)
        var sampled: [Int: StreamSamples] = [:]
        var order: [StreamSamples] = []
        for stream in reader.streams {
            let resolved = try ResolvedStream(stream, file: input, participants: participants, keys: keys)
            guard let codec = resolved.codec, resolved.suite == nil else { continue }
            try resolved.requireReadableLabel()
            let samples = StreamSamples(resolved, codec: codec)
            sampled[stream.index] = samples
            order.append(samples)
        }
        guard !order.isEmpty else {
            throw FrameCryptError(.malformedInput, "\(input): no FrameCryptor audio or video stream to diagnose")
        }
        var payload: [UInt8] = []
        try reader.forEach(progress: progress) { (packet) throws(FrameCryptError) in
            if let samples = sampled[packet.streamIndex] {
                packet.copyPayload(into: &payload)
                samples.add(payload)
            }
            return true
        }
        return order
    }
}
