import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Reads one stream's frames as they go by and keeps what `inspect` reports: counts per state, key
/// indices, the IV layout, the clear headers, and the frames behind each finding. Per frame it only
/// parses; nothing is decrypted or decoded.
final class StreamInspector: StreamExaminer {
    let index: Int
    let participant: String?
    /// The scope within which IVs must be unique (streams that may share a key share a scope).
    let keyScope: String
    private let kind: StreamType
    private let codecName: String
    private let codec: FrameCodec?
    private let label: StreamLabel?
    private let ringSize: Int
    private var frameForm: FrameForm
    private let timeBase: Rational
    private let rtpClock: Int
    private let serverInjectedTrailer: [UInt8]?

    private(set) var frames = 0
    private var states: [FrameState: Int] = [:]
    private var bytes: Int64 = 0
    private var overheadBytes: Int64 = 0
    private var keyIndices: [UInt8: Int] = [:]
    private var keyIndexChanges: [KeyIndexChange] = []
    private var lastKeyIndex: UInt8?
    private var ssrcCounts: [UInt32: Int] = [:]
    private var firstSSRC: UInt32?
    private var firstRTPTimestamp: UInt32 = 0
    private var lastRTPTimestamp: UInt32 = 0
    private var rtpOffset: UInt32?
    private var rtpClockMismatches = 0
    private var sendCountStart: UInt32 = 0
    private var lastSendCount: UInt32?
    private var sendCountGapFrames: [Int] = []
    private var clearHeaderBytes: Int64 = 0
    private var keyFrames = 0
    private var packetTrailerFrames = 0
    private var nalUnitTypes: [UInt8: Int] = [:]
    private var opusConfigurations: Set<UInt8> = []
    /// Frames behind each per-stream finding.
    private var flagged: [FindingCode: [Int]] = [:]
    private var headerProblem: String?
    /// Unrecognized frames that hold a FrameCryptor trailer inside.
    private var embeddedTrailerFrames = 0
    private var outOfRingIndex: UInt8?
    private var longestPrefix = 0

    init(_ resolved: ResolvedStream, serverInjectedTrailer: [UInt8]?) {
        let stream = resolved.stream
        index = stream.index
        kind = stream.type
        codecName = stream.codecName
        timeBase = stream.timeBase
        self.serverInjectedTrailer = serverInjectedTrailer
        let label = resolved.label
        self.label = label
        participant = resolved.participant
        ringSize = label?.keyRingSize ?? KeyRing.defaultSize
        let codec = resolved.codec
        self.codec = codec
        frameForm = FrameForm(lengthSize: resolved.fileLengthSize, codec: codec)
        rtpClock = codec.map { RTPClock.rate(for: $0, sampleRate: stream.parameters.sampleRate) } ?? RTPClock.videoRate
        keyScope = StreamInspection.keyScope(of: label, stream: stream.index)
    }

    private var encryptedFrames: Int {
        states[.encrypted, default: 0]
    }

    /// True once the stream has shown encryption: its label claims it or a frame was encrypted.
    private var showsEncryption: Bool {
        label?.scheme == StreamLabel.frameCryptorScheme || encryptedFrames > 0
    }

    /// Examines one packet's payload and returns the frame's record.
    func examine(_ payload: [UInt8], pts: Int64?, keyFrame: Bool) -> FrameRecord {
        let number = frames
        frames += 1
        bytes += Int64(payload.count)
        var examination: FrameExamination?
        let state: FrameState
        if let codec {
            let judged = judge(payload, codec: codec, keyFrame: keyFrame, number: number, pts: pts)
            (state, examination) = judged
        } else {
            state = payload.isEmpty ? .empty : .clear
        }
        states[state, default: 0] += 1
        return FrameRecord(
            stream: index,
            frame: number,
            pts: pts,
            time: timeBase.seconds(pts),
            size: payload.count,
            keyFrame: keyFrame,
            state: state,
            keyIndex: state == .encrypted || state == .malformed ? examination?.keyIndex : nil,
            iv: state == .encrypted || state == .malformed ? examination?.iv : nil,
            clearBytes: examination?.clearPrefixLength ?? payload.count
        )
    }

    private func judge(_ payload: [UInt8], codec: FrameCodec, keyFrame: Bool, number: Int, pts: Int64?) -> (
        FrameState, FrameExamination?
    ) {
        if isServerInjected(payload[...]) {
            return (.serverInjected, nil)
        }
        guard let (examination, bitstream) = examination(of: payload, codec: codec) else {
            flag(.truncatedFrame, number)
            return (.truncated, nil)
        }
        if bitstream == .embeddedTrailer {
            embeddedTrailerFrames += 1
            flag(.unrecognizedFrames, number)
            return (.unrecognized, examination)
        }
        switch examination.shape {
        case .empty:
            return (.empty, examination)
        case .sealed:
            record(sealed: examination, codec: codec, keyFrame: keyFrame, number: number, pts: pts)
            return (.encrypted, examination)
        case .tooShort where showsEncryption:
            flag(.truncatedFrame, number)
            return (.truncated, examination)
        case .badTrailer where showsEncryption && (firstSSRC == nil || examination.iv?.ssrc == firstSSRC):
            flag(.malformedTrailer, number)
            return (.malformed, examination)
        case .tooShort, .badTrailer, .clear:
            if bitstream == .malformed && showsEncryption {
                flag(.unrecognizedFrames, number)
                return (.unrecognized, examination)
            }
            flag(.mixedClearAndEncrypted, number)
            return (.clear, examination)
        }
    }

