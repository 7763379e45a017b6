import Foundation
package import FrameCryptCore
import FrameCryptKit

/// A job manifest: JSON Lines, one job per line, for batches whose jobs differ (docs/BATCH.md).
///
/// Each line is an object with `input` and optionally `output`, one key source (`keyFile`,
/// `keyCommand` or `keyUrl`), `participant` and `map` (`{"0": "alice"}`); relative paths are read
/// from the manifest's folder. Blank lines are skipped.
package enum BatchManifest {
    private static let fields: Set = ["input", "output", "keyFile", "keyCommand", "keyUrl", "participant", "map"]
    private static let keyFields = ["keyFile", "keyCommand", "keyUrl"]

    /// The jobs of the manifest at `path`, in line order. A line without `output` writes to
    /// `outputFolder` under `template` (or nothing, when there is no output folder).
    ///
    /// - Throws: ``FrameCryptError`` `.inputMissing` when the manifest cannot be read,
    ///   `.malformedInput` naming the line and field at fault.
    package static func load(
        path: String,
        outputFolder: String?,
        template: OutputNameTemplate,
        outputExtension: String?
    ) throws(FrameCryptError) -> [BatchJob] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let missing = !FileManager.default.fileExists(atPath: path)
            throw FrameCryptError(.inputMissing, "\(path): \(missing ? "no such file" : "cannot be read")")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var jobs: [BatchJob] = []
        for (number, line) in String(decoding: data, as: UTF8.self).split(
            separator: "\n",
            omittingEmptySubsequences: false
        ).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let origin = "\(path):\(number + 1)"
            let value: JSONValue
            do {
                value = try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
            } catch {
                throw FrameCryptError(.malformedInput, "\(origin): not a JSON object")
            }
            jobs.append(
                try job(
                    JSONField(root: value, file: origin),
                    base: base,
                    outputFolder: outputFolder,
                    template: template,
                    outputExtension: outputExtension
                )
            )
        }
        return jobs
    }

    private static func job(
        _ line: JSONField,
        base: String,
        outputFolder: String?,
        template: OutputNameTemplate,
        outputExtension: String?
    ) throws(FrameCryptError) -> BatchJob {
        try line.rejectUnknownFields(allowed: fields)
        let written = try line.field("input").nonEmptyString()
        let input = resolve(written, in: base)
        var output = try line.optional("output").map { (field) throws(FrameCryptError) in
            resolve(try field.nonEmptyString(), in: base)
        }
        if output == nil, let outputFolder {
            let relative = written.hasPrefix("/") ? URL(fileURLWithPath: written).lastPathComponent : written
            output = BatchInputs.join(
                outputFolder,
                template.render(relativeInput: relative, outputExtension: outputExtension)
            )
        }
        let participant = try line.optional("participant")?.nonEmptyString()
        var byStream: [Int: String] = [:]
        if let map = try line.optional("map") {
            for key in try map.keys() {
                guard let stream = Int(key), stream >= 0 else {
                    throw map.error("\"\(key)\" is not a stream index")
                }
                byStream[stream] = try map.field(key).nonEmptyString()
            }
        }
        let given = try line.keys().filter(keyFields.contains)
        guard given.count <= 1 else {
            throw line.error("give one of \"keyFile\", \"keyCommand\" and \"keyUrl\", not \(given.count)")
        }
        var keySource: KeySource?
        if let path = try line.optional("keyFile")?.nonEmptyString() {
            keySource = .file(resolve(path, in: base))
        } else if let command = try line.optional("keyCommand")?.nonEmptyString() {
            keySource = .command(command)
        } else if let url = try line.optional("keyUrl")?.nonEmptyString() {
            keySource = .url(url)
        }
        return BatchJob(
            input: input,
            output: output,
            keySource: keySource,
            participants: participant != nil || !byStream.isEmpty
                ? ParticipantAssignment(defaultParticipant: participant, byStream: byStream) : nil,
            origin: line.file
        )
    }

    /// `path` as written in the manifest, read from the manifest's folder when relative.
    private static func resolve(_ path: String, in base: String) -> String {
        path.hasPrefix("/") ? path : BatchInputs.join(base, path)
    }
}

extension JSONField {
    /// A string that is not empty.
    fileprivate func nonEmptyString() throws(FrameCryptError) -> String {
        let text = try string()
        guard !text.isEmpty else { throw error("is empty") }
        return text
    }
}
