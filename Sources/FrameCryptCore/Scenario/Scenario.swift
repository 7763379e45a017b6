public import FrameCryptFormat

/// A session over time for `framecrypt encrypt --scenario`: what happens to the senders' keys and
/// frames as the file plays, so that an encrypted file exercises a receiver the way a live room does
/// (docs/SCENARIOS.md).
///
/// Times are seconds on each stream's own clock (decoding timestamp, else presentation timestamp).
/// An event without a participant applies to every sender.
public struct Scenario: Sendable {
    /// Where a sender's frame counter starts.
    public enum SendCounterStart: String, Sendable, CaseIterable {
        /// 0, as native (libwebrtc) senders do.
        case native
        /// A random value below 0xFFFF per stream, as the JS SDK does.
        case random
    }

    /// What a sender does with frames before its key arrives.
    public enum KeyNotReady: String, Sendable, CaseIterable {
        /// Send them in clear (the SDK default).
        case sendClear = "send-clear"
        /// Drop them (`discardFrameWhenCryptorNotReady`).
        case discard
    }

    /// From `at` on, the sender writes `keyIndex` into its frames and encrypts with that slot.
    public struct Rotation: Sendable {
        public let at: Double
        public let participant: String?
        public let keyIndex: Int
    }

    /// At `at` the sender ratchets the key at its current key index `steps` times.
    public struct Ratchet: Sendable {
        public let at: Double
        public let participant: String?
        public let steps: Int
    }

    /// The sender's key becomes available at `at`; earlier frames follow ``keyNotReady``.
    public struct KeyArrival: Sendable {
        public let at: Double
        public let participant: String?
    }

    /// The SFU's blank frames: at each time, the frame there is replaced by the codec's blank frame
    /// followed by `trailer`, as a server does while a track is muted.
    public struct ServerInjection: Sendable {
        public let trailer: [UInt8]
        public let times: [Double]
        /// Streams that receive them; nil for every stream whose codec has a blank frame.
        public let streams: [Int]?
    }

    /// Frame `frame` (counted from 0) of stream `stream` is damaged after encryption.
    public struct Corruption: Sendable {
        public let stream: Int
        public let frame: Int
        public let part: FrameCorruption
    }

    public var description: String?
    public var sendCounter: SendCounterStart = .native
    public var keyNotReady: KeyNotReady = .sendClear
    public var keyArrivals: [KeyArrival] = []
    public var rotations: [Rotation] = []
    public var ratchets: [Ratchet] = []
    public var serverInjection: ServerInjection?
    public var corruptions: [Corruption] = []

    public init() {}

    /// The sequence of events for the stream of `participant`, ready to be asked per frame.
    package func schedule(participant: String?, stream: Int, baseKeyIndex: Int) -> SenderSchedule {
        func applies(_ who: String?) -> Bool { who == nil || who == participant }
        let arrival =
            keyArrivals.first { $0.participant != nil && $0.participant == participant }
            ?? keyArrivals.first { $0.participant == nil }
        return SenderSchedule(
            baseKeyIndex: baseKeyIndex,
            rotations: rotations.filter { applies($0.participant) }.sorted { $0.at < $1.at },
            ratchets: ratchets.filter { applies($0.participant) }.sorted { $0.at < $1.at },
            keyArrival: arrival?.at,
            corruptions: Dictionary(
                corruptions.filter { $0.stream == stream }.map { ($0.frame, $0.part) },
                uniquingKeysWith: { first, _ in first }
            )
        )
    }
}