    /// The frame-form examination and what the frame's structure says (``ClearBitstream``); nil when
    /// an H.26x packet's NAL lengths run past its end.
    private func examination(of payload: [UInt8], codec: FrameCodec) -> (FrameExamination, ClearBitstream.Verdict)? {
        frameForm.read(
            payload,
            { frame in
                let examination = FrameExamination(frame[...], codec: codec)
                let verdict = ClearBitstream.assess(frame[...], codec: codec, sealed: examination.shape == .sealed)
                return (examination, verdict)
            },
            accepts: { $0.0.shape == .sealed }
        )
    }

    private func isServerInjected(_ payload: ArraySlice<UInt8>) -> Bool {
        if let serverInjectedTrailer {
            guard let blank = ServerInjectedFrames.payload(of: payload, trailer: serverInjectedTrailer) else {
                return false
            }
            return ServerInjectedFrames.isKnownBlankPayload(blank)
        }
        return ServerInjectedFrames.unknownTrailerLength(of: payload) != nil
    }

    private func record(
        sealed examination: FrameExamination,
        codec: FrameCodec,
        keyFrame: Bool,
        number: Int,
        pts: Int64?
    ) {
        guard let keyIndex = examination.keyIndex, let iv = examination.iv else { return }
        keyIndices[keyIndex, default: 0] += 1
        if let lastKeyIndex, lastKeyIndex != keyIndex {
            keyIndexChanges.append(KeyIndexChange(frame: number, from: Int(lastKeyIndex), to: Int(keyIndex)))
        }
        lastKeyIndex = keyIndex
        if Int(keyIndex) >= ringSize {
            outOfRingIndex = outOfRingIndex ?? keyIndex
            flag(.keyIndexOutOfRing, number)
        }
        recordIV(iv, number: number, pts: pts)
        overheadBytes += Int64(examination.overheadBytes)
        if examination.packetTrailer != nil {
            packetTrailerFrames += 1
        }
        let header = examination.header
        clearHeaderBytes += Int64(header.length)
        if header.keyFrame == true {
            keyFrames += 1
        }
        for type in header.nalUnitTypes {
            nalUnitTypes[type, default: 0] += 1
        }
        if let configuration = header.opusConfiguration {
            opusConfigurations.insert(configuration)
        }
        if let problem = header.problem {
            headerProblem = headerProblem ?? "frame \(number): \(problem)"
            flag(.clearHeaderMismatch, number)
        } else if let bitstreamKeyFrame = header.keyFrame, bitstreamKeyFrame != keyFrame {
            headerProblem =
                headerProblem
                ?? "frame \(number): the clear header says \(bitstreamKeyFrame ? "key" : "delta") frame, the container \(keyFrame ? "key" : "delta") frame"
            flag(.clearHeaderMismatch, number)
        }
        if codec.isH26x {
            if examination.clearPrefixLength - 2 > Self.nativePrefixLimit {
                longestPrefix = max(longestPrefix, examination.clearPrefixLength)
                flag(.nativeH26xPrefixWrap, number)
            }
            if examination.ivNeedsEscaping {
                flag(.ivNeedsEscaping, number)
            }
        }
    }

    private func recordIV(_ iv: FrameIV, number: Int, pts: Int64?) {
        ssrcCounts[iv.ssrc, default: 0] += 1
        if firstSSRC == nil {
            firstSSRC = iv.ssrc
            firstRTPTimestamp = iv.rtpTimestamp
            sendCountStart = iv.impliedSendCount
        }
        lastRTPTimestamp = iv.rtpTimestamp
        if let pts {
            let ticks = timeBase.convert(pts, to: Rational(numerator: 1, denominator: Int32(rtpClock)))
            let offset = iv.rtpTimestamp &- UInt32(truncatingIfNeeded: ticks)
            if let rtpOffset {
                let drift = Int32(bitPattern: offset &- rtpOffset)
                if drift.magnitude > 1 {
                    rtpClockMismatches += 1
                }
            } else {
                rtpOffset = offset
            }
        }
        let sendCount = iv.impliedSendCount
        if let lastSendCount, sendCount != (lastSendCount + 1) % FrameExamination.sendCountModulus {
            sendCountGapFrames.append(number)
        }
        lastSendCount = sendCount
    }

    private func flag(_ code: FindingCode, _ frame: Int) {
        flagged[code, default: []].append(frame)
    }

    /// The most bytes before the first slice that libwebrtc's native receiver handles: it stores the
    /// clear length (that plus 2) in 8 bits (webrtc-framecryptor.md §6, native quirk a).
    static let nativePrefixLimit = 253

