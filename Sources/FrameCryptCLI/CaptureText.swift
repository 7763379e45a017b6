import FrameCryptCapture
import FrameCryptKit

/// The lines a text report gives an RTP capture: its format, what was skipped, and each stream's
/// SSRC, endpoints and continuity.
enum CaptureText {
    static func lines(_ capture: CaptureReport) -> [String] {
        let skipped = capture.skippedPackets.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        var lines = [
            "RTP capture (\(capture.format))"
                + (capture.endToEndEncrypted == true ? ", recorded as end-to-end encrypted" : "")
                + (skipped.isEmpty ? "" : "; packets left out: " + skipped.joined(separator: ", "))
        ]
        for stream in capture.streams {
            let sequence = stream.sequence
            var parts = ["\(sequence.packets) packets", "\(stream.frames) frames"]
            let damage = [
                (sequence.lost, "lost"), (sequence.duplicates, "duplicated"), (sequence.reordered, "reordered"),
            ].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
            parts.append(damage.isEmpty ? "no loss" : damage.joined(separator: ", "))
            if stream.incompleteFrames > 0 {
                parts.append(
                    "\(stream.incompleteFrames) incomplete \(stream.incompleteFrames == 1 ? "frame" : "frames") left out"
                )
            }
            if stream.retransmissions > 0 {
                parts.append("\(stream.retransmissions) packets from retransmissions")
            }
            if stream.redundancyRecovered > 0 {
                parts.append("\(stream.redundancyRecovered) frames from RED redundancy")
            }
            let who = stream.participant.map { ", participant \($0)" } ?? ""
            lines.append(
                "  stream \(stream.index): SSRC \(stream.ssrc) (\(stream.codec), payload type \(stream.payloadType)\(who)) "
                    + "\(stream.source) -> \(stream.destination): " + parts.joined(separator: ", ")
            )
        }
        return lines
    }
}
