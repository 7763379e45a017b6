import FrameCryptCore
import FrameCryptCrypto
import FrameCryptFormat
import FrameCryptMedia

/// Encrypts one stream's packets with SFrame: container packet → frame form → `header ‖ ciphertext
/// ‖ tag` → the codec's carriage in the container.
final class SFrameEncryptingStream: StreamHandler {
    let rewritesPayloads = true
    let output: OutputStreamSpec
    private let context: StreamContext
    private var encryptor: SFrameEncryptor
    private let keyIndex: Int
    /// The source's NAL length size for length-prefixed H.26x; nil when packets are the frame form.
    private let sourceLengthSize: Int?
    private let carriage: SFrameCarriage
    private var counters = StreamCounters()
    private var tally: SFrameStreamTally
    private var payload: [UInt8] = []
    private var frame: [UInt8] = []
    private var sealed: [UInt8] = []
    private var packed: [UInt8] = []

    init(
        output: OutputStreamSpec,
        context: StreamContext,
        encryptor: SFrameEncryptor,
        keyIndex: Int,
        sourceLengthSize: Int?,
        carriage: SFrameCarriage
    ) {
        self.output = output
        self.context = context
        self.encryptor = encryptor
        self.keyIndex = keyIndex
        self.sourceLengthSize = sourceLengthSize
        self.carriage = carriage
        tally = SFrameStreamTally(suite: encryptor.key.suite)
    }

    func handle(_ packet: inout Packet) throws(FrameCryptError) -> Bool {
        counters.receive(bytes: packet.size)
        let number = counters.frames - 1
        packet.copyPayload(into: &payload)
        if let sourceLengthSize {
            try context.annexB(of: payload, lengthSize: sourceLengthSize, into: &frame, number: number)
        }
        let plaintext = sourceLengthSize == nil ? payload[...] : frame[...]
        switch encryptor.encrypt(plaintext, into: &sealed) {
        case .success(let header):
            tally.note(header)
        case .failure(.counterExhausted):
            counters.count(.encryptionFailed)
            throw context.failure(
                .keyFailure,
                frame: number,
                "KID \(encryptor.key.keyID) has used its last counter (2^64-1); encrypting more would repeat a nonce, so use a new key or KID"
            )
        case .failure(.cipherFailed(let error)):
            counters.count(.encryptionFailed)
            throw context.failure(.internalFailure, frame: number, error.description)
        }
        counters.count(.ok)
        guard carriage.wrap(sealed, of: plaintext, keyFrame: packet.isKeyFrame, into: &packed) else {
            throw context.failure(.internalFailure, frame: number, "the encrypted frame is too long for its NAL length")
        }
        try context.store(packed, in: &packet, frame: number)
        counters.bytesOut += Int64(packet.size)
        return true
    }

    var report: StreamReport {
        counters.report(
            for: context.description,
            action: .encrypted,
            encrypting: true,
            keyIndex: keyIndex,
            sframe: tally.report
        )
    }
}
