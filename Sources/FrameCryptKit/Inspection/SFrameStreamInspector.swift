import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Reads one SFrame stream's frames without keys: each frame's carriage and header, the KIDs and
/// counters they carry, and the frames that are not well-formed SFrame ciphertexts. Counter gaps
/// and repeats are judged across the file by ``SFrameCounterRegistry``, because a participant's
/// streams share one counter per KID.
final class SFrameStreamInspector: StreamExaminer {
    let index: Int
    let participant: String?
    let keyScope: String
    private let kind: StreamType
    private let codecName: String
    private let label: StreamLabel?
    private let carriage: SFrameCarriage
    /// The suite the label names; its tag length tells truncated frames apart.
    private let suite: SFrameCipherSuite?
    private let timeBase: Rational
    private(set) var frames = 0
    private var states: [FrameState: Int] = [:]
    private var bytes: Int64 = 0
    private var overheadBytes: Int64 = 0
    private var keyIDs: [UInt64: Int] = [:]
    private var counters: [UInt64: ClosedRange<UInt64>] = [:]
    private var flagged: [FindingCode: [Int]] = [:]
    private var headerProblem: String?

    init(_ resolved: ResolvedStream, codec: FrameCodec) {
        let stream = resolved.stream
        index = stream.index
        kind = stream.type
        codecName = stream.codecName
        timeBase = stream.timeBase
        let label = resolved.label
        self.label = label
        participant = resolved.participant
        suite = label?.cipherSuite.flatMap(SFrameCipherSuite.init(named:))
        carriage = SFrameCarriage(codec: codec, nalLengthSize: resolved.fileLengthSize)
        keyScope = StreamInspection.keyScope(of: label, stream: stream.index)
    }

    func examine(_ payload: [UInt8], pts: Int64?, keyFrame: Bool) -> FrameRecord {
        let number = frames
        frames += 1
        bytes += Int64(payload.count)
        var header: SFrameHeader?
        let state: FrameState
        let ciphertext = carriage.unwrap(payload[...])
        if payload.isEmpty {
            state = .empty
        } else if let ciphertext {
            switch SFrameHeader.parse(ciphertext) {
            case .success((let parsed, let length)):
                header = parsed
                let body = ciphertext.count - length
                if let suite, body < suite.tagLength {
                    flag(.truncatedFrame, number)
                    state = .truncated
                } else {
                    state = .encrypted
                    keyIDs[parsed.keyID, default: 0] += 1
                    let range = counters[parsed.keyID]
                    counters[parsed.keyID] =
                        min(
                            range?.lowerBound ?? parsed.counter,
                            parsed.counter
                        )...max(
                            range?.upperBound ?? parsed.counter,
                            parsed.counter
                        )
                    overheadBytes += Int64(payload.count - ciphertext.count + length + (suite?.tagLength ?? 0))
                }
            case .failure(let failure):
                headerProblem = headerProblem ?? "frame \(number): \(failure)"
                flag(.sframeHeaderInvalid, number)
                state = .malformed
            }
        } else {
            headerProblem = headerProblem ?? "frame \(number): not framed as one SFrame ciphertext"
            flag(.sframeHeaderInvalid, number)
            state = .malformed
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
            keyIndex: nil,
            iv: nil,
            clearBytes: payload.count - (ciphertext?.count ?? payload.count),
            sframeHeader: state == .encrypted ? header : nil
        )
    }

    private func flag(_ code: FindingCode, _ frame: Int) {
        flagged[code, default: []].append(frame)
    }

    var report: StreamInspection {
        let encrypted = states[.encrypted, default: 0]
        return StreamInspection(
            index: index,
            kind: kind,
            codec: codecName,
            participant: participant,
            scheme: encrypted > 0 ? StreamLabel.sframeScheme : "unknown",
            labelScheme: label?.scheme,
            frames: frames,
            encryptedFrames: encrypted,
            clearFrames: states[.clear, default: 0],
            sifFrames: 0,
            emptyFrames: states[.empty, default: 0],
            truncatedFrames: states[.truncated, default: 0],
            malformedFrames: states[.malformed, default: 0],
            keyIndices: [:],
            keyIndexChanges: [],
            keyRingSize: label?.keyRingSize ?? KeyRing.defaultSize,
            iv: nil,
            clearHeader: ClearHeaderSummary(bytes: 0, keyFrames: nil, nalUnitTypes: nil, opusConfigurations: nil),
            bytes: bytes,
            overheadBytes: overheadBytes,
            sframe: SFrameInspection(
                cipherSuite: suite?.name,
                keyIDs: keyIDs.keys.sorted().map { keyID in
                    SFrameKeyIDUse(
                        keyID: keyID,
                        frames: keyIDs[keyID] ?? 0,
                        firstCounter: counters[keyID]?.lowerBound ?? 0,
                        lastCounter: counters[keyID]?.upperBound ?? 0
                    )
                }
            )
        )
    }

    var findings: [Finding] {
        var findings: [Finding] = []
        if let frames = flagged[.truncatedFrame] {
            findings.append(
                Finding(
                    code: .truncatedFrame,
                    stream: index,
                    frames: frames,
                    message:
                        "\(Finding.counted(frames.count)) shorter than the \(suite?.tagLength ?? 0)-byte tag of \(suite?.name ?? "the suite") after the SFrame header: such frames cannot be authenticated"
                )
            )
        }
        if let frames = flagged[.sframeHeaderInvalid] {
            findings.append(
                Finding(
                    code: .sframeHeaderInvalid,
                    stream: index,
                    frames: frames,
                    message:
                        "\(Finding.counted(frames.count)) without a valid SFrame header (\(headerProblem ?? "")): receivers discard such frames"
                )
            )
        }
        return findings
    }
}
