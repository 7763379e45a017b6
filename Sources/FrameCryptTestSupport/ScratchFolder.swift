public import Foundation

/// A new empty folder for one test's files: its paths, and its removal when the test ends.
public struct ScratchFolder: Sendable {
    public let url: URL

    public init() throws {
        url = try Fixtures.temporaryDirectory()
    }

    /// The path of `name` inside the folder.
    public func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// The names directly inside `name` (the folder itself when empty), hidden ones included, sorted.
    public func names(in name: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: name.isEmpty ? url.path : path(name)).sorted()
    }

    /// Removes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
