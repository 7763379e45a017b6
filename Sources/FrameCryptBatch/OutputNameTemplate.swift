import Foundation
package import FrameCryptCore
import FrameCryptKit

/// How a batch names each output inside the output folder, e.g. `{dir}/{stem}.enc.{ext}`.
///
/// `{dir}` is the input's folder relative to the folder that was given (empty for inputs named
/// one by one), `{name}` the input's file name, `{stem}` the name without its extension and `{ext}`
/// the output's extension (`--format`'s, else the input's).
package struct OutputNameTemplate: Sendable {
    private static let placeholders: Set = ["dir", "name", "stem", "ext"]

    /// The template as given.
    package let text: String

    /// - Throws: ``FrameCryptError`` `.invalidArgument` for an unknown or unclosed placeholder,
    ///   an absolute path, or a template that does not use the input's name; the message starts
    ///   with `text`.
    package init(_ text: String) throws(FrameCryptError) {
        var rest = Substring(text)
        var used: Set<String> = []
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw FrameCryptError(.invalidArgument, "\(text): a \"{\" is never closed")
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard Self.placeholders.contains(name) else {
                throw FrameCryptError(
                    .invalidArgument,
                    "\(text): unknown placeholder {\(name)} (use {dir}, {name}, {stem} or {ext})"
                )
            }
            used.insert(name)
            rest = rest[rest.index(after: close)...]
        }
        guard !text.hasPrefix("/") else {
            throw FrameCryptError(.invalidArgument, "\(text): must be relative to the output folder")
        }
        guard used.contains("name") || used.contains("stem") else {
            throw FrameCryptError(.invalidArgument, "\(text): must use {name} or {stem}")
        }
        self.text = text
    }

    /// The output path, relative to the output folder, for an input given by its path relative to
    /// the folder it was found in (`{dir}` is that path's folder, empty for a bare file name).
    /// `.` and `..` are dropped, so an output never lands outside the output folder.
    func render(relativeInput: String, outputExtension: String?) -> String {
        let url = URL(fileURLWithPath: relativeInput)
        let folder = (relativeInput as NSString).deletingLastPathComponent
        let rendered =
            text
            .replacingOccurrences(of: "{dir}", with: folder)
            .replacingOccurrences(of: "{name}", with: url.lastPathComponent)
            .replacingOccurrences(of: "{stem}", with: url.deletingPathExtension().lastPathComponent)
            .replacingOccurrences(of: "{ext}", with: outputExtension ?? url.pathExtension)
        return rendered.split(separator: "/").filter { $0 != "." && $0 != ".." }.joined(separator: "/")
    }
}
