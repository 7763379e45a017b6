/// A set of 64-bit counters kept as sorted, disjoint ranges, so that a run of consecutive counters
/// costs one range however long it is: how a receiver remembers the counters it has seen per key
/// to reject replays, and how inspection finds gaps and repeats.
public struct CounterSet: Sendable, Hashable {
    private var ranges: [ClosedRange<UInt64>] = []

    /// An empty set.
    public init() {}

    /// True when `counter` is in the set.
    public func contains(_ counter: UInt64) -> Bool {
        guard let index = lastRangeIndex(startingAtOrBefore: counter) else { return false }
        return ranges[index].contains(counter)
    }

    /// Adds `counter`.
    ///
    /// - Returns: false when it was already in the set.
    @discardableResult
    public mutating func insert(_ counter: UInt64) -> Bool {
        if let last = ranges.last, last.upperBound < UInt64.max, last.upperBound + 1 == counter {
            ranges[ranges.count - 1] = last.lowerBound...counter
            return true
        }
        let before = lastRangeIndex(startingAtOrBefore: counter)
        if let before, ranges[before].contains(counter) {
            return false
        }
        let next = before.map { $0 + 1 } ?? 0
        let joinsBefore = before.map { ranges[$0].upperBound + 1 == counter } ?? false
        let joinsNext = next < ranges.count && counter < UInt64.max && ranges[next].lowerBound == counter + 1
        switch (joinsBefore, joinsNext) {
        case (true, true):
            if let before {
                ranges[before] = ranges[before].lowerBound...ranges[next].upperBound
                ranges.remove(at: next)
            }
        case (true, false):
            if let before {
                ranges[before] = ranges[before].lowerBound...counter
            }
        case (false, true):
            ranges[next] = counter...ranges[next].upperBound
        case (false, false):
            ranges.insert(counter...counter, at: next)
        }
        return true
    }

    /// The counters held, as sorted disjoint ranges.
    public var runs: [ClosedRange<UInt64>] {
        ranges
    }

    /// The number of counters held (saturating at `UInt64.max`).
    public var count: UInt64 {
        ranges.reduce(0) { total, range in
            let (sum, overflow) = total.addingReportingOverflow(range.upperBound - range.lowerBound)
            return overflow || sum == .max ? .max : sum + 1
        }
    }

    /// The counters missing between the smallest and the largest held.
    public var gaps: [ClosedRange<UInt64>] {
        zip(ranges, ranges.dropFirst()).map { $0.upperBound + 1...$1.lowerBound - 1 }
    }

    private func lastRangeIndex(startingAtOrBefore counter: UInt64) -> Int? {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].lowerBound <= counter {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low == 0 ? nil : low - 1
    }
}
