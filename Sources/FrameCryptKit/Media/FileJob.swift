import FrameCryptCore

/// The files of a job: what to read, what to write, in which container, and whether to overwrite.
package struct FileJob: Sendable {
    /// The media file to read; never modified.
    package var input: String
    /// The file to write, through a temporary file renamed into place on success.
    package var output: String
    /// nil: the output name's extension, else the input's family.
    package var format: OutputFormat?
    /// Replace an existing output.
    package var overwrite: Bool

    package init(input: String, output: String, format: OutputFormat? = nil, overwrite: Bool = false) {
        self.input = input
        self.output = output
        self.format = format
        self.overwrite = overwrite
    }
}
