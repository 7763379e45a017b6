import Foundation
public import FrameCryptKit

/// Files of the repository the targets load once at start: key files, never inputs.
public enum FuzzFixtures {
    /// The repository's root, found from this source file's place in it (Fuzz/Sources/FuzzSupport/).
    public static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The key set in the key file at `path`, relative to the repository's root. A target cannot
    /// run without its keys, so a failure stops it.
    public static func keySet(_ path: String) -> KeySet {
        do {
            return try KeyFile.load(path: "\(root)/\(path)")
        } catch {
            fatalError("fuzz set-up: \(error)")
        }
    }
}
