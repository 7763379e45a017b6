/// One SSRC's packets put in sequence-number order (RFC 3550 Appendix A.1's extended sequence
/// numbers, so a wrap from 65535 to 0 is no jump), with duplicates, late arrivals and gaps counted.
struct SequenceTracker {
    /// The extended sequence number of the first packet: 2^16 above zero, so that earlier packets
    /// arriving late still get non-negative numbers.
    private static let base: Int64 = 1 << 16
    private var highest: Int64?
    private var packets: [Int64: RTPPacket] = [:]
    private(set) var duplicates = 0
    private(set) var reordered = 0
    private(set) var arrivals: [Int64: Double] = [:]

    /// The extended sequence number of `sequenceNumber`: the one nearest the highest so far.
    private func extended(_ sequenceNumber: UInt16) -> Int64 {
        guard let highest else { return Self.base + Int64(sequenceNumber) }
        return highest + Int64(Int16(bitPattern: sequenceNumber &- UInt16(truncatingIfNeeded: highest)))
    }

    /// Whether a packet with `sequenceNumber` has been added.
    func contains(_ sequenceNumber: UInt16) -> Bool {
        packets[extended(sequenceNumber)] != nil
    }

    /// Adds `packet`, arrived at `time`; false when it is a duplicate (dropped). A retransmission
    /// (RTX) is late by nature and does not count as reordering.
    @discardableResult
    mutating func add(_ packet: RTPPacket, time: Double, retransmission: Bool = false) -> Bool {
        let extended = extended(packet.sequenceNumber)
        guard packets[extended] == nil else {
            duplicates += 1
            return false
        }
        if let highest, extended < highest, !retransmission {
            reordered += 1
        }
        highest = max(highest ?? extended, extended)
        packets[extended] = packet
        arrivals[extended] = time
        return true
    }

    /// The packets in sequence order with their extended sequence numbers.
    var ordered: [(sequence: Int64, packet: RTPPacket)] {
        packets.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The continuity summary: counts and the first lost ranges.
    var report: SequenceReport {
        let sequences = packets.keys.sorted()
        var lost = 0
        var ranges: [[Int]] = []
        for (previous, next) in zip(sequences, sequences.dropFirst()) where next - previous > 1 {
            lost += Int(next - previous - 1)
            if ranges.count < SequenceReport.listedRanges {
                ranges.append([Int((previous + 1) & 0xFFFF), Int((next - 1) & 0xFFFF)])
            }
        }
        return SequenceReport(
            packets: packets.count,
            firstSequence: sequences.first.map { Int($0 & 0xFFFF) },
            lastSequence: sequences.last.map { Int($0 & 0xFFFF) },
            lost: lost,
            duplicates: duplicates,
            reordered: reordered,
            lostRanges: ranges
        )
    }
}

/// A stream's packet continuity, for reports.
package struct SequenceReport: Sendable, Encodable, Equatable {
    /// Lost ranges listed at most.
    static let listedRanges = 64

    /// Distinct packets received.
    package let packets: Int
    package let firstSequence: Int?
    package let lastSequence: Int?
    /// Packets missing between the first and last received.
    package let lost: Int
    /// Packets received more than once (the copies were dropped).
    package let duplicates: Int
    /// Packets that arrived after a later one (put back in order).
    package let reordered: Int
    /// The first lost ranges, as `[first, last]` sequence numbers.
    package let lostRanges: [[Int]]
}
