import Foundation
import FrameCryptCore
import FrameCryptFormat
import FrameCryptKit

/// Writes `inspect`'s output: frame rows as they are read (so an hour of frames is never held),
/// then the per-stream summary and the findings, as text or as one JSON document.
final class InspectionOutput {
    private let json: Bool
    private let listsFrames: Bool
    private var started = false

    init(json: Bool, listsFrames: Bool) {
        self.json = json
        self.listsFrames = listsFrames
    }

    func frame(_ record: FrameRecord) {
        if json {
            print(started ? ",\n" + record.jsonLine : "{\"frames\":[\n" + record.jsonLine, terminator: "")
        } else {
            if !started {
                print("stream  frame          pts  size key state            key  iv                        clear")
            }
            print(InspectionText.row(record))
        }
        started = true
    }

    func finish(_ report: InspectionReport) throws {
        guard json else {
            if started {
                print()
            }
            print(InspectionText.summary(report), terminator: "")
            return
        }
        guard listsFrames else {
            try printJSON(report)
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let rest = String(decoding: try encoder.encode(report), as: UTF8.self).dropFirst()
        print(started ? "\n]," + rest : "{\"frames\":[]," + rest)
    }
}

/// The human-readable form of an inspection.
enum InspectionText {
    static func row(_ record: FrameRecord) -> String {
        let pts = record.pts.map(String.init) ?? "-"
        let columns = [
            pad(String(record.stream), 6), pad(String(record.frame), 6), pad(pts, 12), pad(String(record.size), 5),
            record.keyFrame ? "K  " : "-  ", record.state.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0),
            pad(record.keyIndex.map(String.init) ?? "-", 3),
            (record.ivHex ?? record.sframeHeader.map { "KID \($0.keyID) CTR \($0.counter)" } ?? "-")
                .padding(toLength: 24, withPad: " ", startingAt: 0),
            pad(String(record.clearBytes), 5),
        ]
        return columns.joined(separator: " ")
    }

    static func summary(_ report: InspectionReport) -> String {
        var text = "\(report.file) (\(report.container))\n"
        if let capture = report.capture {
            text += CaptureText.lines(capture).map { $0 + "\n" }.joined()
        }
        for stream in report.streams {
            text += block(stream)
        }
        if let probe = report.probe {
            text += probeBlock(probe)
        }
        if report.findings.isEmpty {
            text += "no findings\n"
        } else {
            text += "findings:\n"
            for finding in report.findings {
                let frames = finding.frames.isEmpty ? "" : ", frames \(frameList(finding))"
                text += "  \(finding.code.rawValue) (stream \(finding.stream)\(frames)): \(finding.message)\n"
            }
        }
        return text
    }

    /// One stream's part of the text report: a heading, then indented lines.
    private static func block(_ stream: StreamInspection) -> String {
        let lines = [heading(stream), counts(stream)] + keyIndices(stream) + ivLines(stream) + sframeLines(stream)
        return lines.enumerated().map { $0 == 0 ? $1 + "\n" : "  " + $1 + "\n" }.joined()
    }

    private static func heading(_ stream: StreamInspection) -> String {
        var heading = "stream \(stream.index): \(stream.kind) \(stream.codec)"
        if let participant = stream.participant {
            heading += ", participant \(participant)"
        }
        heading += ", scheme \(stream.scheme)"
        if let claimed = stream.labelScheme, claimed != stream.scheme {
            heading += " (label says \(claimed))"
        }
        return heading
    }

    private static func counts(_ stream: StreamInspection) -> String {
        var counts = "\(stream.frames) frames: \(stream.encryptedFrames) encrypted, \(stream.clearFrames) clear"
        for (count, name) in [
            (stream.sifFrames, "server-injected"), (stream.emptyFrames, "empty"), (stream.truncatedFrames, "truncated"),
            (stream.malformedFrames, "malformed"), (stream.unrecognizedFrames, "unrecognized"),
        ] where count > 0 {
            counts += ", \(count) \(name)"
        }
        return counts
    }

    private static func keyIndices(_ stream: StreamInspection) -> [String] {
        guard !stream.keyIndices.isEmpty else { return [] }
        let histogram = stream.keyIndices.sorted { Int($0.key) ?? 0 < Int($1.key) ?? 0 }
            .map { "\($0.key) (\($0.value) frames)" }.joined(separator: ", ")
        var keys = "key indices: \(histogram), ring of \(stream.keyRingSize)"
        if !stream.keyIndexChanges.isEmpty {
            keys +=
                "; changes at frames "
                + stream.keyIndexChanges.prefix(8).map { "\($0.frame) (\($0.from)->\($0.to))" }.joined(separator: ", ")
        }
        return [keys]
    }

