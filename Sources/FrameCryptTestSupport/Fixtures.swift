package import Foundation

/// Locates files under the package's `Fixtures/` folder from any test, through this file's path
/// (SwiftPM resources must sit inside a target, fixtures are shared by all of them).
package enum Fixtures {
    /// The package's root folder.
    package static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // FrameCryptTestSupport
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()

    /// The path of `relativePath` under `Fixtures/`.
    package static func path(_ relativePath: String) -> String {
        packageRoot.appendingPathComponent("Fixtures").appendingPathComponent(relativePath).path
    }

    /// The path of a vector file under `Fixtures/vectors/`.
    package static func vectors(_ name: String) -> String {
        path("vectors/\(name)")
    }

    /// The path of a clip under `Fixtures/media/`.
    package static func media(_ name: String) -> String {
        path("media/\(name)")
    }

    /// The path of a recording under `Fixtures/realworld/media/`.
    package static func realWorld(_ name: String) -> String {
        path("realworld/media/\(name)")
    }

    /// A file of `Fixtures/receivers/` (the receiver-profile fixtures), key files made private first.
    package static func receivers(_ name: String) -> String {
        PrivateKeyFiles.prepared
        return path("receivers/\(name)")
    }

    /// A key file in `Fixtures/keys/`.
    package static func keys(_ name: String) -> String {
        PrivateKeyFiles.prepared
        return path("keys/\(name)")
    }

    /// The clips of `Fixtures/media/` that `make-media.sh` makes, one per codec and container.
    package static let mediaFiles = [
        "vp8-opus.webm", "vp9-opus.webm", "h264-aac.mp4", "h264-bframes-opus.mkv", "h265-aac.mp4", "av1-opus.mp4",
        "opus.ogg", "two-participants.mkv", "h264-small-slices.mp4",
    ]

    /// The parsed JSON of a vector file.
    package static func vectorJSON(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: vectors(name)))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return object
    }

    /// A new empty folder for one test's files, removed by the caller with `removeItem`.
    package static func temporaryDirectory() throws -> URL {
        PrivateKeyFiles.prepared
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("framecrypt-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Expected outputs kept as files beside the tests that check them (`Snapshots/NAME` next to the
/// test file), as swift-argument-parser's own tests keep help texts. `RECORD_SNAPSHOTS=1` rewrites
/// them from what the code prints now; review the diff before committing it.
package enum Snapshot {
    /// The snapshot `name` of the test file `testFile`; when recording, `actual` becomes it.
    package static func expected(_ actual: String, named name: String, testFile: String = #filePath) throws -> String {
        let url = URL(fileURLWithPath: testFile).deletingLastPathComponent()
            .appendingPathComponent("Snapshots").appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(actual.utf8).write(to: url)
            return actual
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
