import Foundation
package import FrameCryptCapture
import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// What `encrypt` writes when the output is an RTP capture rather than a container.
package struct CaptureOutput: Sendable {
    /// `pcap` or `rtpdump`.
    package var format: CaptureFormat
    /// Also write an SDP naming each stream's payload type and SSRC here (for `--sdp` when reading
    /// the capture back).
    package var sdp: String?
    /// SRTP master keys to protect the packets with.
    package var srtp: SRTPKeys?

    package init(format: CaptureFormat, sdp: String? = nil, srtp: SRTPKeys? = nil) {
        self.format = format
        self.sdp = sdp
        self.srtp = srtp
    }
}

/// Encrypts a file as usual, then sends its encrypted frames as RTP into a capture: each frame in
/// the form a receiver's FrameCryptor gets (Annex B H.264/H.265, AV1 without its storage envelope),
/// payloaded by the rules the depacketizers read, with the SSRC and RTP timestamp the frame's IV
/// names, so that a live receiver of the packets would see exactly these frames.
enum CaptureExport {
    static func run(
        _ request: EncryptRequest,
        output: CaptureOutput,
        progress: (JobProgress) -> Void
    ) throws(FrameCryptError) -> ProcessingReport {
        let target = try OutputFile(target: request.files.output, overwrite: request.files.overwrite)
        let sdpFile = try output.sdp.map { path throws(FrameCryptError) in
            try OutputFile(target: path, overwrite: request.files.overwrite)
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("framecrypt-export-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do throws(FrameCryptError) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            } catch {
                throw FrameCryptError(
                    .outputFailure,
                    "\(directory): cannot make a temporary folder for the encrypted frames"
                )
            }
            var inner = request
            inner.sendsParameterSetsInBand = true
            inner.files = FileJob(
                input: request.files.input,
                output: directory + "/encrypted.mkv",
                format: .mkv,
                overwrite: true
            )
            var report = try MediaEncryption.run(inner, progress: progress)
            let streams = try outgoing(directory + "/encrypted.mkv", report: report, warnings: &report.warnings)
            guard !streams.isEmpty else {
                throw FrameCryptError(
                    .unsupported,
                    "\(request.files.input): no stream framecrypt can send as RTP (VP8, VP9, H.264, H.265, Opus): \(report.warnings.joined(separator: "; "))"
                )
            }
            let bytes: [UInt8]
            do {
                bytes = try CaptureWriting.write(
                    streams,
                    format: output.format,
                    seed: request.seed ?? UInt64.random(in: 0...UInt64.max),
                    srtp: output.srtp
                )
            } catch {
                throw FrameCryptError(error)
            }
            try target.write(Data(bytes))
            try sdpFile?.write(Data(CaptureWriting.sessionDescription(streams).utf8))
            // The capture first: an SDP never describes a capture that is not there.
            try target.commit()
            try sdpFile?.commit()
            report.describeCapture(path: request.files.output, format: output.format, size: Int64(bytes.count))
            return report
        } catch {
            target.abandon()
            sdpFile?.abandon()
            throw error.replacingPath(directory + "/encrypted.mkv", with: request.files.output)
        }
    }

    /// The encrypted streams of `path` as RTP streams, frames in the frame form.
    private static func outgoing(_ path: String, report: ProcessingReport, warnings: inout [String])
        throws(FrameCryptError) -> [OutgoingStream]
    {
        var reader = try PacketReader(path)
        var streams: [Int: OutgoingStream] = [:]
        var forms: [Int: FrameForm] = [:]
        var timeBases: [Int: Rational] = [:]
        for (index, stream) in reader.streams.enumerated() {
            guard let kind = MediaEncryption.mediaKind(of: stream), index < report.streams.count,
                let ssrc = report.streams[index].ssrc
            else { continue }
            let codec = FrameCodec(kind: kind, name: stream.codecName)
            guard CaptureWriting.payloads(codec) else {
                warnings.append(
                    "stream \(index) (\(stream.codecName)) is left out of the capture: \(codec == .av1 ? "a sealed AV1 frame is no OBU stream, and AV1's payload format cuts frames at OBU boundaries" : "WebRTC has no RTP payload format for it")"
                )
                continue
            }
            let rate = RTPClock.rate(for: codec, sampleRate: stream.parameters.sampleRate)
            var outgoing = OutgoingStream(
                codec: codec,
                ssrc: ssrc,
                payloadType: CaptureWriting.payloadType(for: codec),
                clockRate: rate
            )
            let size = stream.parameters.size
            outgoing.size = size.width > 0 && size.height > 0 ? size : nil
            streams[index] = outgoing
            forms[index] = FrameForm(lengthSize: stream.parameters.nalLengthSize(codec: codec), codec: codec)
            timeBases[index] = stream.timeBase
        }
        var payload: [UInt8] = []
        try reader.forEach { (packet) throws(FrameCryptError) in
            let index = packet.streamIndex
            guard var stream = streams[index], let timeBase = timeBases[index] else { return true }
            packet.copyPayload(into: &payload)
            guard let frame = forms[index]?.read(payload, { $0 }, accepts: { _ in true }) else {
                throw FrameCryptError(
                    .internalFailure,
                    "an encrypted frame of stream \(index) has NAL lengths past its end"
                )
            }
            let seconds = Double(packet.pts ?? 0) * Double(timeBase.numerator) / Double(timeBase.denominator)
            let offset = report.streams[index].rtpOffset ?? 0
            let timestamp =
                FrameExamination(frame[...], codec: stream.codec).iv?.rtpTimestamp
                ?? RTPClock.timestamp(offset: offset, ticks: Int64((seconds * Double(stream.clockRate)).rounded()))
            stream.frames.append((frame, timestamp, seconds, packet.isKeyFrame))
            streams[index] = stream
            return true
        }
        return streams.keys.sorted().compactMap { streams[$0] }
    }
}

extension ProcessingReport {
    /// Names the capture written as the output.
    mutating func describeCapture(path: String, format: CaptureFormat, size: Int64) {
        output = path
        self.format = format.rawValue
        bytesOut = size
    }
}
