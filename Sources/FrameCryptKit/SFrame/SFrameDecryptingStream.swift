import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Decrypts one SFrame stream's packets: container packet → SFrame ciphertext (carriage removed) →
/// frame form → container packet in the source's own framing.
final class SFrameDecryptingStream: StreamHandler {
    let rewritesPayloads = true
    let output: OutputStreamSpec
    private let context: StreamContext
    private var decryptor: SFrameDecryptor
    private let carriage: SFrameCarriage
    /// NAL length size to restore (the source's, from the stream label); nil when packets are the
    /// frame form.
    private let sourceLengthSize: Int?
    private let policy: FailurePolicy
    private var counters = StreamCounters()
    private var tally: SFrameStreamTally
    private var payload: [UInt8] = []
    private var plain: [UInt8] = []
    private var packed: [UInt8] = []

    init(
        output: OutputStreamSpec,
        context: StreamContext,
        decryptor: SFrameDecryptor,
        suite: SFrameCipherSuite,
        carriage: SFrameCarriage,
        sourceLengthSize: Int?,
        policy: FailurePolicy
    ) {
        self.output = output
        self.context = context
        self.decryptor = decryptor
        self.carriage = carriage
        self.sourceLengthSize = sourceLengthSize
        self.policy = policy
        tally = SFrameStreamTally(suite: suite)
    }

    func handle(_ packet: inout Packet) throws(FrameCryptError) -> Bool {
        counters.receive(bytes: packet.size)
        packet.copyPayload(into: &payload)
        let outcome: DecryptOutcome
        if let ciphertext = carriage.unwrap(payload[...]) {
            let result = decryptor.decrypt(ciphertext, into: &plain)
            outcome =
                result.outcome.state == .ok && !carriage.agrees(plain, with: payload[...])
                ? .failed(.sframeFraming) : result.outcome
            if let header = result.header {
                let replay = DecryptOutcome.failed(.replayedCounter(keyID: header.keyID, counter: header.counter))
                tally.note(header, replayed: outcome == replay)
            }
        } else {
            outcome = .failed(.sframeFraming)
        }
        counters.count(outcome.state)
        if case .failed(let reason) = outcome {
            guard try context.reject(reason, policy: policy, counters: &counters) else { return false }
        } else {
            let bytes = context.containerForm(of: plain, lengthSize: sourceLengthSize, scratch: &packed)
            try context.store(bytes, in: &packet, frame: counters.frames - 1)
        }
        counters.bytesOut += Int64(packet.size)
        return true
    }

    var report: StreamReport {
        counters.report(for: context.description, action: .decrypted, encrypting: false, sframe: tally.report)
    }
}
