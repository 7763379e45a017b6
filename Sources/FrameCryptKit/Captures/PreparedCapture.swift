import Foundation
package import FrameCryptCapture
package import FrameCryptCore
import FrameCryptMedia

/// A capture made ready for a media job: read, depacketized and written into a temporary
/// Matroska file that the job reads in its place. The temporary file goes when this does.
package final class PreparedCapture {
    /// The capture file the user named.
    package let path: String
    /// The temporary container holding its frames.
    package let container: String
    package let reading: CaptureReading
    /// The job's participants, with `--map SSRC=ID` turned into stream indices.
    package let participants: ParticipantAssignment
    private let directory: String

    /// Reads `path` when it is a capture; nil when it is not one (a media file).
    ///
    /// - Parameter participants: `--map` entries name SSRCs here, not stream indices.
    /// - Throws: ``FrameCryptError``: a malformed capture (65), options that do not fit it (64),
    ///   SRTP keys that open nothing (1), a temporary file that cannot be written (73).
    package static func prepare(
        _ path: String,
        selection: CaptureSelection,
        participants: ParticipantAssignment
    ) throws(FrameCryptError) -> PreparedCapture? {
        guard let format = CaptureFormat.detect(path: path) else { return nil }
        var selection = selection
        for (ssrc, participant) in participants.byStream {
            guard let value = UInt32(exactly: ssrc) else {
                throw FrameCryptError(
                    .invalidArgument,
                    "\(path): --map \(ssrc)=…: a capture's streams are named by SSRC (0 to 4294967295)"
                )
            }
            selection.participants[value] = participant
        }
        let reading: CaptureReading
        do {
            reading = try CaptureReading.read(path: path, format: format, selection: selection)
        } catch {
            throw FrameCryptError(error)
        }
        let streamOf = Dictionary(
            uniqueKeysWithValues: reading.streams.enumerated().map { (Int($0.element.ssrc), $0.offset) }
        )
        let assignment = ParticipantAssignment(
            defaultParticipant: participants.defaultParticipant,
            byStream: Dictionary(
                uniqueKeysWithValues: participants.byStream.compactMap { ssrc, who in
                    streamOf[ssrc].map { ($0, who) }
                }
            )
        )
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("framecrypt-capture-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        } catch {
            throw FrameCryptError(
                .outputFailure,
                "\(directory): cannot make a temporary folder for the capture's frames"
            )
        }
        let container = directory + "/capture.nut"
        do {
            try CaptureContainer.write(reading, to: container)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw FrameCryptError(
                .writeFailure,
                "\(path): cannot write the capture's frames to a temporary file: \(error)",
                cause: error
            )
        }
        return PreparedCapture(
            path: path,
            container: container,
            reading: reading,
            participants: assignment,
            directory: directory
        )
    }

    private init(
        path: String,
        container: String,
        reading: CaptureReading,
        participants: ParticipantAssignment,
        directory: String
    ) {
        self.path = path
        self.container = container
        self.reading = reading
        self.participants = participants
        self.directory = directory
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The report's capture section.
    package var report: CaptureReport {
        CaptureReport(reading)
    }

    /// `message` with the temporary container's path replaced by the capture's.
    func naming(_ error: FrameCryptError) -> FrameCryptError {
        error.replacingPath(container, with: path)
    }
}

extension FrameCryptError {
    /// The error a capture failure becomes: malformed captures exit 65, options that do not fit
    /// 64, SRTP keys that open nothing 1.
    package init(_ error: CaptureError) {
        switch error.kind {
        case .malformed: self.init(.malformedInput, error.description)
        case .invalidArgument: self.init(.invalidArgument, error.description)
        case .keyFailure: self.init(.keyFailure, error.description)
        }
    }
}
