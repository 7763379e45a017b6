import ArgumentParser

extension FrameCrypt {
    /// `framecrypt vectors`: known-answer vectors for cryptor implementations.
    struct Vectors: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work with per-frame known-answer vectors.",
            subcommands: [Verify.self, Export.self]
        )
    }
}
