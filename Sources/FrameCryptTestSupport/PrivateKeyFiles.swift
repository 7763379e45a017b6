import Foundation

/// framecrypt refuses key files that group or others may read, as ssh refuses private keys. Git does
/// not keep that mode and tests write key files with Foundation's default one, so before the first
/// command runs the test process creates its files private (umask 077) and the bundled key files are
/// made 0600.
enum PrivateKeyFiles {
    static let prepared: Void = {
        umask(0o077)
        for folder in ["keys", "cryptor/keys", "receivers/keys"] {
            let path = Fixtures.path(folder)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] where name.hasSuffix(".json")
            {
                chmod("\(path)/\(name)", 0o600)
            }
        }
    }()
}
