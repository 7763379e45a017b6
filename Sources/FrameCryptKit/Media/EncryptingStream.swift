import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Encrypts one stream's packets as a live sender on its own SSRC would: container packet → frame
/// form → FrameCryptor frame → container packet.
final class EncryptingStream: StreamHandler {
    let rewritesPayloads = true
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
    private let scenario: ScenarioStream?
    /// Whether video frames get LiveKit's packet trailer (``EncryptRequest/frameMetadata``).
    private let appendsFrameMetadata: Bool
    private var counters = StreamCounters()
    private var payload: [UInt8] = []
    private var frame: [UInt8] = []
    private var sealed: [UInt8] = []
    private var packed: [UInt8] = []
    private var unitStarts: [Int] = []
    /// H.264/H.265 sent as RTP: the parameter sets put in band before each key frame that has
    /// none, as a live encoder sends them (the container keeps them in its configuration record).
    private let inBandParameterSets: [UInt8]?

    init(
        output: OutputStreamSpec,
        description: StreamDescription,
        file: String,
        encryptor: FrameEncryptor,
        appendsFrameMetadata: Bool = false,
        sender: SenderIdentity,
        sourceLengthSize: Int?,
        timeBase: Rational,
        rtpClockRate: Int,
        scenario: ScenarioStream? = nil,
        inBandParameterSets: [UInt8]? = nil
    ) {
        self.output = output
        context = StreamContext(file: file, description: description)
        self.encryptor = encryptor
        self.appendsFrameMetadata = appendsFrameMetadata
        self.sender = sender
        self.sourceLengthSize = sourceLengthSize
        self.timeBase = timeBase
        rtpClock = Rational(numerator: 1, denominator: Int32(rtpClockRate))
        self.scenario = scenario
        self.inBandParameterSets = inBandParameterSets
    }

    func handle(_ packet: inout Packet) throws(FrameCryptError) -> Bool {
        counters.receive(bytes: packet.size)
        if let sourceLengthSize {
            // Converted where the payload lies: H.26x frames are read once, not copied first.
            let number = counters.frames - 1
            try packet.withPayload { (bytes) throws(FrameCryptError) in
                try context.annexB(of: bytes, lengthSize: sourceLengthSize, into: &frame, number: number)
            }
            if let inBandParameterSets, packet.isKeyFrame,
                !ParameterSetRecord.hasSequenceParameterSet(frame, codec: encryptor.codec)
            {
                frame.insert(contentsOf: inBandParameterSets, at: 0)
            }
        } else {
            packet.copyPayload(into: &payload)
        }
        if let time = packet.pts ?? packet.dts {
            lastTicks = timeBase.convert(time, to: rtpClock)
        }
        if scenario != nil {
            guard try followScenario(&packet) else { return false }
        } else {
            try encrypt(&packet)
        }
        counters.bytesOut += Int64(packet.size)
        return true
    }

    /// Encrypts the frame in `payload`/`frame` and stores it in `packet`.
    private func encrypt(_ packet: inout Packet) throws(FrameCryptError) {
        let plain = sourceLengthSize == nil ? payload : frame
        let outcome = encryptor.encrypt(
            plain,
            rtpTimestamp: RTPClock.timestamp(offset: sender.rtpOffset, ticks: lastTicks),
            metadata: appendsFrameMetadata ? frameMetadata(of: packet) : FrameMetadata(),
            keyFrame: packet.isKeyFrame,
            into: &sealed
        )
        counters.count(outcome.state)
        switch outcome {
        case .encrypted:
            if let corruption = scenario?.schedule.corruptions[counters.frames - 1] {
                guard corruption.apply(to: &sealed, codec: encryptor.codec) else {
                    throw context.failure(
                        .invalidArgument,
                        frame: counters.frames - 1,
                        "the scenario corrupts its \(corruption.rawValue), which the frame does not have"
                    )
                }
                scenario?.corrupted += 1
            }
            if encryptor.codec == .av1 {
                packed.removeAll(keepingCapacity: true)
                AV1Storage.append(sealed: sealed[...], keyFrame: packet.isKeyFrame, to: &packed)
                try context.store(packed, in: &packet, frame: counters.frames - 1)
            } else if scenario == nil, sourceLengthSize != nil, Self.encryptedLengthSize == 4,
                NALFraming.replaceStartCodesWithLengths(in: &sealed, unitStarts: &unitStarts)
            {
                // The sealed frame becomes its container form in place (a scenario's receiver model
                // still reads it afterwards, so only runs without one take this path).
                try context.store(sealed, in: &packet, frame: counters.frames - 1)
            } else {
                try store(sealed, in: &packet)
            }
        case .passedThrough:
            break
        case .tooShort(let clearBytes):
            throw context.failure(
                .malformedInput,
                frame: counters.frames - 1,
                "\(plain.count) bytes, fewer than the \(clearBytes) the \(encryptor.codec.name) rule leaves clear; "
                    + "no receiver could decrypt it"
            )
        case .failed(let state):
            throw context.failure(.internalFailure, frame: counters.frames - 1, "encryption failed (\(state.name))")
        case .cipherFailed(let reason):
            throw context.failure(.internalFailure, frame: counters.frames - 1, reason)
        }
    }

