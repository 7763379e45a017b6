import FrameCryptCore
import FrameCryptKit

/// How SDK receivers' verdicts read on a terminal.
enum ReceiverText {
    /// One line per stream and receiver: `stream 0 video vp8, js: fails from frame 15 (…)`.
    static func lines(_ streams: [StreamReceiverReport]) -> String {
        var text = ""
        for stream in streams {
            for verdict in stream.receivers {
                text += "stream \(stream.index) \(stream.kind) \(stream.codec), \(line(verdict))\n"
            }
        }
        return text
    }

    /// `js: fails from frame 15 (decryptionFailed: …); ok 15, decryptionFailed 30`.
    static func line(_ verdict: ReceiverVerdict) -> String {
        let counts = verdict.states.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        var text = "\(verdict.receiver.rawValue): "
        if let failure = verdict.firstFailure {
            text += "fails from frame \(failure.frame) (\(failure.state): \(failure.reason))"
        } else {
            text += "delivers all \(verdict.frames) frames"
        }
        text += "; " + counts.joined(separator: ", ")
        if verdict.droppedUnread > 0 {
            text += ", \(verdict.droppedUnread) dropped unread (key index marked invalid)"
        }
        if verdict.serverInjectedFrames > 0 {
            text += ", \(verdict.serverInjectedFrames) server-injected forwarded"
        }
        return text
    }
}
