import Foundation
import FrameCryptTestSupport
import Testing

/// `inspect --html`, loaded in headless Chromium (Debian's `chromium`, which `make test` installs):
/// the page renders without script errors and shows what the JSON report holds.
@Suite("inspect --html in Chromium")
struct InspectPageTests {
    /// The DOM after the page's script ran, as Chromium serialises it.
    static func renderedDOM(_ page: String, fragment: String = "") throws -> String {
        let profile = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: profile) }
        let result = try CommandRunner.system(
            "chromium",
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)",
                "--dump-dom", URL(fileURLWithPath: page).absoluteString + fragment,
            ]
        )
        try #require(
            result.status == 0,
            "chromium could not load the page (make test installs it): \(result.standardError)"
        )
        return result.standardOutput
    }

    /// The value of `attribute` in every start tag that matches `tag` (e.g. `section class="stream"`).
    static func attributes(_ attribute: String, of tag: String, in dom: String) -> [String] {
        dom.components(separatedBy: "<" + tag).dropFirst().compactMap { element in
            let head = element.prefix { $0 != ">" }
            guard let range = head.range(of: " \(attribute)=\"") else { return nil }
            return String(head[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    @Test("a file with findings, with keys: every stream, finding and SDK verdict the JSON holds is on the page")
    func pageHoldsTheReport() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = Fixtures.path("cryptor/corrupted.mp4")
        let keys = ["--key-file", Fixtures.keys("../cryptor/keys/shared.json")]
        let page = folder.appendingPathComponent("report.html").path
        let made = try CommandRunner.framecrypt(["inspect", input, "--html", page, "--json"] + keys)
        #expect(made.status == 0, "\(made.standardError)")
        let report = try ReportJSON.decode(ReportJSON.Inspection.self, from: made)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        for outside in ["http://", "https://", " src=", "<link", "@import"] {
            #expect(!html.contains(outside), "the page reaches outside itself: \(outside)")
        }

        let dom = try Self.renderedDOM(page)
        #expect(Self.attributes("data-rendered", of: "body", in: dom) == ["ok"])
        #expect(Self.attributes("data-findings", of: "body", in: dom) == [String(report.findings.count)])
        #expect(
            Self.attributes("data-index", of: "section class=\"stream\"", in: dom)
                == report.streams.map { String($0.index) }
        )
        #expect(
            Self.attributes("data-frames", of: "section class=\"stream\"", in: dom)
                == report.streams.map { String($0.frames) }
        )
        #expect(
            Self.attributes("data-encrypted", of: "section class=\"stream\"", in: dom)
                == report.streams.map { String($0.encryptedFrames) }
        )
        #expect(Self.attributes("data-drawn", of: "canvas", in: dom) == report.streams.map { String($0.frames) })
        #expect(Self.attributes("data-code", of: "li class=\"finding\"", in: dom) == report.findings.map(\.code))
        #expect(
            Self.attributes("data-frame", of: "a href", in: dom).count
                >= report.findings.reduce(0) { $0 + $1.frames.count }
        )

        let verify = try CommandRunner.framecrypt(
            ["verify-keys", input, "--json"] + keys
                + ["native", "js", "swift", "android", "flutter", "rust", "videosdk"]
                .flatMap { ["--receiver", $0] }
        )
        let verdicts = try ReportJSON.decode(ReportJSON.KeyVerification.self, from: verify).receivers ?? []
        let expected = verdicts.flatMap { stream in
            stream.receivers.map { "\(stream.index):\($0.receiver):\($0.firstFailure == nil ? "yes" : "no")" }
        }
        let shown = zip(
            zip(
                Self.attributes("data-stream", of: "tr class=\"receiver", in: dom),
                Self.attributes("data-receiver", of: "tr class=\"receiver", in: dom)
            ),
            Self.attributes("data-decrypts", of: "tr class=\"receiver", in: dom)
        ).map { "\($0.0):\($0.1):\($1)" }
        #expect(shown == expected)
        #expect(expected.count == 14)
    }

    @Test("a link to a frame selects it; a finding's frame shows its record")
    func frameLink() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html").path
        let made = try CommandRunner.framecrypt(["inspect", Fixtures.path("cryptor/corrupted.mp4"), "--html", page])
        #expect(made.status == 0, "\(made.standardError)")
        let dom = try Self.renderedDOM(page, fragment: "#frame-1-20")
        #expect(Self.attributes("data-frame", of: "div id=\"detail\"", in: dom) == ["20"])
        #expect(dom.contains("state: malformed"))
    }

    @Test("an SFrame file with keys: the page is written, without SDK verdicts (the SDKs are FrameCryptor's)")
    func sframeWithKeys() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sealed = folder.appendingPathComponent("sframe.mkv").path
        let keys = ["--key-file", Fixtures.keys("sframe-shared.json")]
        let made = try CommandRunner.framecrypt(["encrypt", Fixtures.media("opus.ogg"), "-o", sealed] + keys)
        #expect(made.status == 0, "\(made.standardError)")
        let page = folder.appendingPathComponent("report.html").path
        let inspected = try CommandRunner.framecrypt(["inspect", sealed, "--html", page] + keys)
        #expect(inspected.status == 0, "\(inspected.standardError)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(!html.contains("\"receivers\":["))
        #expect(html.contains("\"scheme\":\"sframe\""))
    }

    @Test("the page is written whole or not at all: an existing page is kept without --force, keys need --html")
    func refusals() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html").path
        try Data("kept".utf8).write(to: URL(fileURLWithPath: page))
        let exists = try CommandRunner.framecrypt(["inspect", Fixtures.media("vp8-opus.webm"), "--html", page])
        #expect(exists.status == 80)
        #expect(try String(contentsOfFile: page, encoding: .utf8) == "kept")
        let keysAlone = try CommandRunner.framecrypt([
            "inspect", Fixtures.media("vp8-opus.webm"), "--key-file", Fixtures.keys("shared.json"),
        ])
        #expect(keysAlone.status == 64)
        let missing = try CommandRunner.framecrypt([
            "inspect", "/nonexistent.webm", "--html", folder.appendingPathComponent("none.html").path,
        ])
        #expect(missing.status == 66)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("none.html").path))
    }
}
