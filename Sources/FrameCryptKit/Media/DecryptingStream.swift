import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// What to do with a frame that does not decrypt.
package enum FailurePolicy: String, Sendable, CaseIterable {
    /// Stop with an error; no output is left behind.
    case fail
    /// Leave the frame out of the output.
    case drop
    /// Write the frame still encrypted.
    case keep
}

/// Decrypts one stream's packets as a receiver would: container packet → frame form → plaintext frame
/// → container packet in the source's own framing.
final class DecryptingStream: StreamHandler {
    let rewritesPayloads = true
    let output: OutputStreamSpec
    private let context: StreamContext
    private var decryptor: FrameDecryptor
    /// The encrypted file's packets in frame form.
    private var frameForm: FrameForm
    /// NAL length size to restore (the source's, from the stream label).
    private let sourceLengthSize: Int
    private let timeBase: Rational
    private let policy: FailurePolicy
    private var counters = StreamCounters()
    private var payload: [UInt8] = []
    private var plain: [UInt8] = []
    private var packed: [UInt8] = []
    private var unitStarts: [Int] = []

    init(
        output: OutputStreamSpec,
        description: StreamDescription,
        file: String,
        decryptor: FrameDecryptor,
        fileLengthSize: Int?,
        sourceLengthSize: Int,
        timeBase: Rational,
        policy: FailurePolicy
    ) {
        self.output = output
        context = StreamContext(file: file, description: description)
        self.decryptor = decryptor
        frameForm = FrameForm(lengthSize: fileLengthSize, codec: decryptor.codec)
        self.sourceLengthSize = sourceLengthSize
        self.timeBase = timeBase
        self.policy = policy
    }

    func handle(_ packet: inout Packet) throws(FrameCryptError) -> Bool {
        counters.receive(bytes: packet.size)
        packet.copyPayload(into: &payload)
        let outcome = decryptFrame(keyFrame: packet.isKeyFrame)
        counters.count(outcome.state)
        if let metadata = decryptor.frameMetadata {
            counters.metadata.append(
                FrameMetadataRecord(
                    frame: counters.frames - 1,
                    time: timeBase.seconds(packet.pts ?? packet.dts),
                    userTimestamp: metadata.userTimestamp,
                    frameId: metadata.frameId
                )
            )
        }
        switch outcome {
        case .decrypted(let steps):
            counters.maxRatchetSteps = max(counters.maxRatchetSteps, steps)
            try storePlaintext(in: &packet)
        case .recovered(let recovery):
            counters.recovered[recovery, default: 0] += 1
            try storePlaintext(in: &packet)
        case .serverInjected:
            counters.serverInjected += 1
            try storePlaintext(in: &packet)
        case .passedThrough:
            break
        case .failed(let reason):
            guard try context.reject(reason, policy: policy, counters: &counters) else { return false }
        }
        counters.bytesOut += Int64(packet.size)
        return true
    }

    var report: StreamReport {
        counters.report(for: context.description, action: .decrypted, encrypting: false)
    }

    /// Decrypts the payload in frame form. framecrypt's receiver tries each form the packet may
    /// stand for until one opens; an SDK's receiver gets one form, picked by its bytes, and one try,
    /// so that its failure count is its SDK's.
    private func decryptFrame(keyFrame: Bool) -> DecryptOutcome {
        if decryptor.receiver != nil {
            let codec = decryptor.codec
            let frame = frameForm.read(
                payload,
                { $0 },
                accepts: { FrameExamination($0[...], codec: codec).shape == .sealed }
            )
            guard let frame else { return .failed(.format(.truncated(bodyLength: payload.count))) }
            return decryptor.decrypt(frame, keyFrame: keyFrame, into: &plain)
        }
        let outcome = frameForm.read(
            payload,
            { decryptor.decrypt($0, into: &plain) },
            accepts: { if case .failed = $0 { false } else { true } }
        )
        return outcome ?? .failed(.format(.truncated(bodyLength: payload.count)))
    }

    /// Stores the frame-form plaintext in the source's framing: with 4-byte NAL lengths it becomes
    /// that form in place, else a converted copy is stored.
    private func storePlaintext(in packet: inout Packet) throws(FrameCryptError) {
        let lengthSize = frameForm.lengthSize == nil ? nil : sourceLengthSize
        if lengthSize == 4, NALFraming.replaceStartCodesWithLengths(in: &plain, unitStarts: &unitStarts) {
            try context.store(plain, in: &packet, frame: counters.frames - 1)
            return
        }
        let bytes = context.containerForm(of: plain, lengthSize: lengthSize, scratch: &packed)
        try context.store(bytes, in: &packet, frame: counters.frames - 1)
    }
}
