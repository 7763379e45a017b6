package import Foundation

/// A new empty folder for one test's files: its paths, and its removal when the test ends.
package struct ScratchFolder: Sendable {
    package let url: URL

    package init() throws {
        url = try Fixtures.temporaryDirectory()
    }

    /// The path of `name` inside the folder.
    package func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// The names directly inside `name` (the folder itself when empty), hidden ones included, sorted.
    package func names(in name: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: name.isEmpty ? url.path : path(name)).sorted()
    }

    /// Removes the folder and everything in it.
    package func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
