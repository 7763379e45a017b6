import Foundation
import FrameCryptKit

/// The human-readable summary of a finished job.
enum ReportText {
    static func summary(_ report: ProcessingReport) -> String {
        let past = report.operation == "encrypt" ? "encrypted" : "decrypted"
        var text = "\(past) \(report.input) -> \(report.output) (\(report.format.rawValue)): "
        text += "\(report.bytesIn) -> \(report.bytesOut) bytes in \(String(format: "%.2f", report.seconds)) s\n"
        for stream in report.streams {
            text += "  " + line(stream) + "\n"
        }
        return text
    }

    private static func line(_ stream: StreamReport) -> String {
        var parts = ["stream \(stream.index) \(stream.type) \(stream.codec)"]
        if let participant = stream.participant {
            parts.append("participant \(participant)")
        }
        var outcome = "\(stream.action.rawValue) \(stream.frames) frames"
        if !stream.states.isEmpty {
            let states = stream.states.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            outcome += " (\(states.joined(separator: ", ")))"
        }
        parts.append(outcome)
        if let ssrc = stream.ssrc, let keyIndex = stream.keyIndex {
            parts.append("ssrc 0x\(String(ssrc, radix: 16)), key index \(keyIndex)")
        }
        if stream.maxRatchetSteps > 0 {
            parts.append("ratcheted up to \(stream.maxRatchetSteps) steps")
        }
        if stream.droppedFrames > 0 {
            parts.append("\(stream.droppedFrames) dropped")
        }
        if stream.keptEncryptedFrames > 0 {
            parts.append("\(stream.keptEncryptedFrames) kept encrypted")
        }
        if stream.serverInjectedFrames > 0 {
            parts.append("\(stream.serverInjectedFrames) server-injected")
        }
        return parts.joined(separator: ", ")
    }
}
