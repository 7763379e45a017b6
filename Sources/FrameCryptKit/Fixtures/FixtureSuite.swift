package import Foundation
package import FrameCryptCore

/// The recipe of a regression-fixture suite (`Fixtures/cryptor/suite.json`): for each fixture, the
/// clear media it starts from, its keys, its scenario and how it is encrypted. Paths are relative
/// to the recipe's folder, which is also where the suite is written.
package struct FixtureSuite: Sendable {
    /// One fixture: an encrypted file, its vectors and its manifest entry.
    package struct Entry: Sendable {
        package let id: String
        package let description: String
        /// Clear media, relative to the recipe.
        package let input: String
        /// The key file, relative to the recipe.
        package let keys: String
        /// The scenario file, relative to the recipe; nil for a plain encryption.
        package let scenario: String?
        /// The encrypted file's name (its extension picks the container).
        package let output: String
        package let seed: UInt64
        package let keyIndex: Int
        /// Participant per stream index, for files with several participants.
        package let participants: [Int: String]
        /// Frames per stream exported as vectors; nil for all.
        package let vectorFrames: Int?

        /// The vector file's name.
        package var vectorsFile: String {
            "\(id).vectors.json"
        }
    }

    /// The recipe's path.
    package let path: String
    package let entries: [Entry]

    /// The folder the recipe's paths are relative to.
    package var folder: URL {
        URL(fileURLWithPath: path).deletingLastPathComponent()
    }

    /// `relative` resolved against the recipe's folder.
    package func resolve(_ relative: String) -> String {
        folder.appendingPathComponent(relative).standardizedFileURL.path
    }

    private static let entryFields: Set = [
        "id", "description", "input", "keys", "scenario", "output", "seed", "keyIndex", "participants", "vectorFrames",
    ]

    /// Reads a recipe.
    ///
    /// - Throws: ``FrameCryptError`` naming the field at fault.
    package static func load(path: String) throws(FrameCryptError) -> FixtureSuite {
        let root = JSONField(root: try JSONValue.load(path: path), file: path)
        try root.rejectUnknownFields(allowed: ["_about", "entries"])
        var ids: Set<String> = []
        var seeds: Set<UInt64> = []
        var entries: [Entry] = []
        for field in try root.field("entries").array() {
            try field.rejectUnknownFields(allowed: entryFields)
            var participants: [Int: String] = [:]
            if let map = try field.optional("participants") {
                for key in try map.keys() {
                    guard let stream = Int(key), stream >= 0 else {
                        throw map.error("\"\(key)\" is not a stream index")
                    }
                    participants[stream] = try map.field(key).string()
                }
            }
            let entry = Entry(
                id: try field.field("id").string(),
                description: try field.field("description").string(),
                input: try field.field("input").string(),
                keys: try field.field("keys").string(),
                scenario: try field.optional("scenario")?.string(),
                output: try field.field("output").string(),
                seed: try field.field("seed").unsigned64(),
                keyIndex: try field.optional("keyIndex")?.integer(in: 0...254) ?? 0,
                participants: participants,
                vectorFrames: try field.optional("vectorFrames")?.integer(in: 1...Int.max)
            )
            guard ids.insert(entry.id).inserted else { throw field.error("fixture id \(entry.id) is used twice") }
            guard seeds.insert(entry.seed).inserted else {
                throw field.error("seed \(entry.seed) is used twice (a seed must not be reused with one key)")
            }
            entries.append(entry)
        }
        return FixtureSuite(path: path, entries: entries)
    }
}
