/// A failure framecrypt reports to its user: a category that decides the exit status and a one-line
/// message naming the file, stream or field at fault. Messages never contain key material.
package struct FrameCryptError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the user can do about a failure. The library never names a command-line option; the
    /// command line words each remedy as its own options.
    package enum Remedy: Sendable, Hashable {
        /// Overwrite the existing output (or key).
        case overwrite
        /// Say which participant sent stream `stream`.
        case nameParticipant(stream: Int)
        /// Choose an output container: one of `formats` (their extensions, best first) when some
        /// can hold the streams, any when the list is empty.
        case chooseFormat([String])
        /// Go on without the missing key: send the stream in clear, or drop its frames.
        case goOnWithoutKey
        /// Accept a key file that group or others may read.
        case allowSharedKeyFile
        /// Check the token in the key service's request headers.
        case checkKeyServiceHeaders
        /// Give a key source, for the command or on the manifest line.
        case giveKeySource
        /// Give an output folder, or an output on the manifest line.
        case giveOutputFolder
        /// Change how outputs are named, or the manifest.
        case changeOutputNames
    }

    /// What kind of failure this is.
    package enum Kind: Sendable, Hashable {
        /// An input file does not exist or cannot be opened.
        case inputMissing
        /// An input is not what it should be: invalid JSON, a vector or key file with wrong fields.
        case malformedInput
        /// A key is wrong, missing or does not fit.
        case keyFailure
        /// An argument's value is out of range.
        case invalidArgument
        /// Something that should not fail did (a crypto library error).
        case internalFailure
        /// The output file already exists and overwriting was not asked for.
        case outputExists
        /// The output cannot be created: its folder is missing, read-only or not writable.
        case outputFailure
        /// Writing the output failed part-way: the disk is full, a file size limit was reached, an I/O
        /// error. Nothing is left behind.
        case writeFailure
        /// A stream's codec or the output format cannot be handled as asked (`--strict`, `--format`).
        case unsupported
    }

    package let kind: Kind
    package let message: String
    /// The library error underneath (FFmpeg's, OpenSSL's), kept as it was thrown; its text is
    /// already in `message`. Not part of equality.
    package let cause: (any Error & Sendable)?
    package let remedy: Remedy?

    /// Control characters in `message` (from a file name or a key file's field names, say) are
    /// written as escapes, so that the message stays one line whatever it quotes.
    package init(
        _ kind: Kind,
        _ message: String,
        cause: (any Error & Sendable)? = nil,
        remedy: Remedy? = nil
    ) {
        self.kind = kind
        self.message = Self.escapingControlCharacters(message)
        self.cause = cause
        self.remedy = remedy
    }

    package static func == (lhs: FrameCryptError, rhs: FrameCryptError) -> Bool {
        lhs.kind == rhs.kind && lhs.message == rhs.message && lhs.remedy == rhs.remedy
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(message)
        hasher.combine(remedy)
    }

    private static func escapingControlCharacters(_ text: String) -> String {
        let breaking: Set<Unicode.GeneralCategory> = [.control, .lineSeparator, .paragraphSeparator]
        guard text.unicodeScalars.contains(where: { breaking.contains($0.properties.generalCategory) }) else {
            return text
        }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where breaking.contains(scalar.properties.generalCategory):
                escaped += "\\u{\(String(scalar.value, radix: 16))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    package var description: String {
        message
    }
}
