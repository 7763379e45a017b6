package import FrameCryptFormat

/// What a receiver should report for a file encrypted under a scenario, worked out from what each
/// sender did rather than by decrypting: the expected states that fixtures and their users check
/// a cryptor against.
///
/// Without a profile the receiver modelled is the native one (webrtc-framecryptor.md §8.1) with a
/// ratchet window of ``window``, holding the keys exactly as the key file states them: one key
/// ring per participant shared by their streams, frames taken in file order, a stored key per slot
/// that moves forward when a frame needed ratchet steps, and no change on a failure. With a
/// ``ReceiverProfile`` it is that SDK at its defaults: its ratchet reach, failure tolerance, codecs,
/// server-frame filter, 8-bit H.26x prefix, and the keys as it derives them. Frames that were not
/// encrypted as sent are judged by their bytes, as a receiver would: a frame that does not parse
/// fails, one whose key index has no key is missing a key.
package final class ReceiverModel {
    /// The ratchet window of the receiver modelled without a profile (every native SDK's default).
    static let window = 16

    private let keys: KeySet
    private let profile: ReceiverProfile?
    private let reach: Int
    private let keepsEdgeStep: Bool
    private let tolerance: ReceiverProfile.FailureTolerance
    /// Slots (`ring`, index) whose key the profile's SDK derives differently from the sender.
    private let disagreeing: Set<Slot>
    /// Ratchet steps of each stored key, by ring and key index.
    private var positions: [String: [Int: Int]] = [:]
    private var failures: [Slot: Int] = [:]
    private var invalid: Set<Slot> = []
    private var states: [Int: [FrameCryptionState: Int]] = [:]
    private var statesWithoutTrailer: [Int: [FrameCryptionState: Int]] = [:]
    private var hasServerFrames = false
    private var transform = FrameTransform()

    private struct Slot: Hashable {
        let ring: String
        let index: Int
    }

    /// - Parameter receiver: the SDK to predict for; nil for the native receiver holding the keys
    ///   as stated.
    /// - Throws: ``FrameCryptError`` when the profile's keys cannot be derived.
    package init(keys: KeySet, receiver: ReceiverProfile? = nil) throws(FrameCryptError) {
        self.keys = keys
        profile = receiver
        let search = receiver?.search(for: keys.mode) ?? .chain(window: Self.window, keepsEdgeStep: true)
        reach = search.reach
        if case .chain(_, let keeps) = search {
            keepsEdgeStep = keeps
        } else {
            keepsEdgeStep = true
        }
        tolerance = receiver?.tolerance(for: keys.mode) ?? .unlimited
        disagreeing = try receiver.map { profile throws(FrameCryptError) in try Self.disagreeing(keys, profile) } ?? []
    }

    /// The slots whose AES key `profile`'s SDK derives differently from the key file's.
    private static func disagreeing(_ keys: KeySet, _ profile: ReceiverProfile) throws(FrameCryptError) -> Set<Slot> {
        let cached = keys.cachingDerivations()
        let stated = try cached.makeProvider()
        let received = try cached.received(by: profile).makeProvider()
        var slots: Set<Slot> = []
        for ring in keys.mode == .shared ? [""] : keys.participants {
            for index in 0..<keys.ringSize {
                let mine = stated.keyRing(for: ring)?.fingerprint(at: index)
                if mine != received.keyRing(for: ring)?.fingerprint(at: index) {
                    slots.insert(Slot(ring: ring, index: index))
                }
            }
        }
        return slots
    }

    /// How one frame was sealed: the frame as sent, its codec and key-frame flag, and the clear bytes
    /// and framing the sender used.
    package struct Sealing {
        package let frame: [UInt8]
        package let codec: FrameCodec
        package let keyFrame: Bool
        package let clearBytes: Int
        package let framing: FrameCodec

        package init(frame: [UInt8], codec: FrameCodec, keyFrame: Bool, clearBytes: Int, framing: FrameCodec) {
            self.frame = frame
            self.codec = codec
            self.keyFrame = keyFrame
            self.clearBytes = clearBytes
            self.framing = framing
        }
    }

    /// A frame encrypted under `ring`'s key at `keyIndex`, ratcheted `steps` times by its sender.
    package func encrypted(stream: Int, ring: String, keyIndex: Int, steps: Int, sealing: Sealing) {
        let slot = Slot(ring: ring, index: keyIndex)
        let state: FrameCryptionState
        if !hasKey(ring: ring, index: keyIndex) {
            state = .missingKey
            countFailure(slot)
        } else if invalid.contains(slot) {
            state = .decryptionFailed
        } else if !opens(sealing, slot: slot) {
            state = .decryptionFailed
            countFailure(slot)
        } else {
            state = ratchet(slot, to: steps)
        }
        count(state, stream: stream, withTrailer: true, withoutTrailer: true)
    }

    /// ok or keyRatcheted when `steps` is within reach of the slot's stored key (moving it), else
    /// decryptionFailed.
    private func ratchet(_ slot: Slot, to steps: Int) -> FrameCryptionState {
        let stored = positions[slot.ring, default: [:]][slot.index, default: 0]
        if steps == stored {
            failures[slot] = nil
            return .ok
        }
        guard steps > stored && steps - stored <= reach else {
            countFailure(slot)
            return .decryptionFailed
        }
        if steps - stored < reach || keepsEdgeStep {
            positions[slot.ring, default: [:]][slot.index] = steps
        }
        failures[slot] = nil
        return .keyRatcheted
    }

    /// Whether the profile's SDK can open the frame at all: its codecs, its key derivation, and the
    /// clear bytes and framing it reads matching the sender's.
    private func opens(_ sealing: Sealing, slot: Slot) -> Bool {
        guard let profile else { return true }
        let keySlot = Slot(ring: keys.mode == .shared ? "" : slot.ring, index: slot.index)
        if !profile.supports(sealing.codec) || disagreeing.contains(keySlot) {
            return false
        }
        var frame = sealing.frame[...]
        if let packetTrailer = PacketTrailer.parse(frame) {
            guard profile.stripsPacketTrailer else { return false }
            frame = frame.dropLast(packetTrailer.length)
        }
        let reading = profile.reading(of: frame, codec: sealing.codec, keyFrame: sealing.keyFrame)
        return reading.clearBytes == sealing.clearBytes && reading.codec.isH26x == sealing.framing.isH26x
    }

    private func countFailure(_ slot: Slot) {
        guard case .perKeyIndex(let limit) = tolerance else { return }
        failures[slot, default: 0] += 1
        if failures[slot, default: 0] > limit {
            invalid.insert(slot)
        }
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
        let forwarded =
            profile?.serverFrames != .pinnedDigests
            || ServerInjectedFrames.pinnedPayloads.contains { frame.elementsEqual($0.bytes) }
        count(forwarded ? .ok : .decryptionFailed, stream: stream, withTrailer: true, withoutTrailer: false)
        count(judge(frame, codec: codec, ring: ring), stream: stream, withTrailer: false, withoutTrailer: true)
    }

    /// The expected counts for one stream; nil for a stream that sent nothing through the model.
    package func expectation(stream: Int) -> ReceiverExpectation? {
        guard let counted = states[stream] else { return nil }
        return ReceiverExpectation(
            receiver: profile?.name,
            ratchetWindow: reach,
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

/// The states a receiver should report for one stream of a file encrypted under a scenario, for
/// `framecrypt encrypt --json` and the fixture manifest: the native one (ratchet window 16), or the
/// SDK `--receiver` names.
package struct ReceiverExpectation: Sendable, Encodable, Equatable {
    /// The SDK predicted for; absent for the native receiver holding the keys as stated.
    package let receiver: ReceiverProfile.Name?
    /// How many ratchet steps ahead of its stored key that receiver opens a frame.
    package let ratchetWindow: Int
    /// Frames per state when the receiver knows the room's server-injected-frame trailer (or none
    /// was injected).
    package let states: [String: Int]
    /// Frames per state when it does not; present only when the scenario injects server frames.
    package let statesWithoutServerTrailer: [String: Int]?
}
