import ArgumentParser
import Foundation
import FrameCryptCapture
import FrameCryptKit

/// What `--format` names: a container, or (encrypt only) an RTP capture.
enum OutputTarget: ExpressibleByArgument, CustomStringConvertible, Sendable {
    case container(OutputFormat)
    case capture(CaptureFormat)

    /// The capture formats framecrypt writes.
    static let captureFormats: [CaptureFormat] = [.pcap, .rtpdump]

    init?(argument: String) {
        if let container = OutputFormat(rawValue: argument.lowercased()) {
            self = .container(container)
        } else if let capture = CaptureFormat(rawValue: argument.lowercased()), Self.captureFormats.contains(capture) {
            self = .capture(capture)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] {
        OutputFormat.allCases.map(\.rawValue) + captureFormats.map(\.rawValue)
    }

    var description: String {
        switch self {
        case .container(let format): format.rawValue
        case .capture(let format): format.rawValue
        }
    }

    /// The capture an output of this target (or, without one, named `output`) is written as; nil
    /// for a container.
    static func capture(_ target: OutputTarget?, output: String) -> CaptureFormat? {
        switch target {
        case .capture(let format): return format
        case .container: return nil
        case nil:
            switch URL(fileURLWithPath: output).pathExtension.lowercased() {
            case "pcap": return .pcap
            case "rtpdump", "rtp": return .rtpdump
            default: return nil
            }
        }
    }
}
