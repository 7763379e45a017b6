import Foundation

/// A regular file's size and modification time.
package struct FileStatus {
    package let size: Int64
    package let modified: Double

    /// nil when `path` is not a readable regular file.
    package init?(_ path: String) {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        size = Int64(status.st_size)
        modified = Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
    }
}
