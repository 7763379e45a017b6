package import FrameCryptFormat

/// A session over time for `framecrypt encrypt --scenario`: what happens to the senders' keys and
/// frames as the file plays, so that an encrypted file exercises a receiver the way a live room does
/// (docs/SCENARIOS.md).
///
/// Times are seconds on each stream's own clock (decoding timestamp, else presentation timestamp).
/// An event without a participant applies to every sender.
package struct Scenario: Sendable {
    /// Where a sender's frame counter starts.
    package enum SendCounterStart: String, Sendable, CaseIterable {
        /// 0, as native (libwebrtc) senders do.
        case native
        /// A random value below 0xFFFF per stream, as the JS SDK does.
        case random
    }

    /// What a sender does with frames before its key arrives.
    package enum KeyNotReady: String, Sendable, CaseIterable {
        /// Send them in clear (the SDK default).
        case sendClear = "send-clear"
        /// Drop them (`discardFrameWhenCryptorNotReady`).
        case discard
    }

    /// From `at` on, the sender writes `keyIndex` into its frames and encrypts with that slot.
    package struct Rotation: Sendable {
        package let at: Double
        package let participant: String?
        package let keyIndex: Int
    }

    /// At `at` the sender ratchets the key at its current key index `steps` times.
    package struct Ratchet: Sendable {
        package let at: Double
        package let participant: String?
        package let steps: Int
    }

    /// The sender's key becomes available at `at`; earlier frames follow ``keyNotReady``.
    package struct KeyArrival: Sendable {
        package let at: Double
        package let participant: String?
    }

    /// The SFU's blank frames: at each time, the frame there is replaced by the codec's blank frame
    /// followed by `trailer`, as a server does while a track is muted.
    package struct ServerInjection: Sendable {
        package let trailer: [UInt8]
        package let times: [Double]
        /// Streams that receive them; nil for every stream whose codec has a blank frame.
        package let streams: [Int]?
    }

    /// Frame `frame` (counted from 0) of stream `stream` is damaged after encryption.
    package struct Corruption: Sendable {
        package let stream: Int
        package let frame: Int
        package let part: FrameCorruption
    }

    package var description: String?
    package var sendCounter: SendCounterStart = .native
    package var keyNotReady: KeyNotReady = .sendClear
    package var keyArrivals: [KeyArrival] = []
    package var rotations: [Rotation] = []
    package var ratchets: [Ratchet] = []
    package var serverInjection: ServerInjection?
    package var corruptions: [Corruption] = []

    package init() {}

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
