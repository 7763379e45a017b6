import Foundation
import FrameCryptFormat
import FrameCryptMedia

/// How far a job has got, for a progress display.
public struct JobProgress: Sendable {
    /// Fraction of the input read, 0…1, when the input's size is known.
    public let fraction: Double?
    /// Packets processed so far.
    public let packets: Int
}

/// The loop every file job shares: open the input, plan one handler per stream, write a temporary
/// output packet by packet, and rename it into place only when everything succeeded.
struct MediaJob {
    let operation: String
    let files: FileJob
    /// Let FFmpeg's parsers read packets (clear input only).
    let parsesPackets: Bool
    /// Write a reproducible file (no random container ids).
    let bitExact: Bool

    /// Runs the job; `plan` turns the input's streams into handlers, `progress` is called as packets go by.
    func run(
        plan: ([MediaStream], OutputFormat) throws(FrameCryptError) -> (
            handlers: [any StreamHandler], warnings: [String]
        ),
        progress: (JobProgress) -> Void
    ) throws(FrameCryptError) -> ProcessingReport {
        let started = ContinuousClock.now
        var demuxer = try Self.openInput(input, parsesPackets: parsesPackets)
        guard !demuxer.streams.isEmpty else {
            throw FrameCryptError(.malformedInput, "\(input): holds no streams, so there is nothing to \(operation)")
        }
        if let unnamed = demuxer.streams.first(where: { MediaEncryption.mediaKind(of: $0) != nil && !$0.namesCodec }) {
            throw FrameCryptError(
                .malformedInput,
                "\(input): stream \(unnamed.index) (\(unnamed.type.rawValue)) names no codec FFmpeg knows, so no container can hold it: the codec id is damaged or not a media codec"
            )
        }
        guard
            let format = files.format
                ?? OutputFormat.inferred(output: output, input: input, demuxerName: demuxer.formatName)
        else {
            throw FrameCryptError(
                .invalidArgument,
                "\(input): cannot tell which container to write for \(demuxer.formatName) input; use --format"
            )
        }
        if let refusal = format.refusal(for: demuxer.streams) {
            throw FrameCryptError(
                .unsupported,
                "\(output): \(format.rawValue) cannot hold these streams: \(refusal); \(Self.advice(for: demuxer.streams, instead: format))"
            )
        }
        let (handlers, warnings) = try plan(demuxer.streams, format)
        let inputFamily = ContainerFamily(demuxerName: demuxer.formatName)
        let derivesDecodingTimestamps = demuxer.streams.map {
            Self.derivesDecodingTimestamps($0, inputFamily: inputFamily)
        }
        let found = try ConfigurationScan.scan(
            demuxer.streams,
            input: input,
            reordered: Set(demuxer.streams.indices.filter { derivesDecodingTimestamps[$0] })
        )
        let file = try OutputFile(target: output, overwrite: files.overwrite)
        var packets = 0
        var written = 0
        do throws(FrameCryptError) {
            var muxer = try makeMuxer(
                path: file.temporary,
                format: format,
                sameFamily: format.family == inputFamily,
                metadata: demuxer.metadata,
                chapters: demuxer.chapters,
                outputs: try outputSpecs(
                    handlers,
                    derivingDecodingTimestamps: derivesDecodingTimestamps,
                    found: found
                )
            )
            let pipeline: HandlerPipeline
            do {
                pipeline = try HandlerPipeline(handlers: handlers)
            } catch {
                throw outputFailure(error)
            }
            defer { pipeline.stop() }
            let payloads = PayloadPool()
            do {
                try muxer.writeHeader(options: format.muxerOptions(timeBases: handlers.map(\.output.timeBase)))
            } catch {
                throw headerFailure(error, format: format, streams: demuxer.streams)
            }
            var repairs = demuxer.streams.map(TimestampRepair.init)
            let framing = ContainerFraming(
                streams: demuxer.streams,
                demuxerName: demuxer.formatName,
                parsed: parsesPackets
            )
            var reading = true
            while reading || pipeline.hasInFlight {
                if reading && !pipeline.isFull && !pipeline.oldestIsReady {
                    let slot = pipeline.nextFree
                    reading = try Self.read(&demuxer, into: &slot.packet, input: input)
                    guard reading, handlers.indices.contains(slot.packet.streamIndex) else { continue }
                    framing.unwrap(slot.packet)
                    repairs[slot.packet.streamIndex].repair(slot.packet)
                    if handlers[slot.packet.streamIndex].rewritesPayloads {
                        do {
                            try slot.packet.reserveSpare(
                                capacity: Self.spareCapacity(payload: slot.packet.size),
                                from: payloads
                            )
                        } catch {
                            throw outputFailure(error)
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
                if derivesDecodingTimestamps[index] {
                    slot.packet.dts = nil
                }
                do {
                    try muxer.write(&slot.packet, toStream: index, from: demuxer.streams[index].timeBase)
                } catch {
                    throw writeFailure(error)
                }
                written += 1
            }
            if written == 0 && packets > 0 {
                throw FrameCryptError(.keyFailure, "\(input): every frame was dropped, so there is nothing to write")
            }
            do {
                try muxer.finish()
            } catch {
                throw writeFailure(error)
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
            format: format,
            streams: handlers.map(\.report),
            warnings: warnings,
            bytesIn: FileStatus(input)?.size ?? 0,
            bytesOut: FileStatus(output)?.size ?? 0,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        )
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
            throw FrameCryptError(.malformedInput, "\(path): not a readable media file: \(error)")
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
                do {
                    output.parameters = try output.parameters.copy()
                    try output.parameters.setExtradata(record)
                    if let format = found[index]?.audioFormat, output.parameters.sampleRate == 0 {
                        output.parameters.setAudioFormat(sampleRate: format.sampleRate, channels: format.channels)
                    }
                } catch {
                    throw outputFailure(error)
                }
            }
            outputs.append(output)
        }
        return outputs
    }

    private func makeMuxer(
        path: String,
        format: OutputFormat,
        sameFamily: Bool,
        metadata: [MetadataEntry],
        chapters: [Chapter],
        outputs: [OutputStreamSpec]
    ) throws(FrameCryptError) -> Muxer {
        do {
            let muxer = try Muxer(
                path: path,
                formatName: format.muxerName,
                bitExact: bitExact,
                shiftsNegativeTimestamps: !sameFamily
            )
            try muxer.setMetadata(
                metadata + StreamTags.fileTags(forStreams: outputs.map(\.metadata), format: format)
            )
            try muxer.setChapters(chapters)
            for output in outputs {
                try muxer.addStream(output)
            }
            return muxer
        } catch {
            throw outputFailure(error)
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
                "\(input): corrupt or truncated media at byte \(demuxer.bytePosition): \(error)"
            )
        }
    }

    private func outputFailure(_ error: FFmpegError) -> FrameCryptError {
        error.isNoSpace
            ? writeFailure(error) : FrameCryptError(.outputFailure, "\(output): cannot be written: \(error)")
    }

    private func writeFailure(_ error: FFmpegError) -> FrameCryptError {
        FrameCryptError(.writeFailure, "\(output): cannot be written: \(error)")
    }

    private func headerFailure(_ error: FFmpegError, format: OutputFormat, streams: [MediaStream]) -> FrameCryptError {
        if error.isPermissionDenied || error.isBadPath {
            return outputFailure(error)
        }
        if error.isNoSpace || error.isWriteFailure {
            return writeFailure(error)
        }
        let codecs = streams.map(\.codecName).joined(separator: ", ")
        return FrameCryptError(
            .unsupported,
            "\(output): \(format.rawValue) cannot hold these streams (\(codecs)): \(error); \(Self.advice(for: streams, instead: format))"
        )
    }

    /// Which formats can hold `streams` instead of `format`, as advice for an error message.
    static func advice(for streams: [MediaStream], instead format: OutputFormat) -> String {
        let holders = OutputFormat.suggestionOrder.filter {
            $0 != format && $0.refusal(for: streams) == nil
                && Muxer.canStore(streams.map(\.parameters), formatName: $0.muxerName)
        }
        guard let first = holders.first else { return "choose another --format" }
        let others = holders.dropFirst().map(\.rawValue).joined(separator: ", ")
        return "write .\(first.rawValue) instead (-o NAME.\(first.rawValue) or --format \(first.rawValue))"
            + (others.isEmpty ? "" : "; \(others) can hold them too")
    }
}