    /// The FrameCryptor lines: IV layout, clear header, overhead and packet trailers.
    private static func ivLines(_ stream: StreamInspection) -> [String] {
        guard let iv = stream.iv else { return [] }
        var layout = "IV: SSRC \(iv.ssrcs.prefix(4).joined(separator: ", "))"
        layout += ", RTP \(iv.rtpTimestampFirst)...\(iv.rtpTimestampLast) at \(iv.rtpClockRate) Hz"
        layout += iv.rtpClockMismatches == 0 ? "" : " (\(iv.rtpClockMismatches) frames off the clock)"
        layout +=
            ", send count from \(iv.sendCountStart), \(iv.sendCountGaps == 0 ? "no" : String(iv.sendCountGaps)) gaps"
        var header = "clear header: \(stream.clearHeader.bytes) bytes"
        if let keyFrames = stream.clearHeader.keyFrames {
            header += ", \(keyFrames) key frames"
        }
        if let types = stream.clearHeader.nalUnitTypes, !types.isEmpty {
            header +=
                ", NAL types "
                + types.sorted { Int($0.key) ?? 0 < Int($1.key) ?? 0 }.map { "\($0.key)×\($0.value)" }
                .joined(separator: " ")
        }
        if let configurations = stream.clearHeader.opusConfigurations, !configurations.isEmpty {
            header += ", Opus configurations \(configurations.map(String.init).joined(separator: " "))"
        }
        var lines = [layout, header, overhead(stream)]
        if stream.packetTrailerFrames > 0 {
            lines.append(
                "LiveKit packet trailer (frame metadata, outside the encryption) on \(stream.packetTrailerFrames) frames"
            )
        }
        return lines
    }

    private static func sframeLines(_ stream: StreamInspection) -> [String] {
        guard let sframe = stream.sframe else { return [] }
        var lines = ["SFrame suite: \(sframe.cipherSuite ?? "not labelled")"]
        for use in sframe.keyIDs.prefix(8) {
            lines.append(
                "KID \(use.keyID) (0x\(String(use.keyID, radix: 16))): \(use.frames) frames, CTR \(use.firstCounter)...\(use.lastCounter)"
            )
        }
        if sframe.keyIDs.count > 8 {
            lines.append("… and \(sframe.keyIDs.count - 8) more KIDs")
        }
        lines.append(overhead(stream))
        return lines
    }

    private static func overhead(_ stream: StreamInspection) -> String {
        let average = stream.encryptedFrames > 0 ? Double(stream.overheadBytes) / Double(stream.encryptedFrames) : 0
        return
            "overhead: \(stream.overheadBytes) of \(stream.bytes) bytes (\(String(format: "%.1f", average)) per encrypted frame)"
    }

    private static func probeBlock(_ probe: DecodeProbeReport) -> String {
        var text = "decode probe (libavcodec, as a server-side recorder would):\n"
        for stream in probe.streams {
            var line = "  stream \(stream.index) \(stream.codec)"
            guard let decoder = stream.decoder else {
                text += line + ": FFmpeg has no decoder\n"
                continue
            }
            line += " (decoder \(decoder)): \(stream.packets) packets, \(stream.packetsRejected) rejected, "
            line += "\(stream.framesDecoded) frames decoded, \(stream.decoderErrors) decoder errors"
            if let first = stream.errorSamples.first {
                line += " (\"\(first)\")"
            }
            if let psnr = stream.psnr, let lowest = stream.psnrMin {
                line += String(
                    format: "; PSNR against the clear file %.1f dB (lowest %.1f) over %d pictures",
                    psnr,
                    lowest,
                    stream.framesCompared
                )
            }
            text += line + "\n"
        }
        if let snapshot = probe.snapshot {
            text += "  snapshot: \(snapshot) (left: encrypted as decoded, right: clear)\n"
        }
        return text
    }

    private static func frameList(_ finding: Finding) -> String {
        let shown = finding.frames.prefix(8).map(String.init).joined(separator: ",")
        return finding.frameCount > 8 ? "\(shown)… (\(finding.frameCount))" : shown
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
