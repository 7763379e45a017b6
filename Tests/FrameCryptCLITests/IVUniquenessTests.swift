import Foundation
import FrameCryptTestSupport
import Testing

/// No (key, IV) pair ever repeats: encrypting the same input again and again under one key, across
/// every stream of a multi-participant file, gives a new IV (FrameCryptor) or a new (KID, CTR)
/// (SFrame, whose per-KID key is derived from the KID) for every frame. `--seed`, which repeats
/// them on purpose for fixtures, says so.
@Suite("IV uniqueness")
struct IVUniquenessTests {
    let folder: ScratchFolder

    init() throws {
        folder = try ScratchFolder()
    }

    /// Encrypts `media` under `keyFile` and returns the (key, nonce) of every encrypted frame, as
    /// `inspect --frames` reads them from the file.
    func nonces(of media: String, keyFile: String, run: Int, extra: [String] = []) throws -> [String] {
        let ext = URL(fileURLWithPath: media).pathExtension
        let output = folder.path("run-\(run).\(ext)")
        let encrypted = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media(media), "-o", output, "-q", "--force", "--key-file", keyFile] + extra
        )
        try #require(encrypted.status == 0, "\(encrypted.standardError)")
        let inspected = try CommandRunner.framecrypt(["inspect", output, "--json", "--frames"])
        let report = try ReportJSON.decode(ReportJSON.Inspection.self, from: inspected)
        #expect(!report.findings.contains { ["nonce-reuse", "counter-repeat"].contains($0.code) })
        return try #require(report.frames).filter { $0.state == "encrypted" }.map { frame in
            if let kid = frame.kid, let counter = frame.ctr {
                return "KID \(kid) CTR \(counter)"
            }
            return "key index \(frame.keyIndex ?? -1) IV \(frame.iv ?? "")"
        }
    }

    @Test("30 encryptions of four streams under one shared key: every IV is new")
    func frameCryptor() throws {
        defer { folder.remove() }
        var seen: [String: Int] = [:]
        var total = 0
        for run in 0..<30 {
            let media = ["two-participants.mkv", "h264-aac.mp4", "vp8-opus.webm"][run % 3]
            for nonce in try nonces(of: media, keyFile: Fixtures.keys("shared.json"), run: run) {
                seen[nonce, default: 0] += 1
                total += 1
            }
        }
        #expect(total > 4000)
        let repeated = seen.filter { $0.value > 1 }
        #expect(repeated.isEmpty, "\(repeated.count) IVs repeat, such as \(repeated.first?.key ?? "")")
    }

    @Test("15 SFrame encryptions under one base key: every (KID, CTR) is new")
    func sframe() throws {
        defer { folder.remove() }
        var seen: Set<String> = []
        var total = 0
        for run in 0..<15 {
            for nonce in try nonces(of: "vp8-opus.webm", keyFile: Fixtures.keys("sframe-shared.json"), run: run) {
                #expect(seen.insert(nonce).inserted, "\(nonce) repeats in run \(run)")
                total += 1
            }
        }
        #expect(total > 1000)
    }

    @Test("--seed warns that it is for fixtures, because two seeded runs repeat every IV")
    func seedWarns() throws {
        defer { folder.remove() }
        let first = try nonces(
            of: "vp8-opus.webm",
            keyFile: Fixtures.keys("shared.json"),
            run: 0,
            extra: ["--seed", "9"]
        )
        let second = try nonces(
            of: "vp8-opus.webm",
            keyFile: Fixtures.keys("shared.json"),
            run: 1,
            extra: ["--seed", "9"]
        )
        #expect(!first.isEmpty && first == second)
        let warned = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("opus.ogg"), "-o", folder.path("seeded.ogg"), "-q", "--seed", "9"]
                + ["--key-file", Fixtures.keys("shared.json")]
        )
        #expect(warned.status == 0)
        #expect(
            warned.standardError
                == "framecrypt: warning: --seed is for test fixtures only: every run with this seed and key repeats the same IVs (AES-GCM nonces)\n"
        )
        let unseeded = try CommandRunner.framecrypt(
            [
                "encrypt", Fixtures.media("opus.ogg"), "-o", folder.path("plain.ogg"), "-q", "--key-file",
                Fixtures.keys("shared.json"),
            ]
        )
        #expect(unseeded.standardError.isEmpty)
    }
}
