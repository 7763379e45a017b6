import ArgumentParser
import FrameCryptCore
import FrameCryptKit

extension FrameCrypt.Vectors {
    /// `framecrypt vectors verify FILE.json`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every vector in a vector file, encrypting and decrypting.",
            discussion: """
                Reads framecrypt's profile vectors (a "vectors" array), the published FrameCryptor vectors \
                ("kdf", "ratchet_chain", "frames", "sif_sha256") or the RFC 9605 SFrame vectors ("header": \
                encode and strict decode; "aes_ctr_hmac": seal and open; "sframe": labels, HKDF secret, key, \
                salt, nonce, AAD, encrypt and decrypt). Each frame vector is encrypted from its \
                plaintext with the given key, KDF, salt, key index, SSRC, RTP timestamp and send count and \
                must give encryptedHex exactly; encryptedHex is decrypted by a receiver holding the original \
                key (through its ratchet window of 16) and must give plaintextHex. Exported vectors (framecrypt vectors \
                export) reference their keys in a key file, may start the receiver some ratchet steps ahead, \
                and may expect a failure state or a server-injected frame; those are checked as a receiver. Prints a line per vector \
                and "N passed, M failed". \(ExitStatusDocs.sentence(.vectorsVerify))
                """
        )

        @Argument(help: "The vector file (JSON).")
        var file: String

        @OptionGroup(
            title:
                "Keys for exported vectors' keyRef fields (default: the vector file's own \"keyFile\", relative to it)"
        )
        var keys: KeySourceOptions

        @Flag(help: "Print a machine-readable JSON report instead of text.")
        var json = false

        func run() throws {
            let report = try runReportingErrors { () throws(FrameCryptError) in
                try VectorVerifier.verify(
                    file: file,
                    keys: try keys.source.map { (source) throws(FrameCryptError) in try source.load(keys.settings) }
                )
            }
            if json {
                try printJSON(report)
            } else {
                for result in report.results {
                    let failures = result.checks.compactMap { check in check.detail.map { "\(check.check): \($0)" } }
                    let label = "\(result.section)/\(result.id)"
                    print(result.passed ? "PASS  \(label)" : "FAIL  \(label): \(failures.joined(separator: "; "))")
                }
                print("\(report.passedCount) passed, \(report.failedCount) failed")
            }
            if report.failedCount > 0 {
                throw ExitCode(ExitStatus.failure)
            }
        }
    }
}
