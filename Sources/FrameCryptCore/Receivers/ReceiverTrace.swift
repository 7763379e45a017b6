package import FrameCryptFormat

/// What one SDK's receiver shows for one stream: frames per state and the first frame it fails on.
package struct ReceiverVerdict: Sendable, Encodable, Equatable {
    /// The first frame the receiver did not deliver.
    package struct FirstFailure: Sendable, Encodable, Equatable {
        /// The frame's position in the stream, from 0.
        package let frame: Int
        package let state: String
        /// Why, in one line (never key material).
        package let reason: String
    }

    package let receiver: ReceiverProfile.Name
    package let frames: Int
    /// Frames per FrameCryptor state name (`ok`, `keyRatcheted`, `decryptionFailed`, `missingKey`…).
    package let states: [String: Int]
    /// The same counts under VideoSDK's names, for the `videosdk` receiver.
    package let videoSDKStates: [String: Int]?
    /// Known blank frames the receiver forwarded.
    package let serverInjectedFrames: Int
    /// Frames dropped unread because their key index had been marked invalid (failure tolerance).
    package let droppedUnread: Int
    package let firstFailure: FirstFailure?
    /// When asked for: one letter per frame, in order (``ReceiverTrace/letter(_:)``).
    package var frameStates: String? = nil

    /// True when the receiver delivers every frame.
    package var decryptsAll: Bool {
        firstFailure == nil
    }
}

/// Runs one stream's frames, in order, through one SDK's receiver and keeps its verdict.
package final class ReceiverTrace {
    package let profile: ReceiverProfile
    private var decryptor: FrameDecryptor
    private var frameForm: FrameForm
    private var plain: [UInt8] = []
    private var frames = 0
    private var serverInjected = 0
    private var droppedUnread = 0
    private var counts: [FrameCryptionState: Int] = [:]
    private var firstFailure: ReceiverVerdict.FirstFailure?
    /// Each frame's letter, when the caller wants every frame's outcome.
    private var letters: [UInt8]?

    /// - Parameters:
    ///   - ring: the participant's keys as `profile`'s SDK holds them (``KeySet/received(by:)``).
    ///   - lengthSize: the stream's NAL length size, nil when packets already are the frame form.
    package init(
        profile: ReceiverProfile,
        codec: FrameCodec,
        ring: KeyRing?,
        mode: KeyProvider.Mode,
        lengthSize: Int?,
        serverInjectedTrailer: [UInt8]?,
        recordsFrames: Bool = false
    ) {
        self.profile = profile
        letters = recordsFrames ? [] : nil
        decryptor = FrameDecryptor(
            codec: codec,
            keys: ring,
            receiver: profile,
            mode: mode,
            serverInjectedTrailer: serverInjectedTrailer
        )
        frameForm = FrameForm(lengthSize: lengthSize, codec: codec)
    }

    /// Offers the next packet of the stream, as stored in the file, with its key-frame flag.
    package func receive(_ payload: [UInt8], keyFrame: Bool) {
        let codec = decryptor.codec
        let frame =
            frameForm.read(
                payload,
                { $0 },
                accepts: { FrameExamination($0[...], codec: codec).shape == .sealed }
            ) ?? payload
        let outcome = decryptor.decrypt(frame, keyFrame: keyFrame, into: &plain)
        counts[outcome.state, default: 0] += 1
        letters?.append(Self.letter(outcome))
        switch outcome {
        case .serverInjected:
            serverInjected += 1
        case .failed(let failure):
            if case .keyMarkedInvalid = failure {
                droppedUnread += 1
            }
            if firstFailure == nil {
                firstFailure = ReceiverVerdict.FirstFailure(
                    frame: frames,
                    state: failure.state.name,
                    reason: failure.description
                )
            }
        default:
            break
        }
        frames += 1
    }

    /// A frame's outcome in one letter: `o` ok, `r` key ratcheted, `s` server frame forwarded, `e`
    /// empty, `m` missing key, `d` dropped unread, `f` failed, `i` internal error.
    static func letter(_ outcome: DecryptOutcome) -> UInt8 {
        switch outcome {
        case .decrypted(let steps): UInt8(ascii: steps > 0 ? "r" : "o")
        case .recovered: UInt8(ascii: "o")
        case .serverInjected: UInt8(ascii: "s")
        case .passedThrough: UInt8(ascii: "e")
        case .failed(.keyMarkedInvalid): UInt8(ascii: "d")
        case .failed(let failure):
            switch failure.state {
            case .missingKey: UInt8(ascii: "m")
            case .internalError: UInt8(ascii: "i")
            default: UInt8(ascii: "f")
            }
        }
    }

    /// The verdict so far.
    package var verdict: ReceiverVerdict {
        var verdict = ReceiverVerdict(
            receiver: profile.name,
            frames: frames,
            states: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.name, $0.value) }),
            videoSDKStates: profile.reportsVideoSDKStates
                ? FrameCryptionState.videoSDKCounts(counts, encrypting: false) : nil,
            serverInjectedFrames: serverInjected,
            droppedUnread: droppedUnread,
            firstFailure: firstFailure
        )
        verdict.frameStates = letters.map { String(decoding: $0, as: UTF8.self) }
        return verdict
    }
}
