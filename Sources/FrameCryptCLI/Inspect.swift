import ArgumentParser
import Foundation
import FrameCryptBatch
import FrameCryptCore
import FrameCryptKit

extension FrameCrypt {
    /// `framecrypt inspect FILE`.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tell, without keys, which frames of a file are encrypted, how, and what is wrong with them.",
            discussion: """
                Each frame is judged by its own bytes (trailer, IV structure, clear header), not by the \
                file's labels: a frame counts as encrypted when it ends in IV, 0x0C and a key index and \
                the IV's third word is its second minus a send count. Per stream: kind, codec, participant, \
                scheme, encrypted/clear/server-injected frames, key indices and where they change, the IV \
                layout (SSRC, RTP timestamps, send counts and gaps), the clear header bytes and the \
                overhead. Findings have stable codes: malformed-label (the label is ignored), nonce-reuse, mixed-clear-and-encrypted, \
                key-index-out-of-ring, truncated-frame, malformed-trailer, ssrc-collision, \
                native-h26x-prefix-wrap, iv-needs-escaping, clear-header-mismatch. Streams labelled sframe \
                (or every stream, with --scheme sframe) are read as SFrame (RFC 9605): each frame's header \
                gives its KID and counter; findings counter-repeat, counter-gap (only when every frame is \
                read), sframe-header-invalid and truncated-frame. An RTP capture (pcap, pcapng, rtpdump, \
                Janus .mjr) is read per SSRC (--sdp or --pt name the codecs), with findings packet-loss, \
                packet-reordering, duplicate-packets, incomplete-frames, ssrc-change, srtp-unauthenticated \
                and send-count-jump (docs/CAPTURES.md). See docs/SERVER-SIDE-RECORDING.md. \(ExitStatusDocs.sentence(.inspect)) Batch: several files, a folder or --manifest inspect \
                one file per job; with --output-dir each report is written as JSON (docs/BATCH.md), and the \
                batch exits 1 when a job failed.
                """
        )

        @Argument(
            help: ArgumentHelp(
                "The media file to inspect (never modified); several files or folders make a batch.",
                valueName: "file"
            )
        )
        var inputs: [String] = []

        @OptionGroup(title: "Batch")
        var batch: BatchOptions

        @Flag(help: "List every frame: index, pts, size, key flag, state, key index and IV (SFrame: KID and CTR).")
        var frames = false

        @Option(
            help: ArgumentHelp("Only these streams (comma-separated indices, e.g. 0,2).", valueName: "list"),
            transform: StreamList.parse
        )
        var streams: StreamList?

        @Option(
            help: ArgumentHelp(
                "Examine at most this many frames per stream (--probe-decode: decode this many, default 60).",
                valueName: "n"
            )
        )
        var maxFrames: Int?

        @Option(
            help: ArgumentHelp(
                "The room's server-injected-frame trailer (hex). Without it, known blank frames followed by any bytes count as server-injected.",
                valueName: "hex"
            )
        )
        var sifTrailer: String?

        @Option(
            help: ArgumentHelp(
                "Read unlabelled audio and video streams as this scheme (labelled streams follow their label): sframe parses SFrame headers.",
                valueName: "scheme"
            )
        )
        var scheme: EncryptionScheme?

        @Flag(help: "Also decode each audio and video stream with libavcodec, as a server-side recorder would.")
        var probeDecode = false

        @Option(
            help: ArgumentHelp(
                "With --probe-decode: the clear file (e.g. from framecrypt decrypt) to measure the pictures against (PSNR).",
                valueName: "file"
            )
        )
        var reference: String?

        @Option(
            help: ArgumentHelp(
                "With --probe-decode and --reference: write the first decoded encrypted picture next to the clear one as PNG.",
                valueName: "png"
            )
        )
        var snapshot: String?

        @Option(
            help: ArgumentHelp(
                "Also write the report as one self-contained HTML page: per-stream timelines of every frame, findings linked to their frames, and with keys each SDK receiver's outcome per frame.",
                valueName: "page.html"
            )
        )
        var html: String?

        @OptionGroup(title: "Captures (pcap, pcapng, rtpdump, Janus .mjr inputs; docs/CAPTURES.md)")
        var capture: CaptureOptions

        @OptionGroup(title: "Keys (optional: with --html, the SDK receivers' verdicts)")
        var keySources: KeySourceOptions

        @Flag(help: "Overwrite the snapshot or page if it exists (batch: redo every report, even complete ones).")
        var force = false

        @Flag(help: "Exit with status 1 when there are findings.")
        var check = false

        @Flag(help: "Print the report as JSON on standard output (with --frames, a \"frames\" array too).")
        var json = false

        @Flag(help: "Show FFmpeg's own warnings and errors.")
        var verbose = false

        func validate() throws {
            try batch.validateInputs(inputs)
            if batch.isBatch(inputs: inputs) && (frames || reference != nil || snapshot != nil || html != nil) {
                throw ValidationError("--frames, --reference, --snapshot and --html apply to one file, not a batch.")
            }
            if keySources.count > 0 && html == nil {
                throw ValidationError("Keys are read only for --html's receiver verdicts; inspect itself needs none.")
            }
            if let maxFrames, maxFrames < 1 { throw ValidationError("--max-frames must be 1 or more.") }
            if let sifTrailer, ServerInjectedTrailer.bytes(hex: sifTrailer) == nil {
                throw ValidationError("--sif-trailer must be non-empty hex.")
            }
            if (reference != nil || snapshot != nil) && !probeDecode {
                throw ValidationError("--reference and --snapshot need --probe-decode.")
            }
            if snapshot != nil && reference == nil {
                throw ValidationError("--snapshot needs --reference: the clear file supplies the decrypted picture.")
            }
        }

        func run() throws {
            JobEnvironment.prepare(verbose: verbose)
            var request = InspectRequest(
                input: inputs.first ?? "",
                streams: streams?.indices,
                maxFrames: maxFrames,
                serverInjectedTrailer: sifTrailer.flatMap(ServerInjectedTrailer.bytes(hex:)),
                probe: probeDecode
                    ? ProbeOptions(reference: reference, snapshot: snapshot, overwrite: force, maxFrames: maxFrames)
                    : nil,
                scheme: scheme
            )
            request.capture = try runReportingErrors { () throws(FrameCryptError) in try capture.selection() }
            guard batch.isBatch(inputs: inputs) else {
                try inspect(request)
                return
            }
            let shared = request
            let check = check
            try batch.run(
                BatchOptions.Run(
                    operation: .inspect,
                    defaultName: "{dir}/{name}.inspect.json",
                    outputExtension: nil,
                    requiresOutputs: false,
                    force: force,
                    quiet: false,
                    json: json,
                    settings: BatchSettings.lines(of: self)
                ),
                inputs: inputs
            ) { (job, progress) throws(FrameCryptError) in
                var request = shared
                request.input = job.input
                let report = try MediaInspection.run(request, progress: progress, frame: { _ in })
                try job.writeReport(report)
                return BatchJobOutcome(report, check: check)
            }
        }

        /// Inspects one file and prints its report (and writes the page, with --html).
        private func inspect(_ request: InspectRequest) throws {
            let output = InspectionOutput(json: json, listsFrames: frames)
            let display = ProgressDisplay(verb: JobOperation.inspect.verb, input: request.input, enabled: !frames)
            let page = try runReportingErrors { () throws(FrameCryptError) in
                try html.map { (path) throws(FrameCryptError) in try OutputFile(target: path, overwrite: force) }
            }
            var records: [FrameRecord] = []
            let listsFrames = frames
            let report = try runReportingErrors { () throws(FrameCryptError) in
                defer { display.finish() }
                do throws(FrameCryptError) {
                    return try MediaInspection.run(
                        request,
                        progress: { display.update($0) },
                        frame: { record in
                            if listsFrames {
                                output.frame(record)
                            }
                            if page != nil {
                                records.append(record)
                            }
                        }
                    )
                } catch {
                    page?.abandon()
                    throw error
                }
            }
            if let page {
                try runReportingErrors { () throws(FrameCryptError) in
                    try writePage(page, report: report, frames: records, input: request.input)
                }
            }
            try output.finish(report)
            if check && !report.findings.isEmpty {
                throw ExitCode(ExitStatus.failure)
            }
        }
    }
}

