import Foundation
import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// What `inspect --probe-decode` does: decode the encrypted streams as a server-side recorder
/// would, optionally against the clear (decrypted) file and into a side-by-side picture.
package struct ProbeOptions: Sendable {
    /// The clear file to compare with, e.g. the output of `framecrypt decrypt`.
    package var reference: String?
    /// Where to write the PNG of the first decoded encrypted picture next to the clear one.
    package var snapshot: String?
    /// Replace an existing snapshot file.
    package var overwrite: Bool
    /// Packets decoded per stream.
    package var maxFrames: Int

    /// Packets decoded per stream unless asked otherwise: enough to show what a recorder gets.
    package static let defaultMaxFrames = 60

    package init(reference: String? = nil, snapshot: String? = nil, overwrite: Bool = false, maxFrames: Int? = nil) {
        self.reference = reference
        self.snapshot = snapshot
        self.overwrite = overwrite
        self.maxFrames = maxFrames ?? Self.defaultMaxFrames
    }
}

/// The decode attempt on each audio and video stream.
package struct DecodeProbeReport: Sendable, Encodable {
    package let reference: String?
    package let snapshot: String?
    package let streams: [StreamProbe]
}

/// What libavcodec made of one stream's frames.
package struct StreamProbe: Sendable, Encodable {
    package let index: Int
    package let codec: String
    /// The FFmpeg decoder used; nil when FFmpeg has none.
    package let decoder: String?
    package let packets: Int
    /// Packets the decoder refused outright.
    package let packetsRejected: Int
    /// Pictures or sound frames that came out, whatever they look like.
    package let framesDecoded: Int
    /// Errors the decoder logged.
    package let decoderErrors: Int
    /// The first distinct error messages.
    package let errorSamples: [String]
    /// Pictures compared with the clear file's at the same timestamp.
    package let framesCompared: Int
    /// Mean and lowest luma PSNR against the clear file, in dB (100 for identical pictures).
    package let psnr: Double?
    package let psnrMin: Double?
}

/// Decodes streams with libavcodec and measures how far the pictures are from the clear ones.
enum DecodeProbe {
    /// PSNR reported for identical pictures.
    static let identicalPSNR = 100.0

    private final class StreamState {
        let index: Int
        let codec: String
        var decoder: Decoder?
        let decoderName: String?
        var packets = 0
        var rejected = 0
        var decoded = 0
        var errors = 0
        var samples: [String] = []
        var lumas: [Int64: [UInt8]] = [:]
        var psnrs: [Double] = []

        init(stream: MediaStream) {
            index = stream.index
            codec = stream.codecName
            decoder = try? Decoder(parameters: stream.parameters)
            decoderName = decoder?.name
        }

        func absorb(_ logged: LoggedErrors) {
            errors += logged.count
            for sample in logged.samples where samples.count < LoggedErrors.kept && !samples.contains(sample) {
                samples.append(sample)
            }
        }

        var report: StreamProbe {
            StreamProbe(
                index: index,
                codec: codec,
                decoder: decoderName,
                packets: packets,
                packetsRejected: rejected,
                framesDecoded: decoded,
                decoderErrors: errors,
                errorSamples: samples,
                framesCompared: psnrs.count,
                psnr: psnrs.isEmpty ? nil : psnrs.reduce(0, +) / Double(psnrs.count),
                psnrMin: psnrs.min()
            )
        }
    }

    /// The snapshot's output, opened before any work so that an existing file or a missing folder
    /// stops the run at once; nil without `--snapshot`.
    static func snapshotFile(_ options: ProbeOptions?) throws(FrameCryptError) -> OutputFile? {
        guard let path = options?.snapshot else { return nil }
        return try OutputFile(target: path, overwrite: options?.overwrite ?? false)
    }

    /// Runs the probe on the streams of `input` in `selected` (all audio and video when nil), writing
    /// the snapshot into `snapshotFile` when there is one.
    static func run(
        _ options: ProbeOptions,
        input: String,
        selected: Set<Int>?,
        snapshotFile: OutputFile?
    ) throws(FrameCryptError) -> DecodeProbeReport {
        var reader = try PacketReader(input)
        let streams = reader.streams
        let states = streams.map { stream -> StreamState? in
            guard MediaEncryption.mediaKind(of: stream) != nil, selected?.contains(stream.index) != false else {
                return nil
            }
            return StreamState(stream: stream)
        }
        let snapshotStream = states.compactMap { $0 }.first { streams[$0.index].type == .video }?.index
        var encryptedPicture: Picture?
        var encryptedPictureTime: Int64?
        try decode(&reader, limit: options.maxFrames) { index, frame throws(FFmpegError) in
            guard let state = states[index] else { return }
            state.decoded += 1
            if options.reference != nil, let time = frame.timestamp, let luma = frame.lumaPlane {
                state.lumas[time] = luma
            }
            if options.snapshot != nil, index == snapshotStream, encryptedPicture == nil {
                encryptedPicture = try frame.picture()
                encryptedPictureTime = frame.timestamp
            }
        } state: {
            states.indices.contains($0) ? states[$0] : nil
        }

        let clearPicture = try options.reference.flatMap { (reference) throws(FrameCryptError) in
            try compare(
                reference,
                with: streams,
                states: states,
                limit: options.maxFrames,
                snapshot: snapshotStream.map { ($0, encryptedPictureTime) }
            )
        }
        if let snapshotFile {
            guard let clearPicture else {
                throw FrameCryptError(
                    .unsupported,
                    "\(snapshotFile.target): no clear picture to draw: the reference has no decodable video"
                )
            }
            try write(snapshotFile) { () throws(FFmpegError) in
                try SnapshotImage.png(encryptedPicture, clearPicture)
            }
        }
        return DecodeProbeReport(
            reference: options.reference,
            snapshot: options.snapshot,
            streams: states.compactMap { $0?.report }
        )
    }

