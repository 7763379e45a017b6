package import FrameCryptCore
package import FrameCryptFormat

/// What an encrypt or decrypt job did, for the summary line and `--json`.
package struct ProcessingReport: Sendable, Encodable {
    /// `encrypt` or `decrypt`.
    package let operation: JobOperation
    package var input: String
    package var output: String
    /// The container written (`mkv`, `mp4`…), or the capture format (`pcap`, `rtpdump`).
    package var format: String
    package let streams: [StreamReport]
    /// Things the user should know that did not stop the job (a codec under the generic rule…).
    package var warnings: [String]
    /// Size of the input file in bytes.
    package var bytesIn: Int64
    /// Size of the output file in bytes.
    package var bytesOut: Int64
    /// Wall-clock time of the job.
    package let seconds: Double
    /// Decrypting as an SDK's receiver (`--receiver`): which one.
    package var receiver: ReceiverProfile.Name? = nil
    /// The input was an RTP capture: its streams, continuity and what was skipped.
    package var capture: CaptureReport? = nil
}

/// What happened to one stream as a whole.
package enum StreamAction: String, Sendable, Encodable {
    /// Every frame went through the cryptor.
    case encrypted
    case decrypted
    /// No key for the stream's participant: sent in clear, as an SDK does by default.
    case sentClear
    /// No key for the stream's participant: every frame dropped (`discardFrameWhenCryptorNotReady`).
    case discarded
    /// Not audio or video, or marked as sent in clear: copied unchanged.
    case copied
}

/// Per-stream counts: frames per result state, bytes, and what the failure policy did.
package struct StreamReport: Sendable, Encodable {
    package let index: Int
    /// `video`, `audio`, `subtitle`, `data`…
    package let type: StreamType
    package let codec: String
    package let participant: String?
    package let action: StreamAction
    /// The sender's key index (encrypt) — absent for copied streams.
    package let keyIndex: Int?
    /// The stream's SSRC and RTP timestamp offset (encrypt), as written into every IV.
    package let ssrc: UInt32?
    package let rtpOffset: UInt32?
    package let frames: Int
    package let bytesIn: Int64
    package let bytesOut: Int64
    /// Frames per SDK state name (`ok`, `keyRatcheted`, `missingKey`, `decryptionFailed`…).
    package let states: [String: Int]
    /// The same counts under VideoSDK's names (`EncryptionSuccess`, `DecryptionFailed`…).
    package let videoSDKStates: [String: Int]
    /// Frames left out of the output (failure policy `drop`, or no key with discard).
    package let droppedFrames: Int
    /// Frames that did not decrypt and were written still encrypted (failure policy `keep`).
    package let keptEncryptedFrames: Int
    /// Known blank frames injected by a server, passed through without their trailer.
    package let serverInjectedFrames: Int
    /// Frames opened only with the clear prefix a real sender used (``ClearPrefixRecovery``), by cause.
    package let recoveredFrames: [String: Int]
    /// The LiveKit packet trailers' metadata, frame by frame (decrypt; empty when none carried one).
    package let frameMetadata: [FrameMetadataRecord]
    /// The most ratchet steps a frame needed.
    package let maxRatchetSteps: Int
    /// The first frames that failed, with why (at most ``StreamCounters/failureSamples``).
    package let failures: [FrameFailure]
    /// SFrame streams: suite, KIDs and counters.
    package let sframe: SFrameStreamReport?
    /// Encrypting under a scenario: the states a native receiver should report for this stream.
    package let receiver: ReceiverExpectation?
    /// Encrypting under a scenario: frames damaged after encryption.
    package let corruptedFrames: Int?
}

/// What an SFrame stream used: its suite, the KIDs in its headers and the counters they carried.
package struct SFrameStreamReport: Sendable, Encodable {
    /// The cipher suite's registry name.
    package let cipherSuite: String
    /// The KIDs seen, sorted.
    package let keyIDs: [UInt64]
    /// The smallest and largest counter seen.
    package let firstCounter: UInt64?
    package let lastCounter: UInt64?
    /// Frames refused because their counter had already been accepted under the same key.
    package let replayedFrames: Int
}

