import FrameCryptFormat

/// Puts a stream's packets, in sequence order, together into frames: a video frame is the run of
/// packets with one RTP timestamp, ending at the marker bit; an audio frame is one packet. A frame
/// is passed on only when whole: its first packet opens a frame, no packet inside is missing, its
/// last packet carries the marker. Anything else is reported as incomplete and left out.
struct FrameAssembler {
    let rules: any PayloadFormatRules
    let tracker: SequenceTracker
    let audio: Bool

    private struct Unwrapper {
        private var last: Int64?

        /// `timestamp` unwrapped to the value nearest the previous one.
        mutating func unwrap(_ timestamp: UInt32) -> Int64 {
            guard let last else {
                last = Int64(timestamp)
                return Int64(timestamp)
            }
            let value = last + Int64(Int32(bitPattern: timestamp &- UInt32(truncatingIfNeeded: last)))
            self.last = value
            return value
        }
    }

    func assemble(into stream: inout CaptureStream) {
        // Padding-only packets (bandwidth probes) hold sequence numbers but no frame bytes.
        let all = tracker.ordered
        let padding = Set(all.filter { $0.packet.payload.isEmpty }.map(\.sequence))
        stream.paddingPackets = padding.count
        let packets = all.filter { !$0.packet.payload.isEmpty }
        func follows(_ next: Int64, _ previous: Int64) -> Bool {
            next > previous && (previous + 1..<next).allSatisfy(padding.contains)
        }
        var timestamps = Unwrapper()
        var groupStart = 0
        var gapBefore = false
        for index in packets.indices {
            let next = index + 1
            // A frame ends at its marker or where the timestamp changes; a gap inside it is loss.
            let ends =
                next == packets.count || audio || packets[index].packet.marker
                || packets[next].packet.timestamp != packets[index].packet.timestamp
            guard ends else { continue }
            let before = stream.frames.count
            finish(packets, groupStart...index, follows: follows, timestamps: &timestamps, into: &stream)
            if gapBefore && stream.frames.count > before {
                stream.framesAfterLoss.append(before)
            }
            let lossInside = (groupStart..<index).contains { !follows(packets[$0 + 1].sequence, packets[$0].sequence) }
            gapBefore =
                (gapBefore && stream.frames.count == before) || lossInside
                || (next < packets.count && !follows(packets[next].sequence, packets[index].sequence))
            groupStart = next
        }
    }

    private func finish(
        _ packets: [(sequence: Int64, packet: RTPPacket)],
        _ range: ClosedRange<Int>,
        follows: (Int64, Int64) -> Bool,
        timestamps: inout Unwrapper,
        into stream: inout CaptureStream
    ) {
        let first = packets[range.lowerBound]
        let last = packets[range.upperBound]
        let timestamp = timestamps.unwrap(first.packet.timestamp)
        func incomplete(_ reason: String) {
            stream.incompleteFrames.append(
                IncompleteFrame(
                    rtpTimestamp: first.packet.timestamp,
                    firstSequence: Int(first.sequence & 0xFFFF),
                    lastSequence: Int(last.sequence & 0xFFFF),
                    after: stream.frames.count,
                    reason: reason
                )
            )
        }
        if !audio {
            let previousLost = range.lowerBound > 0 && !follows(first.sequence, packets[range.lowerBound - 1].sequence)
            // A lost packet before a run that H.26x cannot tell from a frame start (its first
            // packets carry no start flag) may have been the frame's first.
            if !rules.opensFrame(first.packet.payload) || (previousLost && rules is H26xPayload) {
                return incomplete("first-packet-lost")
            }
            if range.contains(where: {
                $0 > range.lowerBound && !follows(packets[$0].sequence, packets[$0 - 1].sequence)
            }) {
                return incomplete("packet-lost-inside")
            }
            if !last.packet.marker {
                let next = range.upperBound + 1
                guard next < packets.count else { return incomplete("capture-ends-inside") }
                if !follows(packets[next].sequence, last.sequence) {
                    return incomplete("last-packet-lost")
                }
            }
        }
        var parts = FrameParts()
        for index in range where !rules.add(packets[index].packet.payload, to: &parts) {
            return incomplete("malformed-payload")
        }
        let data = rules.finish(parts)
        guard !data.isEmpty else { return incomplete("malformed-payload") }
        if stream.size == nil {
            switch stream.codec {
            case .vp8: stream.size = Self.vp8Size(data)
            case .h264, .h265:
                stream.size = ParameterSets.size(in: data, codec: stream.codec)
                stream.parameterSets = ParameterSets.sets(in: data, codec: stream.codec)
            default: stream.size = parts.size
            }
        }
        stream.frames.append(
            CapturedFrame(
                rtpTimestamp: timestamp,
                arrival: tracker.arrivals[first.sequence] ?? 0,
                data: data,
                keyFrame: parts.keyFrame,
                firstSequence: Int(first.sequence & 0xFFFF),
                recovered: false
            )
        )
    }

