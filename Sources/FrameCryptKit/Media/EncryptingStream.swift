import FrameCryptFormat
import FrameCryptMedia

/// Encrypts one stream's packets as a live sender on its own SSRC would: container packet → frame
/// form → FrameCryptor frame → container packet.
final class EncryptingStream: StreamHandler {
    /// H.26x NAL length size of encrypted streams: an encrypted NAL unit can outgrow a shorter field.
    static let encryptedLengthSize = 4

    let output: OutputStreamSpec
    private let context: StreamContext
    private var encryptor: FrameEncryptor
    private let sender: SenderIdentity
    /// The source's NAL length size for length-prefixed H.26x; nil when packets are the frame form.
    private let sourceLengthSize: Int?
    private let timeBase: Rational
    private let rtpClock: Rational
    private var lastTicks: Int64 = 0
    private var counters = StreamCounters()
    private var payload: [UInt8] = []
    private var frame: [UInt8] = []
    private var sealed: [UInt8] = []
    private var packed: [UInt8] = []

    init(
        output: OutputStreamSpec,
        description: StreamDescription,
        file: String,
        encryptor: FrameEncryptor,
        sender: SenderIdentity,
        sourceLengthSize: Int?,
        timeBase: Rational,
        rtpClockRate: Int
    ) {
        self.output = output
        context = StreamContext(file: file, description: description)
        self.encryptor = encryptor
        self.sender = sender
        self.sourceLengthSize = sourceLengthSize
        self.timeBase = timeBase
        rtpClock = Rational(numerator: 1, denominator: Int32(rtpClockRate))
    }

    func handle(_ packet: borrowing Packet) throws(FrameCryptError) -> Bool {
        counters.receive(bytes: packet.size)
        packet.copyPayload(into: &payload)
        if let sourceLengthSize {
            try context.annexB(of: payload, lengthSize: sourceLengthSize, into: &frame, number: counters.frames - 1)
        }
        if let time = packet.pts ?? packet.dts {
            lastTicks = timeBase.convert(time, to: rtpClock)
        }
        let outcome = encryptor.encrypt(
            sourceLengthSize == nil ? payload : frame,
            keyFrame: packet.isKeyFrame,
            rtpTimestamp: RTPClock.timestamp(offset: sender.rtpOffset, ticks: lastTicks),
            into: &sealed
        )
        counters.count(outcome.state)
        switch outcome {
        case .encrypted:
            if sourceLengthSize != nil {
                packed.removeAll(keepingCapacity: true)
                if !NALFraming.appendLengthPrefixed(ofAnnexB: sealed, lengthSize: Self.encryptedLengthSize, to: &packed)
                {
                    // No slice, so nothing stayed clear: the sealed frame is one opaque unit.
                    packed.removeAll(keepingCapacity: true)
                    NALFraming.appendUnit(sealed[...], lengthSize: Self.encryptedLengthSize, to: &packed)
                }
                try context.store(packed, in: packet, frame: counters.frames - 1)
            } else {
                try context.store(sealed, in: packet, frame: counters.frames - 1)
            }
        case .passedThrough:
            break
        case .failed(let state):
            throw context.failure(.internalFailure, frame: counters.frames - 1, "encryption failed (\(state.name))")
        }
        counters.bytesOut += Int64(packet.size)
        return true
    }

    var report: StreamReport {
        counters.report(
            for: context.description,
            action: .encrypted,
            encrypting: true,
            sender: sender,
            keyIndex: Int(encryptor.keyIndex)
        )
    }
}
