import Foundation
import FrameCryptCore
import FrameCryptKit

/// A one-line progress display on standard error, shown only when it is a terminal.
final class ProgressDisplay {
    private let label: String
    private let enabled: Bool
    private var lastDraw = ContinuousClock.now
    private var drawn = false

    init(verb: String, input: String, enabled: Bool) {
        label = "\(verb) \(URL(fileURLWithPath: input).lastPathComponent)"
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func update(_ progress: JobProgress) {
        guard enabled, ContinuousClock.now - lastDraw > .milliseconds(100) else { return }
        lastDraw = ContinuousClock.now
        let percent = progress.fraction.map { " \(Int(min(max($0, 0), 1) * 100))%" } ?? ""
        FileHandle.standardError.write(Data("\r\u{1B}[K\(label)\(percent)  \(progress.packets) packets".utf8))
        drawn = true
    }

    /// Clears the line.
    func finish() {
        if drawn {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        }
    }
}
