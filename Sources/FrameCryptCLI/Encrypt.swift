import ArgumentParser
import FrameCryptBatch
import FrameCryptCapture
import FrameCryptCore
import FrameCryptKit

extension FrameCrypt {
    /// `framecrypt encrypt INPUT -o OUTPUT`.
    struct Encrypt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encrypt every audio and video frame of a media file as a live WebRTC sender would.",
            discussion: """
                Each audio and video stream is treated as one sender (its own SSRC and RTP timestamps): \
                frames are encrypted with AES-GCM under the participant's key at --key-index, codec header \
                bytes left clear, IV and key index appended; with --scheme sframe each frame is instead a \
                whole RFC 9605 SFrame ciphertext, one KID per participant or stream and key index, under \
                counters that never repeat (docs/FORMAT.md). Other streams are copied. Each encrypted stream \
                is labelled with its scheme, participant and key parameters (never a key). The output is \
                written beside the target and renamed into place only on success; a device or named pipe \
                (/dev/null, a FIFO) is written in place and never replaced. \(ExitStatusDocs.sentence(.encrypt)) \
                Batch: several inputs, a folder (--recursive for subfolders) or --manifest run one job per \
                file, --jobs at a time, into --output-dir; a rerun keeps the outputs that are complete, and \
                --shard I/N runs one part of the list (docs/BATCH.md). A batch exits 1 when any job failed.
                """
        )

        @OptionGroup(title: "Files")
        var job: JobOptions

        @OptionGroup(title: "Keys")
        var keys: KeyOptions

        @Option(
            help: ArgumentHelp("The sender's key index, written into every frame (0 to ring size - 1).", valueName: "n")
        )
        var keyIndex = 0

        @Option(
            help: ArgumentHelp(
                "Make SSRCs, RTP offsets and container ids reproducible. For test fixtures only: each run with the same seed and key repeats the same IVs, so it prints a warning.",
                valueName: "n"
            )
        )
        var seed: UInt64?

        @Option(
            help: ArgumentHelp(
                "SFrame: the first counter of each key and KID, to continue the counters of an earlier file under the same key.",
                valueName: "n"
            )
        )
        var counterStart: UInt64 = 0

        @Option(
            help: ArgumentHelp(
                "Play a session over time: key rotations, ratchets, a late key, server-injected frames, JS-style send counters, damaged frames (docs/SCENARIOS.md).",
                valueName: "file.json"
            )
        )
        var scenario: String?

        @Option(
            help: ArgumentHelp(
                "Predict the scenario's states for this SDK's receiver at its defaults instead of the native one holding the keys as stated: native, js, swift, android, flutter, rust or videosdk (docs/SDKS.md).",
                valueName: "sdk"
            )
        )
        var receiver: ReceiverProfile.Name?

        @Flag(help: "Send a stream whose participant has no key in clear, as SDKs do by default.")
        var sendClearWhenKeyMissing = false

        @Flag(help: "Drop the frames of a stream whose participant has no key (discardFrameWhenCryptorNotReady).")
        var discardFrameWhenCryptorNotReady = false

        @Flag(help: "Refuse codecs that have no FrameCryptor rule instead of encrypting them under the generic rule.")
        var strict = false

        @Option(
            help: ArgumentHelp(
                "Whose clear-prefix count to reproduce: profile (the codec rule, as receivers derive it), native (LiveKit's native sender, whose 8-bit count wraps on H.264/H.265 prefixes of 256 bytes or more, so rule-following receivers fail on those frames; docs/INTEROP.md) or codecless (a JS sender that could not tell the codec, as Safari's: VP8's 10/3 clear bytes on every video frame, no emulation prevention; docs/SDKS.md).",
                valueName: "sender"
            )
        )
        var sender = SenderFlavor.profile

        @Option(
            help: ArgumentHelp(
                "RTP capture output: also write an SDP naming each stream's payload type and SSRC, for reading it back with --sdp.",
                valueName: "file.sdp"
            )
        )
        var sdpOutput: String?

        @Option(
            help: ArgumentHelp(
                "RTP capture output: protect the packets with SRTP under the master keys in this JSON file (docs/CAPTURES.md).",
                valueName: "file"
            )
        )
        var srtpKeyFile: String?

        @Flag(
            help:
                "Append LiveKit's packet trailer to every video frame, after the E2EE trailer and outside the encryption: frame id = frame number + 1, user timestamp = presentation time in microseconds."
        )
        var frameMetadata = false

        func validate() throws {
            try keys.requireSource(unless: job.batch.manifest != nil)
            if job.isBatch && seed != nil {
                throw ValidationError(
                    "--seed would give every file of a batch the same SSRCs and IVs; it is for single fixture files."
                )
            }
            if keys.scheme == .sframe && (sender != .profile || frameMetadata) {
                throw ValidationError(
                    "--sender and --frame-metadata apply to the webrtc-framecryptor scheme, not sframe."
                )
            }
            let writesCapture = OutputTarget.capture(job.format, output: job.output ?? "") != nil
            if (sdpOutput != nil || srtpKeyFile != nil)
                && !(writesCapture
                    || (job.isBatch && job.format.map { OutputTarget.capture($0, output: "") != nil } == true))
            {
                throw ValidationError(
                    "--sdp-output and --srtp-key-file apply to RTP capture output (--format pcap or rtpdump, or an output named .pcap or .rtpdump)."
                )
            }
            if sdpOutput != nil && job.isBatch {
                throw ValidationError("--sdp-output names one file; it applies to one input, not a batch.")
            }
            if receiver != nil && scenario == nil {
                throw ValidationError("--receiver names whose states a scenario predicts; give --scenario too.")
            }
            if sendClearWhenKeyMissing && discardFrameWhenCryptorNotReady {
                throw ValidationError(
                    "Use only one of --send-clear-when-key-missing and --discard-frame-when-cryptor-not-ready."
                )
            }
        }

        func run() throws {
            if seed != nil {
                // Always shown, -q or not: a seeded sender repeats its IVs on every run with the same seed.
                printError(
                    "warning: --seed is for test fixtures only: every run with this seed and key repeats the same IVs (AES-GCM nonces)"
                )
            }
            let keyIndex = keyIndex
            let plan = try runReportingErrors { () throws(FrameCryptError) in
                try scenario.map { (path) throws(FrameCryptError) in try Scenario.load(path: path) }
            }
            let seed = seed
            let missingKey: MissingKeyPolicy =
                sendClearWhenKeyMissing ? .sendClear : discardFrameWhenCryptorNotReady ? .discard : .fail
            let strict = strict
            let counterStart = counterStart
            let sender = sender
            let frameMetadata = frameMetadata
            let receiver = receiver.map(ReceiverProfile.named)
            let target = job.format
            let sdpOutput = sdpOutput
            let srtp = try runReportingErrors { () throws(FrameCryptError) in
                do throws(CaptureError) {
                    return try srtpKeyFile.map { (path) throws(CaptureError) in try SRTPKeys.read(path: path) }
                } catch {
                    throw FrameCryptError(error)
                }
            }
            try job.perform(
                operation: .encrypt,
                settings: BatchSettings.lines(of: self),
                keys: keys,
                keyIndex: keyIndex
            ) { (files, assignment, progress) throws(FrameCryptError) in
                var request = EncryptRequest(
                    files: files,
                    keys: assignment.keys,
                    participants: assignment.participants,
                    keyIndex: keyIndex,
                    seed: seed,
                    missingKey: missingKey,
                    strict: strict,
                    counterStart: counterStart,
                    counterSlot: assignment.counterSlot,
                    scenario: plan,
                    sender: sender,
                    frameMetadata: frameMetadata
                )
                request.receiver = receiver
                if let capture = OutputTarget.capture(target, output: files.output) {
                    request.capture = CaptureOutput(format: capture, sdp: sdpOutput, srtp: srtp)
                }
                return try MediaEncryption.run(request, progress: progress)
            }
        }
    }
}