/// One failed frame: its number in the stream (from 0) and the reason.
/// One frame's LiveKit packet-trailer metadata.
package struct FrameMetadataRecord: Sendable, Encodable {
    /// The frame's number in its stream, from 0.
    package let frame: Int
    /// The frame's presentation time in seconds, when the container gives one.
    package let time: Double?
    package let userTimestamp: UInt64?
    package let frameId: UInt32?
}

package struct FrameFailure: Sendable, Encodable {
    package let frame: Int
    package let reason: String
}

/// Running counts for one stream, turned into a ``StreamReport`` at the end.
struct StreamCounters {
    /// Failed frames listed in a report; the rest are only counted.
    static let failureSamples = 10

    var frames = 0
    var bytesIn: Int64 = 0
    var bytesOut: Int64 = 0
    var states: [FrameCryptionState: Int] = [:]
    var dropped = 0
    var keptEncrypted = 0
    var serverInjected = 0
    var recovered: [ClearPrefixRecovery: Int] = [:]
    var metadata: [FrameMetadataRecord] = []
    var maxRatchetSteps = 0
    var failures: [FrameFailure] = []

    /// Counts one more frame of `size` bytes read from the input.
    mutating func receive(bytes size: Int) {
        frames += 1
        bytesIn += Int64(size)
    }

    mutating func count(_ state: FrameCryptionState) {
        states[state, default: 0] += 1
    }

    mutating func recordFailure(_ reason: String) {
        if failures.count < Self.failureSamples {
            failures.append(FrameFailure(frame: frames - 1, reason: reason))
        }
    }

    func report(
        for stream: StreamDescription,
        action: StreamAction,
        encrypting: Bool,
        sender: SenderIdentity? = nil,
        keyIndex: Int? = nil,
        sframe: SFrameStreamReport? = nil,
        receiver: ReceiverExpectation? = nil,
        corruptedFrames: Int? = nil
    ) -> StreamReport {
        StreamReport(
            index: stream.index,
            type: stream.type,
            codec: stream.codec,
            participant: stream.participant,
            action: action,
            keyIndex: keyIndex,
            ssrc: sender?.ssrc,
            rtpOffset: sender?.rtpOffset,
            frames: frames,
            bytesIn: bytesIn,
            bytesOut: bytesOut,
            states: Dictionary(uniqueKeysWithValues: states.map { ($0.key.name, $0.value) }),
            videoSDKStates: FrameCryptionState.videoSDKCounts(states, encrypting: encrypting),
            droppedFrames: dropped,
            keptEncryptedFrames: keptEncrypted,
            serverInjectedFrames: serverInjected,
            recoveredFrames: Dictionary(uniqueKeysWithValues: recovered.map { ($0.key.rawValue, $0.value) }),
            frameMetadata: metadata,
            maxRatchetSteps: maxRatchetSteps,
            failures: failures,
            sframe: sframe,
            receiver: receiver,
            corruptedFrames: corruptedFrames
        )
    }
}

/// How a stream is named in reports and messages.
struct StreamDescription {
    let index: Int
    let type: StreamType
    let codec: String
    let participant: String?

    /// Stops a job with per-participant keys (`perParticipant` true) when the stream's participant
    /// is unknown.
    func requireParticipant(if perParticipant: Bool, file: String) throws(FrameCryptError) {
        guard perParticipant && participant == nil else { return }
        throw FrameCryptError(
            .invalidArgument,
            "\(file): \(label): per-participant keys need the stream's participant",
            remedy: .nameParticipant(stream: index)
        )
    }

    /// `stream 1 (video vp8, participant alice)`.
    var label: String {
        let who = participant.map { ", participant \($0)" } ?? ""
        return "stream \(index) (\(type) \(codec)\(who))"
    }
}
