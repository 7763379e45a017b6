import Foundation
import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// How far a job has got, for a progress display.
package struct JobProgress: Sendable {
    /// Fraction of the input read, 0…1, when the input's size is known.
    package let fraction: Double?
    /// Packets processed so far.
    package let packets: Int
}

/// What planning gives a job: one handler per input stream, and warnings for its report.
struct JobPlan {
    var handlers: [any StreamHandler]
    var warnings: [String] = []
}

/// The steps every file job shares: open the input and choose the output's container (`init`),
/// let the caller plan one handler per stream, then pump: write a temporary output packet by
/// packet and rename it into place only when everything succeeded.
struct MediaJob: ~Copyable {
    let operation: JobOperation
    let files: FileJob
    /// Let FFmpeg's parsers read packets (clear input only).
    let parsesPackets: Bool
    /// Write a reproducible file (no random container ids).
    let bitExact: Bool
    /// The container the output is written in.
    let format: OutputFormat
    private var demuxer: Demuxer
    private let started = ContinuousClock.now

    /// Opens `files.input` and chooses the output's container.
    ///
    /// - Throws: ``FrameCryptError``: a missing (66) or unreadable input, one without streams or
    ///   with a media stream whose codec id names no codec (65), no container to infer (64), a
    ///   container that cannot hold the streams (69).
    init(operation: JobOperation, files: FileJob, parsesPackets: Bool, bitExact: Bool) throws(FrameCryptError) {
        self.operation = operation
        self.files = files
        self.parsesPackets = parsesPackets
        self.bitExact = bitExact
        let input = files.input
        let demuxer = try Self.openInput(input, parsesPackets: parsesPackets)
        let streams = demuxer.streams
        guard !streams.isEmpty else {
            throw FrameCryptError(.malformedInput, "\(input): holds no streams, so there is nothing to \(operation)")
        }
        if let unnamed = streams.first(where: { MediaEncryption.mediaKind(of: $0) != nil && !$0.namesCodec }) {
            throw FrameCryptError(
                .malformedInput,
                "\(input): stream \(unnamed.index) (\(unnamed.type.rawValue)) names no codec FFmpeg knows, so no container can hold it: the codec id is damaged or not a media codec"
            )
        }
        guard
            let format = files.format
                ?? OutputFormat.inferred(output: files.output, input: input, demuxerName: demuxer.formatName)
        else {
            throw FrameCryptError(
                .invalidArgument,
                "\(input): cannot tell which container to write for \(demuxer.formatName) input",
                remedy: .chooseFormat([])
            )
        }
        if let refusal = format.refusal(for: streams) {
            throw FrameCryptError(
                .unsupported,
                "\(files.output): \(format.rawValue) cannot hold these streams: \(refusal)",
                remedy: .chooseFormat(Self.holders(of: streams, instead: format).map(\.rawValue))
            )
        }
        self.format = format
        self.demuxer = demuxer
    }

    /// The input's streams, to plan handlers for.
    var streams: [MediaStream] {
        demuxer.streams
    }

