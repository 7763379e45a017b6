import ArgumentParser
import FrameCryptCore
import FrameCryptKit

extension FrameCrypt.Vectors {
    /// `framecrypt vectors export INPUT -o VECTORS.json`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write per-frame vectors from an encrypted media file, for cryptor unit tests without FFmpeg.",
            discussion: """
                Decrypts the file's frames in order as a receiver holding the keys would (ratchet window, \
                server-injected-frame trailer) and writes one vector per frame in the schema of \
                framecrypt-profile-vectors.json: the received frame and the plaintext frame in frame form \
                (H.264/H.265 as Annex B), the IV inputs read back from the IV, the key index, and the state the \
                receiver reported; failed frames become negative vectors. Keys are referenced (participant \
                and key index in the key file, whose path is recorded relative to the vector file), never \
                written. SFrame streams give SFrame vectors (suite, KID, counter). Check the result with \
                "framecrypt vectors verify". \(ExitStatusDocs.sentence(.vectorsExport))
                """
        )

        @Argument(help: ArgumentHelp("The encrypted media file.", valueName: "input"))
        var input: String

        @Option(name: .shortAndLong, help: ArgumentHelp("The vector file to write (JSON).", valueName: "output"))
        var output: String

        @OptionGroup(title: "Keys")
        var keys: KeyOptions

        @Option(help: ArgumentHelp("Ring slot for a key from the environment or stdin.", valueName: "n"))
        var keyIndex = 0

        @Option(help: ArgumentHelp("Export at most this many frames of each stream, from the first.", valueName: "n"))
        var frames: Int?

        @Option(
            help: ArgumentHelp("Only these streams (comma-separated indices, e.g. 0,2).", valueName: "list"),
            transform: StreamList.parse
        )
        var streams: StreamList?

        @Option(help: ArgumentHelp("Ratchet steps the receiver tries beyond its stored key.", valueName: "n"))
        var ratchetWindow = FrameDecryptor.defaultRatchetWindow

        @Option(help: ArgumentHelp("The room's server-injected-frame trailer (hex).", valueName: "hex"))
        var sifTrailer: String?

        @Flag(help: "Overwrite the output if it exists.")
        var force = false

        @Flag(help: "Print the summary as JSON on standard output.")
        var json = false

        @Flag(name: .shortAndLong, help: "Print nothing but errors.")
        var quiet = false

        func validate() throws {
            if let frames, frames < 1 { throw ValidationError("--frames must be 1 or more.") }
            guard ratchetWindow >= 0 else { throw ValidationError("--ratchet-window must be 0 or more.") }
            if let sifTrailer, ServerInjectedTrailer.bytes(hex: sifTrailer) == nil {
                throw ValidationError("--sif-trailer must be non-empty hex.")
            }
        }

        func run() throws {
            let report = try runReportingErrors { () throws(FrameCryptError) in
                try VectorExport.run(
                    VectorExportRequest(
                        input: input,
                        output: output,
                        overwrite: force,
                        keys: try keys.keySet(keyIndex: keyIndex),
                        keyFile: keys.keyFile.map { VectorExport.relativePath(of: $0, from: output) },
                        participants: keys.assignment,
                        streams: streams?.indices,
                        maxFrames: frames,
                        ratchetWindow: ratchetWindow,
                        serverInjectedTrailer: sifTrailer.flatMap(ServerInjectedTrailer.bytes(hex:))
                    )
                )
            }
            if json {
                try printJSON(report)
            } else if !quiet {
                let total = report.vectorsPerStream.values.reduce(0, +)
                let states = report.states.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                print("\(output): \(total) vectors (\(states.joined(separator: ", ")))")
            }
        }
    }
}
