import Glibc

/// The rule ssh applies to private keys, applied to key files: a regular file that its group or
/// other users may read, write or execute is refused.
package enum KeyFileCustody {
    /// - Throws: ``FrameCryptError`` `.malformedInput` for a key file open to group or others;
    ///   nothing for a missing file (reading it reports that) or a pipe (`<(command)`, `/dev/stdin`).
    package static func requirePrivate(_ path: String) throws(FrameCryptError) {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return }
        let permissions = status.st_mode & 0o777
        guard permissions & 0o077 == 0 else {
            throw FrameCryptError(
                .malformedInput,
                "\(path): permissions \(String(permissions, radix: 8).leftPadded(to: 4)) are too open; a key file must not be accessible by group or others (chmod 600 \(path))",
                remedy: .allowSharedKeyFile
            )
        }
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
