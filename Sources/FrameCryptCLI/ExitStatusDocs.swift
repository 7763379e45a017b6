import FrameCryptCore
import FrameCryptKit

/// Every command's documented exit statuses, in one table: the help texts (and so the man pages)
/// say them from here, and a test keeps README's tables equal to ``markdown(_:)``.
enum ExitStatusDocs {
    /// The commands whose statuses are documented.
    enum Command: String, CaseIterable {
        case framecrypt
        case encrypt
        case decrypt
        case inspect
        case verifyKeys = "verify-keys"
        case doctor
        case keysAdd = "keys add"
        case keysShow = "keys show"
        case keysGenerate = "keys generate"
        case vectorsExport = "vectors export"
        case vectorsVerify = "vectors verify"
        case fixturesBuild = "fixtures build"
        case fixturesVerify = "fixtures verify"
    }

    /// One status and what it means for a command.
    struct Entry: Equatable {
        let status: String
        let meaning: String

        init(_ status: Int32, _ meaning: String) {
            self.status = String(status)
            self.meaning = meaning
        }

        init(signal meaning: String) {
            status = "128+N"
            self.meaning = meaning
        }
    }

    /// The statuses of `command`, in order.
    static func entries(_ command: Command) -> [Entry] {
        switch command {
        case .framecrypt, .encrypt, .decrypt: media
        case .inspect: inspect
        case .verifyKeys: verifyKeys
        case .doctor: doctor
        case .keysAdd: keysAdd
        case .keysShow: keysShow
        case .keysGenerate: keysGenerate
        case .vectorsExport: vectorsExport
        case .vectorsVerify: vectorsVerify
        case .fixturesBuild: fixturesBuild
        case .fixturesVerify: fixturesVerify
        }
    }

    /// The sentence a help text ends its description with: `Exit status: 0 done; 1 …`.
    static func sentence(_ command: Command) -> String {
        "Exit status: " + entries(command).map { "\($0.status) \($0.meaning)" }.joined(separator: "; ") + "."
    }

    /// The table README shows for `command`.
    static func markdown(_ command: Command) -> String {
        (["| exit status | meaning |", "| --- | --- |"] + entries(command).map { "| \($0.status) | \($0.meaning) |" })
            .joined(separator: "\n")
    }

    private static let interrupted = Entry(signal: "interrupted by signal N; the temporary output is removed")

    private static let media = [
        Entry(0, "done"),
        Entry(
            ExitStatus.failure,
            "a key is missing or wrong, or a frame did not decrypt (the message names the stream and participant); in a batch, at least one job failed"
        ),
        Entry(ExitStatus.usage, "usage error"),
        Entry(
            ExitStatus.malformedInput,
            "not a media file, corrupt or truncated media, a malformed stream label or key file"
        ),
        Entry(ExitStatus.inputMissing, "input missing or unreadable"),
        Entry(ExitStatus.unsupported, "a codec refused under --strict, or a container that cannot hold a stream"),
        Entry(ExitStatus.internalError, "internal error"),
        Entry(ExitStatus.outputFailure, "output cannot be created (missing, read-only or unwritable folder)"),
        Entry(
            ExitStatus.writeFailure,
            "writing failed part-way (disk full, file size limit, I/O error, full standard output); nothing is left behind"
        ),
        Entry(ExitStatus.outputExists, "output exists (use --force)"),
        interrupted,
    ]

    private static let inspect = [
        Entry(0, "inspected (1 with --check and findings; in a batch, 1 when a job failed)"),
        Entry(ExitStatus.usage, "usage error"),
        Entry(ExitStatus.malformedInput, "not media or corrupt"),
        Entry(ExitStatus.inputMissing, "input missing"),
        Entry(ExitStatus.outputFailure, "snapshot or report cannot be created"),
        Entry(ExitStatus.writeFailure, "write failed"),
        Entry(ExitStatus.outputExists, "snapshot exists (use --force)"),
    ]

    private static let verifyKeys = [
        Entry(0, "every encrypted stream is ok, ratcheted or header-restored"),
        Entry(ExitStatus.failure, "otherwise (in a batch, unless the keys fit every file)"),
        Entry(ExitStatus.usage, "usage error"),
        Entry(ExitStatus.malformedInput, "malformed media, stream label or key file"),
        Entry(ExitStatus.inputMissing, "input missing"),
    ]

    private static let doctor = [
        Entry(0, "the keys as given open every encrypted stream"),
        Entry(ExitStatus.failure, "they do not (the report names the cause it found, or none)"),
        Entry(ExitStatus.usage, "usage error"),
        Entry(ExitStatus.malformedInput, "malformed media, stream label or key file, or no FrameCryptor stream"),
        Entry(ExitStatus.inputMissing, "input missing"),
    ]

    private static let keysAdd = [
        Entry(0, "written"),
        Entry(ExitStatus.usage, "the index is taken (use --force to replace it) or a usage error"),
        Entry(ExitStatus.malformedInput, "not a key file, or readable by others"),
        Entry(ExitStatus.inputMissing, "missing"),
    ]

    private static let keysShow = [
        Entry(0, "shown"),
        Entry(ExitStatus.failure, "a key command or service failed"),
        Entry(ExitStatus.malformedInput, "malformed, or readable by others"),
        Entry(ExitStatus.inputMissing, "missing"),
    ]

    private static let keysGenerate = [
        Entry(0, "written"),
        Entry(ExitStatus.usage, "usage error"),
        Entry(ExitStatus.outputFailure, "cannot be written"),
        Entry(ExitStatus.outputExists, "the file exists (use --force)"),
    ]

    private static let vectorsExport = [
        Entry(0, "written"),
        Entry(ExitStatus.failure, "a key is missing"),
        Entry(ExitStatus.usage, "usage error"),
        Entry(ExitStatus.malformedInput, "malformed media, stream label or key file"),
        Entry(ExitStatus.inputMissing, "input missing"),
        Entry(ExitStatus.outputFailure, "output cannot be created"),
        Entry(ExitStatus.writeFailure, "write failed"),
        Entry(ExitStatus.outputExists, "output exists (use --force)"),
    ]

    private static let vectorsVerify = [
        Entry(0, "every vector passed"),
        Entry(ExitStatus.failure, "a vector failed"),
        Entry(ExitStatus.usage, "usage error"),
        Entry(
            ExitStatus.malformedInput,
            "malformed vector file (the message names the field, e.g. `vectors[3].plaintextHex: not valid hex`)"
        ),
        Entry(ExitStatus.inputMissing, "the file does not exist or cannot be read"),
        Entry(ExitStatus.internalError, "internal error"),
    ]

    private static let fixturesBuild = [
        Entry(0, "built"),
        Entry(ExitStatus.malformedInput, "malformed recipe, key or scenario file"),
        Entry(ExitStatus.inputMissing, "a file is missing"),
        Entry(
            ExitStatus.internalError,
            "a fixture did not come out as its scenario predicts (decryptor and receiver model disagree, or a vector does not verify)"
        ),
    ]

    private static let fixturesVerify = [
        Entry(0, "all pass"),
        Entry(ExitStatus.failure, "a check failed"),
        Entry(ExitStatus.malformedInput, "malformed manifest or recipe"),
        Entry(ExitStatus.inputMissing, "missing"),
    ]
}
