package import FrameCryptCore
import FrameCryptKit

/// `--shard I/N`: the I-th of N disjoint parts of a batch (counting from 0), so that N machines
/// running the same command with I = 0…N−1 process every job exactly once.
///
/// Job k of the full list (manifest line order, or sorted inputs) belongs to part k mod N: the
/// parts differ in size by at most one job and depend on nothing but the list.
///
/// `auto` and `auto/N` take the part from the scheduler: Slurm's array task id (`auto` takes N from
/// the array's bounds), or Kubernetes' Indexed Job completion index (N must be given: `auto/N`).
package struct BatchShard: Sendable, CustomStringConvertible {
    package let index: Int
    package let count: Int

    /// Parses `I/N` with 0 ≤ I < N, `auto` or `auto/N`; `auto` reads `environment`.
    ///
    /// - Throws: ``FrameCryptError`` `.invalidArgument` otherwise, or when the scheduler's variables
    ///   are missing or do not fit; the message starts with `text`.
    package init(parsing text: String, environment: [String: String]) throws(FrameCryptError) {
        if text == "auto" || text.hasPrefix("auto/") {
            let count = text == "auto" ? nil : Int(text.dropFirst("auto/".count))
            guard text == "auto" || (count ?? 0) >= 1 else {
                throw FrameCryptError(.invalidArgument, "\(text): expected auto or auto/N with N >= 1")
            }
            (index, self.count) = try Self.fromScheduler(environment, count: count)
            return
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
            (0..<count).contains(index)
        else {
            throw FrameCryptError(
                .invalidArgument,
                "\(text): expected I/N with 0 <= I < N, e.g. 0/3 (Slurm and Kubernetes count from 0)"
            )
        }
        self.index = index
        self.count = count
    }

    /// The part a Slurm array task or a Kubernetes Indexed Job pod runs.
    private static func fromScheduler(_ environment: [String: String], count: Int?) throws(FrameCryptError)
        -> (Int, Int)
    {
        func number(_ name: String) throws(FrameCryptError) -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text), value >= 0 else {
                throw FrameCryptError(.invalidArgument, "auto: \(name)=\(text) is not a number")
            }
            return value
        }
        if let task = try number("SLURM_ARRAY_TASK_ID") {
            if let count {
                guard task < count else {
                    throw FrameCryptError(
                        .invalidArgument,
                        "auto/\(count): SLURM_ARRAY_TASK_ID is \(task); submit the array as --array=0-\(count - 1)"
                    )
                }
                return (task, count)
            }
            guard let minimum = try number("SLURM_ARRAY_TASK_MIN"), let maximum = try number("SLURM_ARRAY_TASK_MAX"),
                (minimum...maximum).contains(task)
            else {
                throw FrameCryptError(
                    .invalidArgument,
                    "auto: SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_MAX are missing or do not include task \(task); give the number of parts, auto/N"
                )
            }
            guard minimum < maximum else {
                throw FrameCryptError(
                    .invalidArgument,
                    "auto: this array has the one task \(task), so the number of parts is unknown; rerun a task with 'scontrol requeue JOBID_\(task)', or give the number of parts, auto/N"
                )
            }
            return (task - minimum, maximum - minimum + 1)
        }
        if let completion = try number("JOB_COMPLETION_INDEX") {
            guard let count else {
                throw FrameCryptError(
                    .invalidArgument,
                    "auto: Kubernetes does not tell the number of parts; give the number of parts, auto/N with N = the Job's completions"
                )
            }
            guard completion < count else {
                throw FrameCryptError(
                    .invalidArgument,
                    "auto/\(count): JOB_COMPLETION_INDEX is \(completion); N must equal the Job's completions"
                )
            }
            return (completion, count)
        }
        throw FrameCryptError(
            .invalidArgument,
            "auto: neither SLURM_ARRAY_TASK_ID (Slurm array job) nor JOB_COMPLETION_INDEX (Kubernetes Indexed Job) is set"
        )
    }

    /// This part's jobs, in their order.
    package func select(_ jobs: [BatchJob]) -> [BatchJob] {
        jobs.enumerated().filter { $0.offset % count == index }.map(\.element)
    }

    package var description: String {
        "\(index)/\(count)"
    }
}
