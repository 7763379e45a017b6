import Foundation

@testable import FrameCryptCore

/// Files of the repository the targets load once at start: key files, never inputs.
package enum FuzzFixtures {
    /// The repository's root, found from this source file's place in it (Fuzz/Sources/FuzzSupport/).
    package static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The key set in the key file at `path`, relative to the repository's root. A target cannot
    /// run without its keys, so a failure stops it.
    package static func keySet(_ path: String) -> KeySet {
        do {
            return try KeyFile.load(path: "\(root)/\(path)")
        } catch {
            fatalError("fuzz set-up: \(error)")
        }
    }

    /// The ring the key file at `path` gives a receiver (participant "fuzz" of a shared key).
    package static func keyRing(_ path: String) -> KeyRing {
        do {
            guard let ring = try keySet(path).makeProvider().keyRing(for: "fuzz") else {
                fatalError("fuzz set-up: \(path) has no shared key")
            }
            return ring
        } catch {
            fatalError("fuzz set-up: \(error)")
        }
    }
}