    /// Writes the output through `plan`'s handlers (one per input stream) and renames it into
    /// place; `progress` is called as packets go by. On any failure nothing is left behind.
    consuming func pump(_ plan: JobPlan, progress: (JobProgress) -> Void) throws(FrameCryptError) -> ProcessingReport {
        let streams = demuxer.streams
        let inputFamily = ContainerFamily(demuxerName: demuxer.formatName)
        let derives = streams.map { Self.derivesDecodingTimestamps($0, inputFamily: inputFamily) }
        let found = try ConfigurationScan.scan(
            streams,
            input: input,
            reordered: Set(streams.indices.filter { derives[$0] })
        )
        let outputs = try outputSpecs(plan.handlers, derivingDecodingTimestamps: derives, found: found)
        let file = try OutputFile(target: output, overwrite: files.overwrite)
        let packets: Int
        do throws(FrameCryptError) {
            var muxer = try makeMuxer(path: file.temporary, sameFamily: format.family == inputFamily, outputs: outputs)
            packets = try transfer(into: &muxer, handlers: plan.handlers, derives: derives, progress: progress)
            do {
                try muxer.finish()
            } catch {
                throw failure(error, at: .write)
            }
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
        progress(JobProgress(fraction: 1, packets: packets))
        let elapsed = ContinuousClock.now - started
        return ProcessingReport(
            operation: operation,
            input: input,
            output: output,
            format: format.rawValue,
            streams: plan.handlers.map(\.report),
            warnings: plan.warnings,
            bytesIn: FileStatus(input)?.size ?? 0,
            bytesOut: FileStatus(output)?.size ?? 0,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        )
    }

    /// Moves every packet from the demuxer through the handlers (on the pipeline's thread) into
    /// `muxer`, in the input's order.
    ///
    /// - Returns: the packets read.
    private mutating func transfer(
        into muxer: inout Muxer,
        handlers: [any StreamHandler],
        derives: [Bool],
        progress: (JobProgress) -> Void
    ) throws(FrameCryptError) -> Int {
        let pipeline = try mapping(.setup) { () throws(FFmpegError) in try HandlerPipeline(handlers: handlers) }
        defer { pipeline.stop() }
        let payloads = PayloadPool()
        let options = format.muxerOptions(timeBases: handlers.map(\.output.timeBase))
        try mapping(.header) { () throws(FFmpegError) in try muxer.writeHeader(options: options) }
        var repairs = demuxer.streams.map(TimestampRepair.init)
        let framing = ContainerFraming(streams: demuxer.streams, demuxerName: demuxer.formatName, parsed: parsesPackets)
        var packets = 0
        var written = 0
        var reading = true
        while reading || pipeline.hasInFlight {
            if reading && !pipeline.isFull && !pipeline.oldestIsReady {
                let slot = pipeline.nextFree
                reading = try Self.read(&demuxer, into: &slot.packet, input: input)
                guard reading, handlers.indices.contains(slot.packet.streamIndex) else { continue }
                framing.unwrap(&slot.packet)
                repairs[slot.packet.streamIndex].repair(&slot.packet)
                if handlers[slot.packet.streamIndex].rewritesPayloads {
                    // Per packet, so no closure: `mapping` would cost an allocation each time.
                    do {
                        try slot.packet.reserveSpare(
                            capacity: Self.spareCapacity(payload: slot.packet.size),
                            from: payloads
                        )
                    } catch {
                        throw failure(error, at: .setup)
                    }
                }
                pipeline.submit()
                packets += 1
                if packets % 32 == 0 {
                    let fraction = demuxer.fileSize.map { Double(demuxer.bytePosition) / Double($0) }
                    progress(JobProgress(fraction: fraction, packets: packets))
                }
                continue
            }
            let (slot, keep) = try pipeline.takeOldest()
            guard keep else { continue }
            let index = slot.packet.streamIndex
            if derives[index] {
                slot.packet.dts = nil
            }
            do {
                try muxer.write(&slot.packet, toStream: index, from: demuxer.streams[index].timeBase)
            } catch {
                throw failure(error, at: .write)
            }
            written += 1
        }
        if written == 0 && packets > 0 {
            throw FrameCryptError(.keyFailure, "\(input): every frame was dropped, so there is nothing to write")
        }
        return packets
    }

    /// Room for a rewritten payload: the trailer or SFrame header and tag, longer NAL length fields,
    /// and emulation-prevention bytes far beyond what ciphertext needs. A payload that outgrows it
    /// still gets a buffer, allocated on the handler thread.
    static func spareCapacity(payload: Int) -> Int {
        payload + payload / 64 + 256
    }

    /// The most frames FFmpeg lets a stream reorder (`MAX_REORDER_DELAY`).
    static let maximumReorderDelay = 16

    /// True for H.264/H.265 read from Matroska or Ogg, which store no decoding timestamps: FFmpeg's
    /// guesses for frames out of presentation order (B-frames) are missing or out of order at the
    /// start, so the muxer derives them from the presentation timestamps instead. Presentation
    /// timestamps, which these containers do store, are untouched.
    static func derivesDecodingTimestamps(_ stream: MediaStream, inputFamily: ContainerFamily?) -> Bool {
        guard let inputFamily, !inputFamily.storesDecodingTimestamps, stream.type == .video else { return false }
        return FrameCodec(kind: .video, name: stream.codecName).isH26x
    }

    /// Opens a media file, telling a missing file from one that is not media.
    static func openInput(_ path: String, parsesPackets: Bool) throws(FrameCryptError) -> Demuxer {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FrameCryptError(.inputMissing, "\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw FrameCryptError(.malformedInput, "\(path): is a directory") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw FrameCryptError(.inputMissing, "\(path): cannot be read (permission denied)")
        }
        do {
            var demuxer = try Demuxer(path: path, parsesPackets: parsesPackets)
            StreamTags.attachFileLabels(to: &demuxer.streams, from: &demuxer.metadata)
            return demuxer
        } catch {
            if error.isNoSuchFile {
                throw FrameCryptError(.inputMissing, "\(path): no such file")
            }
            throw FrameCryptError(.malformedInput, "\(path): not a readable media file: \(error)", cause: error)
        }
    }

    /// The handlers' output streams, told to derive decoding timestamps where the input lacks them
    /// (with the reorder depth found, else the most FFmpeg allows), with the configuration records
    /// found for streams that have none (``ConfigurationScan``).
    private func outputSpecs(
        _ handlers: [any StreamHandler],
        derivingDecodingTimestamps derives: [Bool],
        found: [Int: ConfigurationScan.Found]
    ) throws(FrameCryptError) -> [OutputStreamSpec] {
        var outputs: [OutputStreamSpec] = []
        for (index, handler) in handlers.enumerated() {
            var output = handler.output
            if derives[index] {
                output.reorderDelay = found[index]?.reorderDepth ?? Self.maximumReorderDelay
            }
            if let record = found[index]?.record {
                output.parameters = try mapping(.setup) { () throws(FFmpegError) in
                    let parameters = try output.parameters.copy()
                    try parameters.setExtradata(record)
                    if let format = found[index]?.audioFormat, parameters.sampleRate == 0 {
                        parameters.setAudioFormat(sampleRate: format.sampleRate, channels: format.channels)
                    }
                    return parameters
                }
            }
            outputs.append(output)
        }
        return outputs
    }

    private func makeMuxer(path: String, sameFamily: Bool, outputs: [OutputStreamSpec]) throws(FrameCryptError)
        -> Muxer
    {
        let tags = demuxer.metadata + StreamTags.fileTags(forStreams: outputs.map(\.metadata), format: format)
        let chapters = demuxer.chapters
        return try mapping(.setup) { () throws(FFmpegError) in
            let muxer = try Muxer(
                path: path,
                formatName: format.muxerName,
                bitExact: bitExact,
                shiftsNegativeTimestamps: !sameFamily
            )
            try muxer.setMetadata(tags)
            try muxer.setChapters(chapters)
            for output in outputs {
                try muxer.addStream(output)
            }
            return muxer
        }
    }

    private var input: String {
        files.input
    }

    private var output: String {
        files.output
    }

    /// Reads the next packet; a read failure is malformed input that names the byte it stopped at.
    static func read(_ demuxer: inout Demuxer, into packet: inout Packet, input: String) throws(FrameCryptError)
        -> Bool
    {
        do {
            return try demuxer.read(into: &packet)
        } catch {
            throw FrameCryptError(
                .malformedInput,
                "\(input): corrupt or truncated media at byte \(demuxer.bytePosition): \(error)",
                cause: error
            )
        }
    }

    /// Where in the job an FFmpeg call failed, which decides what its failure means.
    private enum Stage {
        /// Preparing the output: its codec parameters, muxer, buffers and threads.
        case setup
        /// Writing the output's header, where a container refuses streams it cannot hold.
        case header
        /// Writing packets and the trailer.
        case write
    }

    /// Runs FFmpeg calls of `stage`, turning their failure into the job's error (``failure(_:at:)``).
    private func mapping<Value: ~Copyable>(_ stage: Stage, _ body: () throws(FFmpegError) -> Value)
        throws(FrameCryptError) -> Value
    {
        do {
            return try body()
        } catch {
            throw failure(error, at: stage)
        }
    }

    /// What an FFmpeg failure at `stage` means for the job: the one place FFmpeg errors get their
    /// meaning. A full disk is a write failure (74) wherever it happens, as is any failure while
    /// writing packets; a refused path is an output failure (73); a header the container refuses is
    /// unsupported (69), with advice on which container can hold the streams.
    private func failure(_ error: FFmpegError, at stage: Stage) -> FrameCryptError {
        let written = error.isNoSpace || (stage != .setup && error.isWriteFailure)
        if stage == .write || written {
            return FrameCryptError(.writeFailure, "\(output): cannot be written: \(error)", cause: error)
        }
        if stage == .setup || error.isPermissionDenied || error.isBadPath {
            return FrameCryptError(.outputFailure, "\(output): cannot be written: \(error)", cause: error)
        }
        let streams = demuxer.streams
        let codecs = streams.map(\.codecName).joined(separator: ", ")
        return FrameCryptError(
            .unsupported,
            "\(output): \(format.rawValue) cannot hold these streams (\(codecs)): \(error)",
            cause: error,
            remedy: .chooseFormat(Self.holders(of: streams, instead: format).map(\.rawValue))
        )
    }

    /// The formats that can hold `streams` instead of `format`, best first.
    static func holders(of streams: [MediaStream], instead format: OutputFormat) -> [OutputFormat] {
        OutputFormat.suggestionOrder.filter {
            $0 != format && $0.refusal(for: streams) == nil
                && Muxer.canStore(streams.map(\.parameters), formatName: $0.muxerName)
        }
    }
}
