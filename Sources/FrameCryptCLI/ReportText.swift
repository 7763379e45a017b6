import Foundation
import FrameCryptBatch
import FrameCryptCore
import FrameCryptKit

/// The human-readable summary of a finished job.
enum ReportText {
    static func summary(_ report: ProcessingReport) -> String {
        var text =
            "\(report.operation.pastParticiple) \(report.input) -> \(report.output) (\(report.format)): "
        text += "\(report.bytesIn) -> \(report.bytesOut) bytes in \(String(format: "%.2f", report.seconds)) s\n"
        if let capture = report.capture {
            text += CaptureText.lines(capture).map { "  " + $0 + "\n" }.joined()
        }
        if let receiver = report.receiver {
            text += "  as the \(receiver.rawValue) receiver would, at its defaults (docs/SDKS.md)\n"
        }
        for stream in report.streams {
            text += "  " + line(stream) + "\n"
        }
        return text
    }

    /// `encrypt: 50 jobs, 48 ok, 1 skipped, 1 failed in 12.30 s` (with the shard when there is one).
    static func batchSummary(_ report: BatchReport) -> String {
        let shard = report.shard.map { " (shard \($0) of \(report.listed))" } ?? ""
        return
            "\(report.operation): \(report.jobs) \(report.jobs == 1 ? "job" : "jobs")\(shard), \(report.succeeded) ok, \(report.skipped) skipped, "
            + "\(report.failed) failed in \(String(format: "%.2f", report.seconds)) s"
    }

    /// `120 frames, 1048576 -> 1050000 bytes, 0.42 s` for one finished job.
    static func jobFigures(_ report: BatchJobReport) -> String {
        var parts = ["\(report.frames) frames"]
        if report.bytesOut > 0 {
            parts.append("\(report.bytesIn) -> \(report.bytesOut) bytes")
        }
        if let findings = report.findings {
            parts.append("\(findings) findings")
        }
        if let keyStatus = report.keyStatus {
            parts.append("keys " + keyStatus.joined(separator: "/"))
        }
        parts.append(String(format: "%.2f s", report.seconds))
        return parts.joined(separator: ", ")
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
        if let sframe = stream.sframe {
            parts.append(sframeLine(sframe, keyIndex: stream.keyIndex))
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

    /// `sframe AES_128_GCM_SHA256_128, KID 0x1c2d00, CTR 0-44, key index 0`.
    private static func sframeLine(_ sframe: SFrameStreamReport, keyIndex: Int?) -> String {
        var text = "sframe \(sframe.cipherSuite)"
        if !sframe.keyIDs.isEmpty {
            let ids = sframe.keyIDs.map { "0x\(String($0, radix: 16))" }
            text += ", KID \(ids.joined(separator: " "))"
        }
        if let first = sframe.firstCounter, let last = sframe.lastCounter {
            text += first == last ? ", CTR \(first)" : ", CTR \(first)-\(last)"
        }
        if let keyIndex {
            text += ", key index \(keyIndex)"
        }
        if sframe.replayedFrames > 0 {
            text += ", \(sframe.replayedFrames) replayed"
        }
        return text
    }
}
