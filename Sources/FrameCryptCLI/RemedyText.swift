import FrameCryptCore
import FrameCryptKit

/// The command line's wording of what a user can do about a failure: the library says what to do,
/// the command line names the options that do it.
enum RemedyText {
    /// `message` followed by its remedy's advice, as printed.
    static func line(_ message: String, remedy: FrameCryptError.Remedy?) -> String {
        guard let remedy else { return message }
        return message + advice(remedy)
    }

    private static func advice(_ remedy: FrameCryptError.Remedy) -> String {
        switch remedy {
        case .overwrite:
            return " (use --force to overwrite)"
        case .nameParticipant(let stream):
            return "; use --participant ID or --map \(stream)=ID"
        case .chooseFormat(let formats):
            guard let first = formats.first else { return "; choose the container with --format" }
            let others = formats.dropFirst().joined(separator: ", ")
            return "; write .\(first) instead (-o NAME.\(first) or --format \(first))"
                + (others.isEmpty ? "" : "; \(others) can hold them too")
        case .goOnWithoutKey:
            return
                " (use --send-clear-when-key-missing or --discard-frame-when-cryptor-not-ready to go on without one)"
        case .allowSharedKeyFile:
            return ", or accept it with --allow-shared-key-file"
        case .checkKeyServiceHeaders:
            return ": check the token in --key-url-header"
        case .giveKeySource:
            return
                "; give --key-file, --key-command or --key-url, or a \"keyFile\", \"keyCommand\" or \"keyUrl\" on the manifest line"
        case .giveOutputFolder:
            return "; give --output-dir or an \"output\" on the manifest line"
        case .changeOutputNames:
            return "; change --name or the manifest"
        }
    }
}
