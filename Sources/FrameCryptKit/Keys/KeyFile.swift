import FrameCryptCrypto

/// Reads key files (docs/KEYS.md):
///
/// ```json
/// { "kdf": "pbkdf2", "ratchetSalt": "LKFrameEncryptionKey", "keyRingSize": 16, "keyBits": 128,
///   "sharedKey": {"text": "…"},
///   "participants": { "alice": {"hex": "…"}, "bob": [ {"index": 0, "text": "…"}, {"index": 1, "base64": "…"} ] } }
/// ```
///
/// Exactly one of `sharedKey` and `participants`; everything else is optional. Unknown fields, bad
/// encodings and empty keys are errors naming the field, never showing the material.
public enum KeyFile {
    private static let topLevelFields: Set = [
        "kdf", "ratchetSalt", "keyRingSize", "keyBits", "sharedKey", "participants",
    ]
    private static let encodings: Set = ["text", "hex", "base64"]

    /// Loads the key file at `path`.
    ///
    /// - Throws: ``FrameCryptError`` `.inputMissing` for a missing file, `.malformedInput` for anything
    ///   wrong inside it.
    public static func load(path: String) throws(FrameCryptError) -> KeySet {
        let root = JSONField(root: try JSONValue.load(path: path), file: path)
        try rejectUnknownFields(of: root, allowed: topLevelFields)
        let function = try root.optional("kdf")?.choice(KeyDerivationFunction.self) ?? .pbkdf2
        let salt = try root.optional("ratchetSalt")?.string() ?? KeyDerivationParameters.defaultRatchetSalt
        let keyBits = try root.optional("keyBits")?.integer(in: 128...256) ?? 128
        let parameters = try root.derivationParameters(
            function: function,
            ratchetSalt: Array(salt.utf8),
            keyBits: keyBits
        )
        let ringSize = try root.optional("keyRingSize")?.integer(in: KeyRing.allowedSizes) ?? KeyRing.defaultSize

        let shared = try root.optional("sharedKey")
        let participants = try root.optional("participants")
        var entries: [KeySet.Entry] = []
        switch (shared, participants) {
        case (let shared?, nil):
            entries = try keys(in: shared, ringSize: ringSize, participant: nil)
            return KeySet(mode: .shared, parameters: parameters, ringSize: ringSize, entries: entries)
        case (nil, let participants?):
            let ids = try participants.keys()
            guard !ids.isEmpty else { throw participants.error("no participants") }
            for id in ids {
                guard !id.isEmpty else { throw participants.error("a participant id is empty") }
                entries += try keys(in: try participants.field(id), ringSize: ringSize, participant: id)
            }
            return KeySet(mode: .perParticipant, parameters: parameters, ringSize: ringSize, entries: entries)
        case (nil, nil):
            throw root.error("needs \"sharedKey\" or \"participants\"")
        case (.some, .some):
            throw root.error("has both \"sharedKey\" and \"participants\"; use one")
        }
    }

    /// A key (at index 0) or a list of keys with their ring index.
    private static func keys(in field: JSONField, ringSize: Int, participant: String?) throws(FrameCryptError)
        -> [KeySet.Entry]
    {
        if case .array = field.value {
            let elements = try field.array()
            guard !elements.isEmpty else { throw field.error("no keys") }
            var seen: Set<Int> = []
            var entries: [KeySet.Entry] = []
            for element in elements {
                try rejectUnknownFields(of: element, allowed: encodings.union(["index"]))
                let index = try element.field("index").integer(in: 0...(ringSize - 1))
                guard seen.insert(index).inserted else { throw element.error("key index \(index) is given twice") }
                entries.append(
                    KeySet.Entry(participant: participant, index: index, material: try element.keyMaterial())
                )
            }
            return entries
        }
        try rejectUnknownFields(of: field, allowed: encodings)
        return [KeySet.Entry(participant: participant, index: 0, material: try field.keyMaterial())]
    }

    private static func rejectUnknownFields(of field: JSONField, allowed: Set<String>) throws(FrameCryptError) {
        if let unknown = try field.keys().first(where: { !allowed.contains($0) }) {
            throw field.error("unknown field \"\(unknown)\"")
        }
    }
}
