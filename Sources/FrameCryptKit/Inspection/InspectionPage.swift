import Foundation
package import FrameCryptCore

/// `inspect --html`: the inspection as one self-contained page (no network, no external assets).
///
/// The page carries the same report `--json` prints, every frame `--frames` lists, and, when keys
/// were given, what each SDK receiver shows for each frame; its script draws them as per-stream
/// timelines with findings linked to their frames. The data sits in a JSON block the script reads,
/// so the page holds exactly what the JSON report holds.
package enum InspectionPage {
    /// The page's data: the report, the frames, the receivers' verdicts and who made it.
    private struct Payload: Encodable {
        let generator: String
        let report: InspectionReport
        let receivers: [StreamReceiverReport]?
    }

    /// The HTML text of the page.
    ///
    /// - Parameters:
    ///   - frames: every frame inspect examined, in order.
    ///   - receivers: per stream, what each SDK receiver shows (with `frameStates`); nil without keys.
    package static func html(
        report: InspectionReport,
        frames: [FrameRecord],
        receivers: [StreamReceiverReport]?,
        generator: String
    ) throws(FrameCryptError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let payload: String
        do {
            payload = String(
                decoding: try encoder.encode(Payload(generator: generator, report: report, receivers: receivers)),
                as: UTF8.self
            )
        } catch {
            throw FrameCryptError(.internalFailure, "the report could not be encoded: \(error)")
        }
        let frameList = "[" + frames.map(\.jsonLine).joined(separator: ",\n") + "]"
        // Inside a <script> block only "</" can end it early; JSON allows "<\/" for it.
        let data = "{\"page\":\(payload),\"frames\":\(frameList)}".replacingOccurrences(of: "</", with: "<\\/")
        return InspectionPageTemplate.document(title: escaped(report.file), data: data)
    }

    /// `text` safe inside HTML text and attribute values.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
