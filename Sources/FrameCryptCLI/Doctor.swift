import ArgumentParser
import FrameCryptCore
import FrameCryptKit

extension FrameCrypt {
    /// `framecrypt doctor FILE [key options]`.
    struct Doctor: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Find why an encrypted file's frames do or do not open with the keys you hold, and which SDKs would decrypt it.",
            discussion: """
                Samples each FrameCryptor stream (its first frames, then about one every half second) and \
                tries the keys as given; when they do not open every sampled frame it tries, in order: \
                server frames behind an unknown trailer, another participant's keys, a key at another ring \
                index, the other KDF, the key read as string instead of bytes (or the reverse), another \
                ratchet salt, the other AES key size, up to 64 ratchet steps, VP8's clear bytes on H.264 or \
                H.265, bytes appended after the trailer, and a clear header changed after encryption. Then \
                it plays every frame through the seven SDK receivers (docs/SDKS.md) under the reading that \
                fits, and says which would decrypt the file and why not. --probe-decode also decrypts and \
                decodes, to tell frames that authenticate but do not decode from frames that do not \
                authenticate. Keys are never printed; each is derived once. docs/DOCTOR.md lists the causes. \
                \(ExitStatusDocs.sentence(.doctor))
                """
        )

        @Argument(help: ArgumentHelp("The encrypted media file (never modified).", valueName: "file"))
        var input: String

        @OptionGroup(title: "Keys")
        var keys: KeyOptions

        @Option(help: ArgumentHelp("Ring slot for a key from the environment or stdin.", valueName: "n"))
        var keyIndex = 0

        @Option(
            help: ArgumentHelp(
                "The room's server-injected-frame trailer (hex), if you know it.",
                valueName: "hex"
            )
        )
        var sifTrailer: String?

        @OptionGroup(title: "Captures (pcap, pcapng, rtpdump, Janus .mjr inputs; docs/CAPTURES.md)")
        var capture: CaptureOptions

        @Flag(help: "Decrypt under the configuration found and decode, to see whether the frames decode.")
        var probeDecode = false

        @Flag(help: "Print the report as JSON on standard output.")
        var json = false

        @Flag(help: "Show FFmpeg's own warnings and errors.")
        var verbose = false

        func validate() throws {
            try keys.requireSource(unless: false)
            if let sifTrailer, ServerInjectedTrailer.bytes(hex: sifTrailer) == nil {
                throw ValidationError("--sif-trailer must be non-empty hex.")
            }
        }

        func run() throws {
            JobEnvironment.prepare(verbose: verbose)
            let display = ProgressDisplay(verb: "diagnosing", input: input, enabled: true)
            let report = try runReportingErrors { () throws(FrameCryptError) in
                defer { display.finish() }
                let assignment = try keys.assignment(keyIndex: keyIndex)
                var request = DoctorRequest(
                    input: input,
                    keys: assignment.keys,
                    participants: assignment.participants,
                    serverInjectedTrailer: sifTrailer.flatMap(ServerInjectedTrailer.bytes(hex:)),
                    probeDecode: probeDecode
                )
                request.capture = try capture.selection()
                return try FrameCryptKit.Doctor.run(request) { display.update($0) }
            }
            if json {
                try printJSON(report)
            } else {
                print(DoctorText.screen(report), terminator: "")
            }
            if !report.keysFit {
                throw ExitCode(ExitStatus.failure)
            }
        }
    }
}

/// The doctor's one screen.
enum DoctorText {
    static func screen(_ report: DoctorReport) -> String {
        var text = "\(report.file):\n"
        for stream in report.streams {
            var line = "stream \(stream.index) \(stream.kind) \(stream.codec)"
            if let participant = stream.participant {
                line += " (participant \(participant))"
            }
            text += line + ": \(stream.cause.rawValue): \(stream.summary)"
            text += " (\(stream.framesOpened) of \(stream.framesSampled) sampled frames open as given)\n"
            if let remedy = stream.remedy {
                text += "  fix: \(remedy)\n"
            }
            if let decodes = stream.decodes {
                text +=
                    "  decoding: \(decodes.verdict) (\(decodes.framesDecoded) frames decoded, \(decodes.decoderErrors) decoder errors)\n"
            }
            for note in stream.notes {
                text += "  note: \(note)\n"
            }
        }
        text += "SDK receivers at their defaults, assuming \(report.assumes):\n"
        for sdk in report.sdks {
            let name = sdk.receiver.rawValue + String(repeating: " ", count: max(0, 9 - sdk.receiver.rawValue.count))
            if sdk.decryptsAll {
                text += "  \(name) decrypts every frame\n"
            } else {
                let why = sdk.keyDifferences.isEmpty ? sdk.reason ?? "" : sdk.keyDifferences.joined(separator: "; ")
                text += "  \(name) fails from stream \(sdk.stream ?? 0) frame \(sdk.frame ?? 0): \(why)\n"
            }
        }
        text += report.keysFit ? "keys fit\n" : "keys do not fit as given\n"
        return text
    }
}