    /// The packet trailer's values for `packet`: its 1-based number and its time in microseconds.
    private func frameMetadata(of packet: borrowing Packet) -> FrameMetadata {
        let micros = (packet.pts ?? packet.dts).map { timeBase.convert($0, to: Self.microseconds) }
        return FrameMetadata(
            userTimestamp: micros.map { UInt64(max(0, $0)) },
            frameId: UInt32(truncatingIfNeeded: counters.frames)
        )
    }

    private static let microseconds = Rational(numerator: 1, denominator: 1_000_000)

    /// Handles a frame under the scenario: a server frame in its place, the frame in clear or
    /// dropped before the key arrives, or encrypted with the key index and ratchet of its time; the
    /// receiver model hears of each.
    ///
    /// - Returns: false when the frame is dropped.
    private func followScenario(_ packet: inout Packet) throws(FrameCryptError) -> Bool {
        guard let scenario else { return true }
        let time = Double(packet.dts ?? packet.pts ?? 0) * Double(timeBase.numerator) / Double(timeBase.denominator)
        let number = counters.frames - 1
        if scenario.injection?.replaces(at: time) == true, let injected = scenario.injection?.frame {
            try inject(injected, in: &packet, scenario: scenario)
            return true
        }
        guard scenario.schedule.hasKey(at: time) else {
            return try withoutKey(&packet, number: number, scenario: scenario)
        }
        let keyIndex = scenario.schedule.keyIndex(at: time)
        encryptor.keyIndex = UInt8(keyIndex)
        encryptor.ratchetSteps = scenario.schedule.ratchetSteps(at: time)
        try encrypt(&packet)
        if scenario.schedule.corruptions[number] != nil {
            scenario.model.unopenable(
                sealed,
                codec: encryptor.codec,
                stream: context.description.index,
                ring: scenario.ring
            )
        } else if !sealed.isEmpty {
            scenario.model.encrypted(
                stream: context.description.index,
                ring: scenario.ring,
                keyIndex: keyIndex,
                steps: encryptor.ratchetSteps,
                sealing: ReceiverModel.Sealing(
                    frame: sealed,
                    codec: encryptor.codec,
                    keyFrame: packet.isKeyFrame,
                    clearBytes: encryptor.lastClearBytes,
                    framing: encryptor.lastSealedAsVP8 ? .vp8 : encryptor.codec
                )
            )
        }
        return true
    }

    /// Puts the scenario's server frame in place of the packet's (a key frame, for video).
    private func inject(_ injected: [UInt8], in packet: inout Packet, scenario: ScenarioStream)
        throws(FrameCryptError)
    {
        counters.count(.ok)
        counters.serverInjected += 1
        scenario.model.serverInjected(
            injected,
            codec: encryptor.codec,
            stream: context.description.index,
            ring: scenario.ring
        )
        if context.description.type == .video {
            packet.isKeyFrame = true
        }
        try store(injected, in: &packet)
    }

    /// A frame sent before the key arrives: in clear or dropped, as the scenario says.
    ///
    /// - Returns: false when the frame is dropped.
    private func withoutKey(_ packet: inout Packet, number: Int, scenario: ScenarioStream)
        throws(FrameCryptError) -> Bool
    {
        counters.count(.missingKey)
        if scenario.schedule.corruptions[number] != nil {
            throw context.failure(
                .invalidArgument,
                frame: number,
                "the scenario corrupts a frame sent before the key arrives"
            )
        }
        switch scenario.keyNotReady {
        case .sendClear:
            let clear = sourceLengthSize == nil ? payload : frame
            scenario.model.unopenable(
                clear,
                codec: encryptor.codec,
                stream: context.description.index,
                ring: scenario.ring
            )
            try store(clear, in: &packet)
            return true
        case .discard:
            counters.dropped += 1
            return false
        }
    }

    /// Stores a frame-form frame in `packet`: H.26x with 4-byte NAL lengths, else as it is.
    private func store(_ bytes: [UInt8], in packet: inout Packet) throws(FrameCryptError) {
        guard sourceLengthSize != nil else {
            try context.store(bytes, in: &packet, frame: counters.frames - 1)
            return
        }
        packed.removeAll(keepingCapacity: true)
        if !NALFraming.appendLengthPrefixed(ofAnnexB: bytes, lengthSize: Self.encryptedLengthSize, to: &packed) {
            // No slice, so nothing stayed clear: the sealed frame is one opaque unit.
            packed.removeAll(keepingCapacity: true)
            NALFraming.appendUnit(bytes[...], lengthSize: Self.encryptedLengthSize, to: &packed)
        }
        try context.store(packed, in: &packet, frame: counters.frames - 1)
    }

    var report: StreamReport {
        counters.report(
            for: context.description,
            action: .encrypted,
            encrypting: true,
            sender: sender,
            keyIndex: Int(encryptor.keyIndex),
            receiver: scenario.flatMap { $0.model.expectation(stream: context.description.index) },
            corruptedFrames: scenario?.corrupted
        )
    }
}
