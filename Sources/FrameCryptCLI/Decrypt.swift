import ArgumentParser
import FrameCryptBatch
import FrameCryptCapture
import FrameCryptCore
import FrameCryptKit

extension FrameCrypt {
    /// `framecrypt decrypt INPUT -o OUTPUT`.
    struct Decrypt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decrypt an encrypted media file frame by frame, as a receiver holding the keys would.",
            discussion: """
                Each stream's participant comes from --map, then --participant, then the stream's label. A \
                frame is tried with the stored key and then up to --ratchet-window ratchet steps ahead; a \
                success moves the stored key forward. Frames that do not decrypt stop the job (default), are \
                dropped or are kept encrypted (--on-failure), and are always counted. The source's framing \
                and codec parameters are restored. An RTP capture (pcap, pcapng, rtpdump, Janus .mjr; SRTP \
                with --srtp-key-file) is decrypted per SSRC into a container with timestamps from RTP; \
                incomplete frames are reported and left out, never counted as failures; --keep-encrypted \
                writes its frames as received, without keys (docs/CAPTURES.md). \(ExitStatusDocs.sentence(.decrypt)) \
                Batch: several inputs, a folder (--recursive for subfolders) or --manifest run one job per \
                file, --jobs at a time, into --output-dir; a rerun keeps the outputs that are complete, and \
                --shard I/N runs one part of the list (docs/BATCH.md). A batch exits 1 when any job failed.
                """
        )

        @OptionGroup(title: "Files")
        var job: JobOptions

        @OptionGroup(title: "Keys")
        var keys: KeyOptions

        @Option(help: ArgumentHelp("Ring slot for a key from the environment or stdin.", valueName: "n"))
        var keyIndex = 0

        @Option(
            help: ArgumentHelp(
                "Ratchet steps to try beyond the stored key (0 disables; default 16).",
                valueName: "n"
            )
        )
        var ratchetWindow: Int?

        @Option(
            help: ArgumentHelp(
                "Decrypt as this SDK's receiver would, at its defaults: native, js, swift, android, flutter, rust or videosdk (docs/SDKS.md).",
                valueName: "sdk"
            )
        )
        var receiver: ReceiverProfile.Name?

        @Option(
            help: ArgumentHelp(
                "The room's server-injected-frame trailer (hex); such frames pass if they are known blank frames.",
                valueName: "hex"
            )
        )
        var sifTrailer: String?

        @Option(help: "What to do with a frame that does not decrypt: fail, drop or keep (written still encrypted).")
        var onFailure: FailurePolicy = .fail

        @OptionGroup(title: "Captures (pcap, pcapng, rtpdump, Janus .mjr inputs; docs/CAPTURES.md)")
        var capture: CaptureOptions

        @Flag(help: "Captures: write the encrypted frames as a receiver got them, into Matroska or WebM, without keys.")
        var keepEncrypted = false

        func validate() throws {
            try keys.requireSource(unless: job.batch.manifest != nil || keepEncrypted)
            if case .capture(let format) = job.format {
                throw ValidationError(
                    "--format \(format.rawValue) writes RTP captures, which only encrypt does; decrypt writes containers."
                )
            }
            try ReceiverOption.validate(receiver: receiver, ratchetWindow: ratchetWindow)
            if let sifTrailer, ServerInjectedTrailer.bytes(hex: sifTrailer) == nil {
                throw ValidationError("--sif-trailer must be non-empty hex.")
            }
        }

        func run() throws {
            let ratchetWindow = ratchetWindow ?? FrameDecryptor.defaultRatchetWindow
            let receiver = receiver.map(ReceiverProfile.named)
            let trailer = sifTrailer.flatMap(ServerInjectedTrailer.bytes(hex:))
            let onFailure = onFailure
            let selection = try runReportingErrors { () throws(FrameCryptError) in try capture.selection() }
            if keepEncrypted {
                try job.performWithoutKeys(
                    operation: .decrypt,
                    settings: BatchSettings.lines(of: self),
                    participants: keys.assignment
                ) { (files, participants, progress) throws(FrameCryptError) in
                    try CaptureExtraction.run(
                        files: files,
                        selection: selection,
                        participants: participants,
                        progress: progress
                    )
                }
                return
            }
            try job.perform(
                operation: .decrypt,
                settings: BatchSettings.lines(of: self),
                keys: keys,
                keyIndex: keyIndex
            ) { (files, assignment, progress) throws(FrameCryptError) in
                var request = DecryptRequest(
                    files: files,
                    keys: assignment.keys,
                    participants: assignment.participants,
                    ratchetWindow: ratchetWindow,
                    serverInjectedTrailer: trailer,
                    onFailure: onFailure,
                    receiver: receiver
                )
                request.capture = selection
                return try MediaDecryption.run(request, progress: progress)
            }
        }
    }
}
