package import FrameCryptFormat

/// What a receiver should report for a file encrypted under a scenario, worked out from what each
/// sender did rather than by decrypting: the expected states that fixtures and their users check
/// a cryptor against.
///
/// The receiver modelled is the native one (webrtc-framecryptor.md §8.1) with a ratchet window of
/// ``window``: one key ring per participant shared by their streams, frames taken in file order, a
/// stored key per slot that moves forward when a frame needed ratchet steps, and no change on a
/// failure. Frames that were not encrypted as sent are judged by their bytes, as a receiver would:
/// a frame that does not parse fails, one whose key index has no key is missing a key.
package final class ReceiverModel {
    /// The ratchet window of the modelled receiver (every native SDK's default).
    static let window = 16

    private let keys: KeySet
    /// Ratchet steps of each stored key, by ring and key index.
    private var positions: [String: [Int: Int]] = [:]
    private var states: [Int: [FrameCryptionState: Int]] = [:]
    private var statesWithoutTrailer: [Int: [FrameCryptionState: Int]] = [:]
    private var hasServerFrames = false
    private var transform = FrameTransform()

    package init(keys: KeySet) {
        self.keys = keys
    }

    /// A frame encrypted under `ring`'s key at `keyIndex`, ratcheted `steps` times by its sender.
    package func encrypted(stream: Int, ring: String, keyIndex: Int, steps: Int) {
        let stored = positions[ring, default: [:]][keyIndex, default: 0]
        let state: FrameCryptionState
        if !hasKey(ring: ring, index: keyIndex) {
            state = .missingKey
        } else if steps == stored {
            state = .ok
        } else if steps > stored && steps - stored <= Self.window {
            positions[ring, default: [:]][keyIndex] = steps
            state = .keyRatcheted
        } else {
            state = .decryptionFailed
        }
        count(state, stream: stream, withTrailer: true, withoutTrailer: true)
    }

    /// A frame that reaches the receiver as it is (sent in clear, or damaged after encryption).
    package func unopenable(_ frame: [UInt8], codec: FrameCodec, stream: Int, ring: String) {
        let state = judge(frame, codec: codec, ring: ring)
        count(state, stream: stream, withTrailer: true, withoutTrailer: true)
    }

    /// A blank frame with the room's trailer: passed through by a receiver that knows the trailer,
    /// judged by its bytes by one that does not.
    package func serverInjected(_ frame: [UInt8], codec: FrameCodec, stream: Int, ring: String) {
        hasServerFrames = true
        count(.ok, stream: stream, withTrailer: true, withoutTrailer: false)
        count(judge(frame, codec: codec, ring: ring), stream: stream, withTrailer: false, withoutTrailer: true)
    }

    /// The expected counts for one stream; nil for a stream that sent nothing through the model.
    package func expectation(stream: Int) -> ReceiverExpectation? {
        guard let counted = states[stream] else { return nil }
        return ReceiverExpectation(
            ratchetWindow: Self.window,
            states: Self.named(counted),
            statesWithoutServerTrailer: hasServerFrames ? Self.named(statesWithoutTrailer[stream] ?? [:]) : nil
        )
    }

    private func judge(_ frame: [UInt8], codec: FrameCodec, ring: String) -> FrameCryptionState {
        guard !frame.isEmpty else { return .ok }
        guard case .success(let sealed) = transform.parse(frame[...], codec: codec) else { return .decryptionFailed }
        return hasKey(ring: ring, index: Int(sealed.keyIndex)) ? .decryptionFailed : .missingKey
    }

    private func hasKey(ring: String, index: Int) -> Bool {
        keys.hasKey(participant: ring, index: index)
    }

    private func count(_ state: FrameCryptionState, stream: Int, withTrailer: Bool, withoutTrailer: Bool) {
        if withTrailer {
            states[stream, default: [:]][state, default: 0] += 1
        }
        if withoutTrailer {
            statesWithoutTrailer[stream, default: [:]][state, default: 0] += 1
        }
    }

    private static func named(_ counts: [FrameCryptionState: Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: counts.map { ($0.key.name, $0.value) })
    }
}

/// The states a native receiver (ratchet window 16) should report for one stream of a file encrypted
/// under a scenario, for `framecrypt encrypt --json` and the fixture manifest.
package struct ReceiverExpectation: Sendable, Encodable, Equatable {
    package let ratchetWindow: Int
    /// Frames per state when the receiver knows the room's server-injected-frame trailer (or none
    /// was injected).
    package let states: [String: Int]
    /// Frames per state when it does not; present only when the scenario injects server frames.
    package let statesWithoutServerTrailer: [String: Int]?
}
