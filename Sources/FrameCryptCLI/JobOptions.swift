import ArgumentParser
import FrameCryptBatch
import FrameCryptCore
import FrameCryptKit

/// Options every file job shares: what to read, where the output goes and how the run reports.
struct JobOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "The media file to read (never modified); several files or folders make a batch.",
            valueName: "input"
        )
    )
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("The file to write (one input).", valueName: "output"))
    var output: String?

    @OptionGroup(title: "Batch")
    var batch: BatchOptions

    @Option(
        help: ArgumentHelp(
            "Container to write: mp4, mov, mkv, webm, ogg, ts (MPEG-TS) or ivf; encrypt also writes RTP captures, pcap or rtpdump. Default: the output name's extension, else the input's family.",
            valueName: "format"
        )
    )
    var format: OutputTarget?

    @Flag(help: "Overwrite the output if it exists (batch: redo every job, even complete ones).")
    var force = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors and warnings.")
    var quiet = false

    @Flag(help: "Print the summary as JSON on standard output.")
    var json = false

    @Flag(help: "Show FFmpeg's own warnings and errors.")
    var verbose = false

    func validate() throws {
        try batch.validateInputs(inputs)
        if isBatch {
            guard output == nil else {
                throw ValidationError("-o names the output of one input file; for a batch use --output-dir.")
            }
        } else if output == nil {
            throw ValidationError("Give the output with -o FILE (or --output-dir FOLDER for a batch).")
        }
    }

    /// True when the command runs over many files.
    var isBatch: Bool {
        batch.isBatch(inputs: inputs)
    }

    /// The files of a single-file job.
    var files: FileJob {
        FileJob(input: inputs.first ?? "", output: output ?? "", format: container, overwrite: force)
    }

    /// The container `--format` names, if it names one.
    var container: OutputFormat? {
        if case .container(let format) = format { format } else { nil }
    }

    /// Runs the command: on one file, or as a batch. `work` turns a job's files and what it works
    /// with (the command's keys and participants, or in a batch its manifest line's) into a report.
    func perform(
        operation: JobOperation,
        settings: @autoclosure () -> [String],
        keys: KeyOptions,
        keyIndex: Int,
        work:
            @escaping @Sendable (FileJob, JobAssignment, (JobProgress) -> Void) throws(FrameCryptError) ->
            ProcessingReport
    ) throws {
        guard isBatch else {
            let files = files
            try run(verb: operation.verb) { (progress) throws(FrameCryptError) in
                try work(files, try keys.assignment(keyIndex: keyIndex), progress)
            }
            return
        }
        let batchKeys = try runReportingErrors { () throws(FrameCryptError) in try keys.batchKeys(keyIndex: keyIndex) }
        let participants = keys.assignment
        // Read only for a batch: reading options by reflection costs a one-file run milliseconds.
        try runBatch(operation: operation, settings: settings()) {
            (files, job, progress) throws(FrameCryptError) in
            try work(files, try batchKeys.assignment(for: job, participants: participants), progress)
        }
    }

    /// Runs a job that needs no keys (a capture's `--keep-encrypted`), on one file or as a batch,
    /// with the participants `--map` and `--participant` give.
    func performWithoutKeys(
        operation: JobOperation,
        settings: @autoclosure () -> [String],
        participants: ParticipantAssignment,
        work:
            @escaping @Sendable (FileJob, ParticipantAssignment, (JobProgress) -> Void) throws(FrameCryptError) ->
            ProcessingReport
    ) throws {
        guard isBatch else {
            let files = files
            try run(verb: operation.verb) { (progress) throws(FrameCryptError) in
                try work(files, participants, progress)
            }
            return
        }
        try runBatch(operation: operation, settings: settings()) { (files, _, progress) throws(FrameCryptError) in
            try work(files, participants, progress)
        }
    }

    /// Runs a single-file job with the progress display and prints its summary.
    private func run(
        verb: String,
        _ job: ((JobProgress) -> Void) throws(FrameCryptError) -> ProcessingReport
    ) throws {
        JobEnvironment.prepare(verbose: verbose)
        let display = ProgressDisplay(verb: verb, input: files.input, enabled: !quiet)
        let report = try runReportingErrors { () throws(FrameCryptError) in
            defer { display.finish() }
            return try job { display.update($0) }
        }
        for warning in report.warnings {
            printError("warning: \(warning)")
        }
        if json {
            try printJSON(report)
        } else if !quiet {
            print(ReportText.summary(report), terminator: "")
        }
    }

    /// Runs the batch: `work` turns each job's files into a report.
    private func runBatch(
        operation: JobOperation,
        settings: [String],
        work:
            @escaping @Sendable (FileJob, BatchJob, (JobProgress) -> Void) throws(FrameCryptError) ->
            ProcessingReport
    ) throws {
        JobEnvironment.prepare(verbose: verbose)
        let format = container
        try batch.run(
            BatchOptions.Run(
                operation: operation,
                defaultName: "{dir}/{stem}.{ext}",
                outputExtension: self.format?.description,
                requiresOutputs: true,
                force: force,
                quiet: quiet,
                json: json,
                settings: settings
            ),
            inputs: inputs
        ) { (job, progress) throws(FrameCryptError) in
            let files = FileJob(input: job.input, output: job.output ?? "", format: format, overwrite: job.overwrite)
            let report = try work(files, job, progress)
            for warning in report.warnings {
                printError("warning: \(job.input): \(warning)")
            }
            return BatchJobOutcome(report)
        }
    }
}