    /// RED audio: each packet's primary block is a frame; a redundant block fills in a frame whose
    /// own packet was lost.
    func assembleRED(into stream: inout CaptureStream) {
        var timestamps = Unwrapper()
        var primaries: [Int64: CapturedFrame] = [:]
        var redundant: [Int64: CapturedFrame] = [:]
        for (sequence, packet) in tracker.ordered {
            guard let blocks = REDPayload.blocks(packet.payload), let primary = blocks.last else {
                stream.incompleteFrames.append(
                    IncompleteFrame(
                        rtpTimestamp: packet.timestamp,
                        firstSequence: Int(sequence & 0xFFFF),
                        lastSequence: Int(sequence & 0xFFFF),
                        after: primaries.count,
                        reason: "malformed-payload"
                    )
                )
                continue
            }
            let timestamp = timestamps.unwrap(packet.timestamp)
            let arrival = tracker.arrivals[sequence] ?? 0
            if !primary.bytes.isEmpty {
                primaries[timestamp] = CapturedFrame(
                    rtpTimestamp: timestamp,
                    arrival: arrival,
                    data: primary.bytes,
                    keyFrame: true,
                    firstSequence: Int(sequence & 0xFFFF),
                    recovered: false
                )
            }
            for block in blocks.dropLast() where !block.bytes.isEmpty {
                let at = timestamp - Int64(block.timestampOffset)
                redundant[at] =
                    redundant[at]
                    ?? CapturedFrame(
                        rtpTimestamp: at,
                        arrival: arrival,
                        data: block.bytes,
                        keyFrame: true,
                        firstSequence: Int(sequence & 0xFFFF),
                        recovered: true
                    )
            }
        }
        let first = primaries.keys.min() ?? 0
        for (timestamp, frame) in redundant where primaries[timestamp] == nil && timestamp >= first {
            primaries[timestamp] = frame
            stream.redundancyRecovered += 1
        }
        stream.frames = primaries.values.sorted { $0.rtpTimestamp < $1.rtpTimestamp }
        let sequences = tracker.ordered.map(\.sequence)
        let afterGaps = Set(zip(sequences, sequences.dropFirst()).filter { $1 - $0 > 1 }.map { Int($1 & 0xFFFF) })
        stream.framesAfterLoss = stream.frames.indices.filter {
            !stream.frames[$0].recovered && afterGaps.contains(stream.frames[$0].firstSequence)
        }
    }

    /// Width and height from a VP8 key frame's header, which a FrameCryptor leaves in clear
    /// (RFC 6386 §9.1: frame tag, start code `9d 01 2a`, two 14-bit sizes).
    static func vp8Size(_ frame: [UInt8]) -> (width: Int, height: Int)? {
        guard frame.count >= 10, frame[0] & 0x01 == 0, frame[3] == 0x9D, frame[4] == 0x01, frame[5] == 0x2A,
            let width = frame.littleEndian(at: 6, width: 2), let height = frame.littleEndian(at: 8, width: 2)
        else { return nil }
        return (Int(width & 0x3FFF), Int(height & 0x3FFF))
    }
}
