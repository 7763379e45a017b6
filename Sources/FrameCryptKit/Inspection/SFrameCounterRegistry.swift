import FrameCryptFormat

/// Every (key scope, KID, CTR) seen in a file: a repeated one is a replayed frame or, if its bytes
/// differ, a reused nonce; a KID whose counters skip values lost frames. Counters are kept as runs,
/// so an hour of frames under one KID costs a few ranges.
struct SFrameCounterRegistry {
    private struct Key: Hashable {
        let scope: String
        let keyID: UInt64
    }

    private struct Repeat {
        let stream: Int
        let frame: Int
        let keyID: UInt64
        let counter: UInt64
    }

    private var seen: [Key: CounterSet] = [:]
    /// The first stream that used each (scope, KID), for gap findings.
    private var owners: [Key: Int] = [:]
    private var repeats: [Repeat] = []

    /// Records one frame's header.
    mutating func record(scope: String, header: SFrameHeader, stream: Int, frame: Int) {
        let key = Key(scope: scope, keyID: header.keyID)
        owners[key] = owners[key] ?? stream
        if !seen[key, default: CounterSet()].insert(header.counter) {
            repeats.append(Repeat(stream: stream, frame: frame, keyID: header.keyID, counter: header.counter))
        }
    }

    /// One `counter-repeat` finding per stream, and (when every frame of the file was read, so that
    /// a skipped counter means a missing frame) one `counter-gap` finding per KID.
    func findings(complete: Bool) -> [Finding] {
        var findings: [Finding] = []
        for stream in Set(repeats.map(\.stream)).sorted() {
            let mine = repeats.filter { $0.stream == stream }
            let first = mine[0]
            findings.append(
                Finding(
                    code: .counterRepeat,
                    stream: stream,
                    frames: mine.map(\.frame),
                    message:
                        "KID \(first.keyID) CTR \(first.counter) and other counters appear again in \(Finding.counted(mine.count)): receivers refuse them as replays, and if the frames differ the sender reused a nonce"
                )
            )
        }
        guard complete else { return findings }
        for (key, counters) in seen.sorted(by: {
            ($0.value.runs.first?.lowerBound ?? 0, $0.key.keyID) < ($1.value.runs.first?.lowerBound ?? 0, $1.key.keyID)
        }) {
            let gaps = counters.gaps
            guard let first = gaps.first else { continue }
            let missing = gaps.reduce(UInt64(0)) { $0 &+ ($1.upperBound - $1.lowerBound + 1) }
            findings.append(
                Finding(
                    code: .counterGap,
                    stream: owners[key] ?? 0,
                    frames: [],
                    message:
                        "KID \(key.keyID) skips \(missing) counter\(missing == 1 ? "" : "s") in \(gaps.count) gap\(gaps.count == 1 ? "" : "s") (first: \(first.lowerBound)\(first.upperBound > first.lowerBound ? "-\(first.upperBound)" : "")): frames were dropped or cut out of the file"
                )
            )
        }
        return findings
    }
}
