import ArgumentParser
import FrameCryptKit

/// Options every file job shares: where the output goes and how the run reports.
struct JobOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The media file to read (never modified).", valueName: "input"))
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The file to write.", valueName: "output"))
    var output: String

    @Option(
        help: ArgumentHelp(
            "Container to write: mp4, mov, mkv, webm or ogg. Default: the output name's extension, else the input's family.",
            valueName: "format"
        )
    )
    var format: OutputFormat?

    @Flag(help: "Overwrite the output if it exists.")
    var force = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors and warnings.")
    var quiet = false

    @Flag(help: "Print the summary as JSON on standard output.")
    var json = false

    @Flag(help: "Show FFmpeg's own warnings and errors.")
    var verbose = false

    /// The files of the job.
    var files: FileJob {
        FileJob(input: input, output: output, format: format, overwrite: force)
    }

    /// Runs a job with the progress display and prints its summary.
    func run(
        verb: String,
        _ job: ((JobProgress) -> Void) throws(FrameCryptError) -> ProcessingReport
    ) throws {
        JobEnvironment.prepare(verbose: verbose)
        let display = ProgressDisplay(verb: verb, input: input, enabled: !quiet)
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
}