    /// Decodes the clear `reference` and adds each frame's PSNR against the encrypted file's frame
    /// at the same time to its stream's state.
    ///
    /// - Parameter snapshot: the video stream the snapshot draws and the time of the encrypted picture.
    /// - Returns: the clear picture for the snapshot: the one at the encrypted picture's time, else
    ///   the first.
    private static func compare(
        _ reference: String,
        with streams: [MediaStream],
        states: [StreamState?],
        limit: Int,
        snapshot: (stream: Int, time: Int64?)?
    ) throws(FrameCryptError) -> Picture? {
        var clear = try PacketReader(reference)
        let clearStreams = clear.streams
        let clearStates = clearStreams.map { stream -> StreamState? in
            guard states.indices.contains(stream.index), states[stream.index] != nil,
                streams[stream.index].type == stream.type
            else { return nil }
            return StreamState(stream: stream)
        }
        var clearPicture: Picture?
        try decode(&clear, limit: limit) { index, frame throws(FFmpegError) in
            guard let state = states[index], let time = frame.timestamp else { return }
            let encryptedTime = clearStreams[index].timeBase.convert(time, to: streams[index].timeBase)
            if let encrypted = state.lumas[encryptedTime], let luma = frame.lumaPlane, encrypted.count == luma.count {
                state.psnrs.append(psnr(encrypted, luma))
            }
            if index == snapshot?.stream, clearPicture == nil || encryptedTime == snapshot?.time {
                clearPicture = try frame.picture()
            }
        } state: {
            clearStates.indices.contains($0) ? clearStates[$0] : nil
        }
        return clearPicture
    }

    /// Feeds each stream's first `limit` packets to its decoder, then drains them; `frame` sees every
    /// decoded frame.
    private static func decode(
        _ reader: inout PacketReader,
        limit: Int,
        frame: (Int, borrowing DecodedFrame) throws(FFmpegError) -> Void,
        state: (Int) -> StreamState?
    ) throws(FrameCryptError) {
        var seen: Set<Int> = []
        try reader.forEach { (packet) throws(FrameCryptError) in
            let index = packet.streamIndex
            guard let current = state(index), current.decoder != nil else { return true }
            seen.insert(index)
            guard current.packets < limit else { return true }
            current.packets += 1
            do {
                try current.decoder?.decode(packet) { decoded throws(FFmpegError) in try frame(index, decoded) }
            } catch {
                current.rejected += 1
            }
            if let logged = current.decoder?.takeLoggedErrors() {
                current.absorb(logged)
            }
            return true
        }
        for index in seen.sorted() {
            guard let current = state(index) else { continue }
            do {
                try current.decoder?.drain { decoded throws(FFmpegError) in try frame(index, decoded) }
            } catch {
                current.rejected += 1
            }
            if let logged = current.decoder?.takeLoggedErrors() {
                current.absorb(logged)
            }
        }
    }

    /// Luma PSNR of two pictures of the same size, in dB.
    static func psnr(_ first: [UInt8], _ second: [UInt8]) -> Double {
        var squares: UInt64 = 0
        for (a, b) in zip(first, second) {
            let difference = Int(a) - Int(b)
            squares += UInt64(difference * difference)
        }
        guard squares > 0 else { return identicalPSNR }
        let meanSquare = Double(squares) / Double(first.count)
        return min(identicalPSNR, 10 * log10(255 * 255 / meanSquare))
    }

    private static func write(_ file: OutputFile, _ image: () throws(FFmpegError) -> [UInt8]) throws(FrameCryptError) {
        let path = file.target
        do throws(FrameCryptError) {
            let bytes: [UInt8]
            do {
                bytes = try image()
            } catch {
                throw FrameCryptError(.internalFailure, "\(path): cannot draw the snapshot: \(error)", cause: error)
            }
            try file.write(Data(bytes))
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
    }
}
