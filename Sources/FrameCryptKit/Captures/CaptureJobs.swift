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

/// A request whose input may be an RTP capture.
protocol CaptureRequest {
    /// The file to read.
    var inputPath: String { get set }
    /// The participants the options give; `--map` names SSRCs for a capture.
    var participants: ParticipantAssignment { get set }
    /// How to read a capture.
    var capture: CaptureSelection { get }
}

extension PreparedCapture {
    /// When `request`'s input is a capture: runs `job` on a copy of the request that reads the
    /// capture's container with its participants; nil when the input is a media file.
    static func running<Request: CaptureRequest, Report: CaptureReporting>(
        _ request: Request,
        _ job: (Request) throws(FrameCryptError) -> Report
    ) throws(FrameCryptError) -> Report? {
        guard
            let capture = try prepare(request.inputPath, selection: request.capture, participants: request.participants)
        else { return nil }
        var inner = request
        inner.inputPath = capture.container
        inner.participants = capture.participants
        return try capture.run { () throws(FrameCryptError) in try job(inner) }
    }

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
                    message:
                        "stream \(stream.index): the send counter in the IVs jumps \(iv.sendCountGaps) times: the sender encrypted frames that never reached this capture (lost before it, or never forwarded)"
                )
            )
        }
        findings += added
    }
}

/// Receiver reports name no file: nothing to add.
extension [StreamReceiverReport]: CaptureReporting {
    mutating func describe(_ capture: PreparedCapture) {}
}

extension DecryptRequest: CaptureRequest {
    var inputPath: String {
        get { files.input }
        set { files.input = newValue }
    }
}

extension VerifyKeysRequest: CaptureRequest {
    var inputPath: String {
        get { input }
        set { input = newValue }
    }
}

extension DoctorRequest: CaptureRequest {
    var inputPath: String {
        get { input }
        set { input = newValue }
    }
}

extension ReceiverPassRequest: CaptureRequest {
    var inputPath: String {
        get { input }
        set { input = newValue }
    }
}

extension InspectRequest: CaptureRequest {
    var inputPath: String {
        get { input }
        set { input = newValue }
    }

    /// Inspection names no participants.
    var participants: ParticipantAssignment {
        get { ParticipantAssignment() }
        set {}
    }
}

extension FrameCryptError {
    /// This error with every mention of `old` (a temporary file) replaced by `new`.
    func replacingPath(_ old: String, with new: String) -> FrameCryptError {
        FrameCryptError(kind, message.replacingOccurrences(of: old, with: new), cause: cause, remedy: remedy)
    }
}