    /// The stream's main SSRC, if any frame was encrypted.
    var ssrc: UInt32? {
        ssrcCounts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }

    /// The stream's summary.
    var report: StreamInspection {
        let encrypted = encryptedFrames
        let scheme: String
        if encrypted > 0 || embeddedTrailerFrames > 0 {
            scheme = StreamLabel.frameCryptorScheme
        } else if let claimed = label?.scheme, claimed != StreamLabel.clearScheme {
            scheme = "unknown"
        } else {
            scheme = StreamLabel.clearScheme
        }
        let isH26x = codec?.isH26x == true
        var inspection = StreamInspection(
            index: index,
            kind: kind,
            codec: codecName,
            participant: participant,
            scheme: scheme,
            labelScheme: label?.scheme,
            frames: frames,
            encryptedFrames: encrypted,
            clearFrames: states[.clear, default: 0],
            sifFrames: states[.serverInjected, default: 0],
            emptyFrames: states[.empty, default: 0],
            truncatedFrames: states[.truncated, default: 0],
            malformedFrames: states[.malformed, default: 0],
            keyIndices: Dictionary(uniqueKeysWithValues: keyIndices.map { (String($0.key), $0.value) }),
            keyIndexChanges: keyIndexChanges,
            keyRingSize: ringSize,
            iv: firstSSRC.map { _ in
                IVLayout(
                    ssrcs: ssrcCounts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                        .map { hex32($0.key) },
                    rtpTimestampFirst: firstRTPTimestamp,
                    rtpTimestampLast: lastRTPTimestamp,
                    rtpClockRate: rtpClock,
                    rtpClockMismatches: rtpClockMismatches,
                    sendCountStart: sendCountStart,
                    sendCountGaps: sendCountGapFrames.count,
                    sendCountGapFrames: Array(sendCountGapFrames.prefix(Finding.listedFrames))
                )
            },
            clearHeader: ClearHeaderSummary(
                bytes: clearHeaderBytes,
                keyFrames: codec == .vp8 ? keyFrames : nil,
                nalUnitTypes: isH26x
                    ? Dictionary(uniqueKeysWithValues: nalUnitTypes.map { (String($0.key), $0.value) }) : nil,
                opusConfigurations: codec == .opus ? opusConfigurations.sorted().map { Int($0) } : nil
            ),
            bytes: bytes,
            overheadBytes: overheadBytes
        )
        inspection.packetTrailerFrames = packetTrailerFrames
        inspection.unrecognizedFrames = states[.unrecognized, default: 0]
        return inspection
    }

    /// The findings that concern this stream alone.
    var findings: [Finding] {
        var findings: [Finding] = []
        let encrypted = encryptedFrames
        func add(_ code: FindingCode, _ message: (Int) -> String) {
            guard let frames = flagged[code], !frames.isEmpty else { return }
            findings.append(Finding(code: code, stream: index, frames: frames, message: message(frames.count)))
        }
        if encrypted > 0 {
            add(.mixedClearAndEncrypted) { count in
                "\(Finding.counted(count)) of \(frames) in clear, in a stream with \(encrypted) encrypted: anyone on the path can decode them"
            }
        }
        add(.unrecognizedFrames) { count in
            let inside =
                embeddedTrailerFrames > 0
                ? " (\(embeddedTrailerFrames) with a FrameCryptor trailer inside: encrypted frames were split or merged at new boundaries, as an elementary-stream round trip does)"
                : ""
            return
                "\(Finding.counted(count)) are neither FrameCryptor frames nor valid clear \(codecName) frames\(inside): they can be neither decrypted nor decoded, and are not counted as clear"
        }
        add(.keyIndexOutOfRing) { count in
            "key index \(outOfRingIndex.map(String.init) ?? "?") outside the key ring of \(ringSize)\(label?.keyRingSize == nil ? " (the SDK default; the stream has no label)" : "") in \(Finding.counted(count)): receivers drop such frames as missing key"
        }
        add(.truncatedFrame) { count in
            "\(Finding.counted(count)) too short for the \(FrameLayout.overhead) bytes of tag, IV and trailer, or cut inside a NAL unit: such frames cannot be decrypted"
        }
        add(.malformedTrailer) { count in
            "the sender's IV without the 0x0C trailer byte in \(Finding.counted(count)): receivers reject such frames"
        }
        add(.nativeH26xPrefixWrap) { count in
            "a clear prefix of up to \(longestPrefix) bytes (everything before the first slice, plus 2) in \(Finding.counted(count)): libwebrtc's native receiver keeps that length in 8 bits, wraps it above 255 and cannot decrypt such frames; JS receivers can"
        }
        add(.ivNeedsEscaping) { count in
            "emulation-prevention bytes inside the IV or trailer in \(Finding.counted(count)): receivers built on libwebrtc m125 read them escaped and fail; current native and JS receivers decrypt such frames"
        }
        add(.clearHeaderMismatch) { count in
            "clear bytes that do not match the \(codecName) header in \(Finding.counted(count)) (\(headerProblem ?? "")): a forwarding server misreads such frames"
        }
        return findings
    }
}
