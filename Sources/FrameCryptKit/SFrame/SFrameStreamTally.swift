import FrameCryptCore
import FrameCryptFormat

/// The KIDs and counters one SFrame stream carried, for its report.
struct SFrameStreamTally {
    let suite: SFrameCipherSuite
    private var keyIDs: Set<UInt64> = []
    private var counters: ClosedRange<UInt64>?
    private var replayed = 0

    init(suite: SFrameCipherSuite) {
        self.suite = suite
    }

    /// Notes a frame's header, and whether the frame was refused as a replay.
    mutating func note(_ header: SFrameHeader, replayed wasReplayed: Bool = false) {
        keyIDs.insert(header.keyID)
        let low = min(counters?.lowerBound ?? header.counter, header.counter)
        counters = low...max(counters?.upperBound ?? header.counter, header.counter)
        if wasReplayed {
            replayed += 1
        }
    }

    var report: SFrameStreamReport {
        SFrameStreamReport(
            cipherSuite: suite.name,
            keyIDs: keyIDs.sorted(),
            firstCounter: counters?.lowerBound,
            lastCounter: counters?.upperBound,
            replayedFrames: replayed
        )
    }
}
