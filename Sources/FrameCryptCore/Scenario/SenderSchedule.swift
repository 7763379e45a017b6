package import FrameCryptFormat

/// One sender's view of a ``Scenario``: for a frame at a given time, which key index it uses, how
/// far that key has been ratcheted, whether the key has arrived, and whether the frame is damaged.
package struct SenderSchedule {
    /// The key index before any rotation (`--key-index`).
    let baseKeyIndex: Int
    /// Sorted by time.
    let rotations: [Scenario.Rotation]
    /// Sorted by time.
    let ratchets: [Scenario.Ratchet]
    /// When the sender's key arrives; nil when it is there from the start.
    let keyArrival: Double?
    /// Damage by frame number.
    package let corruptions: [Int: FrameCorruption]

    /// The key index in use at `time`.
    package func keyIndex(at time: Double) -> Int {
        rotations.last { $0.at <= time }?.keyIndex ?? baseKeyIndex
    }

    /// How many times the key at `keyIndex(at: time)` has been ratcheted by `time`: ratchets apply
    /// to the key index in use when they happen.
    package func ratchetSteps(at time: Double) -> Int {
        let index = keyIndex(at: time)
        return ratchets.filter { $0.at <= time && keyIndex(at: $0.at) == index }.reduce(0) { $0 + $1.steps }
    }

    /// True once the sender's key has arrived.
    package func hasKey(at time: Double) -> Bool {
        keyArrival.map { time >= $0 } ?? true
    }

    /// Every key index the sender uses at some point.
    package var keyIndices: Set<Int> {
        Set([baseKeyIndex] + rotations.map(\.keyIndex))
    }
}

/// When one stream's frames are replaced by the server's blank frame: the pending times in order.
package struct InjectionSchedule {
    /// The blank frame plus the room's trailer, in frame form.
    package let frame: [UInt8]
    private var pending: ArraySlice<Double>

    package init(frame: [UInt8], times: [Double]) {
        self.frame = frame
        pending = times[...]
    }

    /// True when the frame at `time` is to be replaced (each time replaces one frame).
    package mutating func replaces(at time: Double) -> Bool {
        guard let next = pending.first, time >= next else { return false }
        pending.removeFirst()
        return true
    }
}
