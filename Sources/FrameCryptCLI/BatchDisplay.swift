import Foundation
import FrameCryptBatch
import FrameCryptCore
import FrameCryptKit
import FrameCryptShared

/// What a batch shows while it runs: one line per finished job (failures on stderr, the rest on
/// stdout unless quiet or JSON), and on a terminal an overall progress line on stderr.
final class BatchDisplay: Sendable {
    private struct State {
        var finished = 0
        var failed = 0
        /// Fraction done of each running job.
        var running: [Int: Double] = [:]
        var lastDraw = ContinuousClock.now
        var drawn = false
    }

    private let plan: BatchPlan
    private let verb: String
    private let listsJobs: Bool
    private let showsProgress: Bool
    private let state = Guarded(State())

    init(plan: BatchPlan, verb: String, listsJobs: Bool) {
        self.plan = plan
        self.verb = verb
        self.listsJobs = listsJobs
        showsProgress = isatty(STDERR_FILENO) == 1
    }

    func handle(_ event: BatchEvent) {
        state.withLock { state in
            switch event {
            case .started(let index):
                state.running[index] = 0
            case .progress(let index, let progress):
                state.running[index] = progress.fraction ?? 0
            case .finished(let index, let report):
                state.running[index] = nil
                state.finished += 1
                if report.status == .failed {
                    state.failed += 1
                }
                clear(&state)
                show(report)
            }
            draw(&state, force: !event.isProgress)
        }
    }

    /// Clears the progress line.
    func finish() {
        state.withLock { clear(&$0) }
    }

    private func show(_ report: BatchJobReport) {
        switch report.status {
        case .failed:
            printError(
                "failed: \(report.error.map { RemedyText.line($0, remedy: report.remedy) } ?? report.origin) (exit \(report.exitStatus))"
            )
        case .ok, .skipped:
            guard listsJobs else { return }
            let target = report.output.map { " -> \($0)" } ?? ""
            let what = report.status == .skipped ? "complete and verified" : ReportText.jobFigures(report)
            FileHandle.standardOutput.write(
                Data("\(report.status.rawValue): \(report.input)\(target) (\(what))\n".utf8)
            )
        }
    }

    private func draw(_ state: inout State, force: Bool) {
        guard showsProgress, !state.running.isEmpty,
            force || ContinuousClock.now - state.lastDraw > .milliseconds(100)
        else { return }
        state.lastDraw = ContinuousClock.now
        let fraction = (Double(state.finished) + state.running.values.reduce(0, +)) / Double(plan.jobs.count)
        let names = state.running.keys.sorted().prefix(3).map {
            URL(fileURLWithPath: plan.jobs[$0].input).lastPathComponent
        }
        let failed = state.failed > 0 ? ", \(state.failed) failed" : ""
        let line =
            "[\(state.finished)/\(plan.jobs.count)\(failed)] \(Int(fraction * 100))% \(verb) \(names.joined(separator: ", "))"
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        state.drawn = true
    }

    private func clear(_ state: inout State) {
        if state.drawn {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            state.drawn = false
        }
    }
}

extension BatchEvent {
    fileprivate var isProgress: Bool {
        if case .progress = self { return true }
        return false
    }
}
