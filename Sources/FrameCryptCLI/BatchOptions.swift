import ArgumentParser
import Foundation
import FrameCryptBatch
import FrameCryptCore
import FrameCryptKit

/// Options that run a command over many files at once (docs/BATCH.md).
struct BatchOptions: ParsableArguments {
    @Option(
        name: [.customShort("O"), .long],
        help: ArgumentHelp("Batch: write each output into this folder, named by --name.", valueName: "folder")
    )
    var outputDir: String?

    @Option(
        help: ArgumentHelp(
            "Batch: how outputs are named inside --output-dir, from {dir} (the input's subfolder), {name}, {stem} and {ext}.",
            valueName: "template"
        )
    )
    var name: String?

    @Flag(name: .shortAndLong, help: "Batch: take media files from the subfolders of folder inputs too.")
    var recursive = false

    @Option(
        help: ArgumentHelp(
            "Batch: run the jobs of a JSON Lines manifest, one {\"input\", \"output\", \"keyFile\" (or \"keyCommand\", \"keyUrl\"), \"participant\", \"map\"} per line.",
            valueName: "file.jsonl"
        )
    )
    var manifest: String?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Batch: files processed at the same time (default: the number of cores).", valueName: "n")
    )
    var jobs: Int?

    @Option(
        help: ArgumentHelp(
            "Batch: run only part I of N of the job list (0 <= I < N), as an array job on many machines; auto takes I and N from a Slurm array, auto/N takes I from Slurm or a Kubernetes Indexed Job.",
            valueName: "I/N|auto|auto/N"
        )
    )
    var shard: String?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be 1 or more.") }
        if let shard {
            do {
                _ = try BatchShard(parsing: shard, environment: ProcessInfo.processInfo.environment)
            } catch {
                throw ValidationError("--shard " + error.message)
            }
        }
        if name != nil && outputDir == nil { throw ValidationError("--name needs --output-dir.") }
    }

    /// True when the command runs as a batch: several inputs, a folder, a manifest, or any batch option.
    func isBatch(inputs: [String]) -> Bool {
        inputs.count != 1 || manifest != nil || outputDir != nil || jobs != nil || shard != nil || recursive
            || inputs.contains(where: Self.isFolder)
    }

    /// Refuses positional inputs next to a manifest, and no inputs without one.
    func validateInputs(_ inputs: [String]) throws {
        if manifest != nil && !inputs.isEmpty {
            throw ValidationError("Give the inputs either on the command line or in --manifest, not both.")
        }
        if manifest == nil && inputs.isEmpty {
            throw ValidationError("Give at least one input file or folder, or --manifest.")
        }
    }

    private static func isFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }

    /// What the batch runs and how it reports.
    struct Run {
        let operation: JobOperation
        /// The output name when --name is not given.
        let defaultName: String
        /// `--format`'s extension, if any.
        let outputExtension: String?
        /// Every job must write a file (encrypt, decrypt).
        let requiresOutputs: Bool
        let force: Bool
        let quiet: Bool
        let json: Bool
        /// The options that shape each output, one per line, never key material.
        let settings: [String]
    }

    /// Builds the job list, runs it, prints each result and the summary (or `--json`), and exits
    /// with 1 when a job failed.
    func run(_ run: Run, inputs: [String], work: @escaping BatchRunner.Work) throws {
        let plan = try runReportingErrors { () throws(FrameCryptError) in
            let template = try naming("--name") { () throws(FrameCryptError) in
                try OutputNameTemplate(name ?? run.defaultName)
            }
            let listed =
                try manifest.map { (path) throws(FrameCryptError) in
                    try BatchManifest.load(
                        path: path,
                        outputFolder: outputDir,
                        template: template,
                        outputExtension: run.outputExtension
                    )
                }
                ?? BatchInputs.jobs(
                    inputs,
                    recursive: recursive,
                    outputFolder: outputDir,
                    template: template,
                    outputExtension: run.outputExtension
                )
            return try BatchPlan(
                operation: run.operation,
                jobs: listed,
                requiresOutputs: run.requiresOutputs,
                shard: try shard.map { (text) throws(FrameCryptError) in
                    try naming("--shard") { () throws(FrameCryptError) in
                        try BatchShard(parsing: text, environment: ProcessInfo.processInfo.environment)
                    }
                },
                concurrency: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                force: run.force,
                settings: ([run.operation.rawValue, "name=\(name ?? run.defaultName)"] + run.settings).joined(
                    separator: "\n"
                )
            )
        }
        let display = BatchDisplay(plan: plan, verb: run.operation.verb, listsJobs: !run.quiet && !run.json)
        let report = BatchRunner.run(plan, work: work) { display.handle($0) }
        display.finish()
        if run.json {
            try printJSON(report)
        } else if !run.quiet {
            print(ReportText.batchSummary(report))
        }
        if !report.ok {
            throw ExitCode(ExitStatus.failure)
        }
    }

    /// Runs `body`, naming `option` in front of its error (the library's errors name values, not
    /// options).
    private func naming<Value>(_ option: String, _ body: () throws(FrameCryptError) -> Value) throws(FrameCryptError)
        -> Value
    {
        do {
            return try body()
        } catch {
            throw FrameCryptError(error.kind, "\(option) \(error.message)", cause: error.cause, remedy: error.remedy)
        }
    }
}
