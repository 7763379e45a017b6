package import FrameCryptCapture
package import FrameCryptCore
import FrameCryptMedia

/// `decrypt --keep-encrypted`: a capture's frames written, still encrypted, into Matroska or WebM
/// as a receiver got them, to decrypt later like any file.
package enum CaptureExtraction {
    /// - Throws: ``FrameCryptError``: an input that is not a capture or an output format other than
    ///   Matroska or WebM (64), and what ``PreparedCapture`` and the file job throw.
    package static func run(
        files: FileJob,
        selection: CaptureSelection,
        participants: ParticipantAssignment,
        progress: (JobProgress) -> Void
    ) throws(FrameCryptError) -> ProcessingReport {
        guard
            let capture = try PreparedCapture.prepare(files.input, selection: selection, participants: participants)
        else {
            throw FrameCryptError(
                .invalidArgument,
                "\(files.input): --keep-encrypted reads RTP captures (pcap, pcapng, rtpdump, Janus .mjr); this is not one"
            )
        }
        let format = files.format ?? OutputFormat.named(byExtensionOf: files.output) ?? .mkv
        guard format.family == .matroska else {
            throw FrameCryptError(
                .invalidArgument,
                "\(files.output): --keep-encrypted writes Matroska or WebM (.mkv, .webm), which hold each frame exactly as it arrived, not \(format.rawValue)"
            )
        }
        return try capture.run { () throws(FrameCryptError) in
            let job = try MediaJob(
                operation: .decrypt,
                files: FileJob(
                    input: capture.container,
                    output: files.output,
                    format: format,
                    overwrite: files.overwrite
                ),
                parsesPackets: false,
                bitExact: true
            )
            let handlers: [any StreamHandler] = job.streams.map { stream in
                var output = OutputStreamSpec(copying: stream)
                output.metadata = []
                return CopyingStream(
                    output: output,
                    description: StreamDescription(
                        index: stream.index,
                        type: stream.type,
                        codec: stream.codecName,
                        participant: capture.participants.participant(forStream: stream.index)
                    ),
                    action: .copied,
                    encrypting: false
                )
            }
            return try job.pump(JobPlan(handlers: handlers), progress: progress)
        }
    }
}
