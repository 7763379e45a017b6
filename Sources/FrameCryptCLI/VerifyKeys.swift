import ArgumentParser
import FrameCryptBatch
import FrameCryptCore
import FrameCryptKit

extension FrameCrypt {
    /// `framecrypt verify-keys FILE [key options]`.
    struct VerifyKeys: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check which of the given keys authenticate each stream's frames, without writing anything.",
            discussion: """
                For each audio and video stream, the participant's key ring (from --map, --participant or the \
                stream's label) is tried on a sample of every key index the stream uses (the first --frames \
                frames, then frames spread over the whole stream, so a sender that ratchets late is seen): the stored \
                key, then up to --ratchet-window ratchet steps ahead, as a receiver would. Only AES-GCM tags \
                are checked. Status per stream: ok, ratcheted (the sender's key is N steps ahead), \
                header-restored (the frames authenticate once the access-unit delimiters a tool removed after \
                encryption are put back), damaged-frames, header-altered (the key authenticates another stream \
                of the file but not these frames: their clear header was changed after encryption), wrong-key, \
                missing-key, not-encrypted. Keys are shown only as fingerprints: the first 8 hex digits of the \
                SHA-256 of the derived AES key. \(ExitStatusDocs.sentence(.verifyKeys)) Batch: several files, a folder or --manifest check one file per job (a manifest \
                line may name its own key file); with --output-dir each report is written as JSON \
                (docs/BATCH.md); the batch exits 1 unless the keys fit every file.
                """
        )

        @Argument(
            help: ArgumentHelp(
                "The encrypted media file (never modified); several files or folders make a batch.",
                valueName: "file"
            )
        )
        var inputs: [String] = []

        @OptionGroup(title: "Batch")
        var batch: BatchOptions

        @OptionGroup(title: "Keys")
        var keys: KeyOptions

        @OptionGroup(title: "Captures (pcap, pcapng, rtpdump, Janus .mjr inputs; docs/CAPTURES.md)")
        var capture: CaptureOptions

        @Option(help: ArgumentHelp("Ring slot for a key from the environment or stdin.", valueName: "n"))
        var keyIndex = 0

        @Option(
            name: .customLong("frames"),
            help: ArgumentHelp(
                "Frames checked first per key index of each stream; then about as many per doubling of its length.",
                valueName: "n"
            )
        )
        var framesPerKeyIndex = VerifyKeysRequest.defaultFramesPerKeyIndex

        @Flag(help: "Check every frame.")
        var all = false

        @Option(help: ArgumentHelp("Ratchet steps to try beyond each given key (default 16).", valueName: "n"))
        var ratchetWindow: Int?

        @Option(
            help: ArgumentHelp(
                "Also play every frame through this SDK's receiver at its defaults (repeatable): native, js, swift, android, flutter, rust or videosdk (docs/SDKS.md).",
                valueName: "sdk"
            )
        )
        var receiver: [ReceiverProfile.Name] = []

        @Option(
            help: ArgumentHelp(
                "The room's server-injected-frame trailer (hex), for --receiver.",
                valueName: "hex"
            )
        )
        var sifTrailer: String?

        @Flag(help: "Print the report as JSON on standard output.")
        var json = false

        @Flag(help: "Batch: redo every report, even complete ones.")
        var force = false

        @Flag(help: "Show FFmpeg's own warnings and errors.")
        var verbose = false

        func validate() throws {
            try batch.validateInputs(inputs)
            try keys.requireSource(unless: batch.manifest != nil)
            guard framesPerKeyIndex >= 1 else { throw ValidationError("--frames must be 1 or more.") }
            try ReceiverOption.validate(receiver: receiver.first, ratchetWindow: ratchetWindow)
            if let sifTrailer, ServerInjectedTrailer.bytes(hex: sifTrailer) == nil {
                throw ValidationError("--sif-trailer must be non-empty hex.")
            }
        }

        func run() throws {
            JobEnvironment.prepare(verbose: verbose)
            let keyIndex = keyIndex
            let framesPerKeyIndex = all ? nil : framesPerKeyIndex
            let ratchetWindow = ratchetWindow ?? FrameDecryptor.defaultRatchetWindow
            let receivers = receiver.map(ReceiverProfile.named)
            let trailer = sifTrailer.flatMap(ServerInjectedTrailer.bytes(hex:))
            let selection = try runReportingErrors { () throws(FrameCryptError) in try capture.selection() }
            let request = { @Sendable (input: String, assignment: JobAssignment) in
                var request = VerifyKeysRequest(
                    input: input,
                    keys: assignment.keys,
                    participants: assignment.participants,
                    framesPerKeyIndex: framesPerKeyIndex,
                    ratchetWindow: ratchetWindow
                )
                request.receivers = receivers
                request.serverInjectedTrailer = trailer
                request.capture = selection
                return request
            }
            guard batch.isBatch(inputs: inputs) else {
                let input = inputs.first ?? ""
                let single = try runReportingErrors { () throws(FrameCryptError) in
                    request(input, try keys.assignment(keyIndex: keyIndex))
                }
                try verify(single)
                return
            }
            let batchKeys = try runReportingErrors { () throws(FrameCryptError) in
                try keys.batchKeys(keyIndex: keyIndex)
            }
            let participants = keys.assignment
            try batch.run(
                BatchOptions.Run(
                    operation: .verifyKeys,
                    defaultName: "{dir}/{name}.verify-keys.json",
                    outputExtension: nil,
                    requiresOutputs: false,
                    force: force,
                    quiet: false,
                    json: json,
                    settings: BatchSettings.lines(of: self)
                ),
                inputs: inputs
            ) { (job, progress) throws(FrameCryptError) in
                let assignment = try batchKeys.assignment(for: job, participants: participants)
                let report = try KeyVerification.run(request(job.input, assignment), progress: progress)
                try job.writeReport(report)
                return BatchJobOutcome(report, input: job.input)
            }
        }

        /// Checks one file and prints its report.
        private func verify(_ request: VerifyKeysRequest) throws {
            let display = ProgressDisplay(verb: JobOperation.verifyKeys.verb, input: request.input, enabled: true)
            let report = try runReportingErrors { () throws(FrameCryptError) in
                defer { display.finish() }
                return try KeyVerification.run(request) { display.update($0) }
            }
            if json {
                try printJSON(report)
            } else {
                print(Self.text(report), terminator: "")
            }
            if !report.ok {
                throw ExitCode(ExitStatus.failure)
            }
        }

        /// The last line: whether the keys fit, and which asked-for receivers would still drop frames.
        private static func verdict(_ report: KeyVerificationReport) -> String {
            guard report.streams.allSatisfy(\.status.decrypts) else { return "keys do not decrypt every stream" }
            let failing = Set(
                (report.receivers ?? []).flatMap { $0.receivers.filter { !$0.decryptsAll }.map(\.receiver.rawValue) }
            )
            guard !failing.isEmpty else { return "keys ok" }
            return "keys ok, but \(failing.sorted().joined(separator: ", ")) would not deliver every frame"
        }

        private static func text(_ report: KeyVerificationReport) -> String {
            var text = ""
            for stream in report.streams {
                var line = "stream \(stream.index) \(stream.kind) \(stream.codec)"
                if let participant = stream.participant {
                    line += " (participant \(participant))"
                }
                line += ": \(stream.status.rawValue)"
                if let fingerprint = stream.keyFingerprint {
                    line += ", key \(fingerprint)"
                }
                if stream.framesChecked > 0 {
                    line += ", \(stream.framesChecked) frames checked, \(stream.framesFailed) failed"
                }
                text += line + " - \(stream.message)\n"
            }
            if let receivers = report.receivers {
                text += ReceiverText.lines(receivers)
            }
            text += verdict(report) + "\n"
            return text
        }
    }
}
