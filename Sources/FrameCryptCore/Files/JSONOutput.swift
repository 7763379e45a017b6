package import Foundation

/// JSON as framecrypt writes it to files: sorted keys, indented, a final newline, and put in place
/// only once complete.
package enum JSONOutput {
    /// `value` as sorted, indented JSON with a final newline.
    package static func encode(_ value: some Encodable) throws(FrameCryptError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value) + Data("\n".utf8)
        } catch {
            throw FrameCryptError(.internalFailure, "cannot encode JSON: \(error)", cause: error)
        }
    }

    /// Writes `data` to `path` through a temporary file renamed into place, created with `mode`.
    ///
    /// - Throws: ``FrameCryptError`` `.outputExists` when `path` exists and `overwrite` is false,
    ///   `.outputFailure` when it cannot be written.
    package static func write(
        _ data: Data,
        to path: String,
        overwrite: Bool = true,
        mode: mode_t = 0o666
    ) throws(FrameCryptError) {
        let output = try OutputFile(target: path, overwrite: overwrite)
        try output.write(data, mode: mode)
        try output.commit()
    }
}
