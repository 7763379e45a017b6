import Foundation
import FrameCryptCapture
import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// A report that names its input and can carry a capture's section.
protocol CaptureReporting {
    /// Names `capture`'s file as the input and adds what reading it found.
    mutating func describe(_ capture: PreparedCapture)
}

extension PreparedCapture {
    /// Runs `job` on the capture's container; its report and errors name the capture, not the
    /// temporary file.
    func run<Report: CaptureReporting>(_ job: () throws(FrameCryptError) -> Report) throws(FrameCryptError) -> Report {
        do {
            var report = try job()
            report.describe(self)
            return report
        } catch {
            throw naming(error)
        }
    }

    /// The capture file's size in bytes.
    var size: Int64 {
        FileStatus(path)?.size ?? 0
    }
}

extension ProcessingReport: CaptureReporting {
    mutating func describe(_ capture: PreparedCapture) {
        input = capture.path
        bytesIn = capture.size
        self.capture = capture.report
    }
}

extension KeyVerificationReport: CaptureReporting {
    mutating func describe(_ capture: PreparedCapture) {
        file = capture.path
        self.capture = capture.report
    }
}

extension DoctorReport: CaptureReporting {
    mutating func describe(_ capture: PreparedCapture) {
        file = capture.path
        self.capture = capture.report
    }
}

extension InspectionReport: CaptureReporting {
    /// Also turns the capture's findings into `inspect` findings, and adds one for each stream whose
    /// IVs' send counter jumps: frames the sender encrypted that never reached the capture.
    mutating func describe(_ capture: PreparedCapture) {
        file = capture.path
        let report = capture.report
        container = report.format
        self.capture = report
        var added: [Finding] = report.findings.compactMap { finding in
            guard let code = FindingCode(rawValue: finding.code) else { return nil }
            return Finding(code: code, stream: finding.stream ?? 0, frames: finding.frames, message: finding.message)
        }
        for stream in streams {
            guard let iv = stream.iv, iv.sendCountGaps > 0 else { continue }
            added.append(
                Finding(
                    code: .sendCountJump,
                    stream: stream.index,
                    frames: Array(iv.sendCountGapFrames.prefix(Finding.listedFrames)),
                    message: "stream \(stream.index): the send counter in the IVs jumps \(iv.sendCountGaps) times: the sender encrypted frames that never reached this capture (lost before it, or never forwarded)"
                )
            )
        }
        findings += added
    }
}

extension FrameCryptError {
    /// This error with every mention of `old` (a temporary file) replaced by `new`.
    func replacingPath(_ old: String, with new: String) -> FrameCryptError {
        FrameCryptError(kind, message.replacingOccurrences(of: old, with: new), cause: cause, remedy: remedy)
    }
}