extension FrameCrypt.Inspect {
    /// Writes the HTML page; with keys, every frame is first played through the seven SDK receivers.
    private func writePage(_ page: OutputFile, report: InspectionReport, frames: [FrameRecord], input: String)
        throws(FrameCryptError)
    {
        do {
            var receivers: [StreamReceiverReport]?
            if let source = keySources.source {
                var request = ReceiverPassRequest(
                    input: input,
                    keys: try source.load(keySources.settings),
                    profiles: ReceiverProfile.Name.allCases.map(ReceiverProfile.named),
                    serverInjectedTrailer: sifTrailer.flatMap(ServerInjectedTrailer.bytes(hex:))
                )
                request.recordsFrames = true
                request.capture = try capture.selection()
                let played = try ReceiverPass.run(request)
                receivers = played.isEmpty ? nil : played
            }
            let html = try InspectionPage.html(
                report: report,
                frames: frames,
                receivers: receivers,
                generator: "framecrypt \(FrameCrypt.release)"
            )
            try page.write(Data(html.utf8))
            try page.commit()
        } catch {
            page.abandon()
            throw error
        }
    }
}

/// Stream indices given as `0,2`.
struct StreamList: CustomStringConvertible {
    let indices: Set<Int>

    /// The indices in order, as `0,2`.
    var description: String {
        indices.sorted().map(String.init).joined(separator: ",")
    }

    static func parse(_ text: String) throws -> StreamList {
        var indices: Set<Int> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let index = Int(part.trimmingCharacters(in: .whitespaces)), index >= 0 else {
                throw ValidationError("--streams takes stream indices separated by commas, e.g. 0,2")
            }
            indices.insert(index)
        }
        return StreamList(indices: indices)
    }
}
