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

    /// - Parameters:
    ///   - ring: the participant's keys as `profile`'s SDK holds them (``KeySet/received(by:)``).
    ///   - lengthSize: the stream's NAL length size, nil when packets already are the frame form.
    package init(
        profile: ReceiverProfile,
        codec: FrameCodec,
        ring: KeyRing?,
        mode: KeyProvider.Mode,
        lengthSize: Int?,
        serverInjectedTrailer: [UInt8]?
    ) {
        self.profile = profile
        decryptor = FrameDecryptor(
            codec: codec,
            keys: ring,
            receiver: profile,
            mode: mode,
            serverInjectedTrailer: serverInjectedTrailer
        )
        frameForm = FrameForm(lengthSize: lengthSize, codec: codec)
    }

    /// Offers the next packet of the stream, as stored in the file.
    package func receive(_ payload: [UInt8]) {
        let codec = decryptor.codec
        let frame =
            frameForm.read(
                payload,
                { $0 },
                accepts: { FrameExamination($0[...], codec: codec).shape == .sealed }
            ) ?? payload
        let outcome = decryptor.decrypt(frame, into: &plain)
        counts[outcome.state, default: 0] += 1
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

    /// The verdict so far.
    package var verdict: ReceiverVerdict {
        ReceiverVerdict(
            receiver: profile.name,
            frames: frames,
            states: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.name, $0.value) }),
            videoSDKStates: profile.reportsVideoSDKStates
                ? FrameCryptionState.videoSDKCounts(counts, encrypting: false) : nil,
            serverInjectedFrames: serverInjected,
            droppedUnread: droppedUnread,
            firstFailure: firstFailure
        )
    }
}
