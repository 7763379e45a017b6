package import Foundation
import FrameCryptCrypto

/// Reads key files (docs/KEYS.md):
///
/// ```json
/// { "kdf": "pbkdf2", "ratchetSalt": "LKFrameEncryptionKey", "keyRingSize": 16, "keyBits": 128,
///   "sharedKey": {"text": "…"},
///   "participants": { "alice": {"hex": "…"}, "bob": [ {"index": 0, "text": "…"}, {"index": 1, "base64": "…"} ] } }
/// ```
///
/// SFrame keys (`"scheme": "sframe"`) take `"cipherSuite"` instead of the KDF fields, and each key
/// may set its own KID (`{"hex": "…", "kid": 291}`).
///
/// Exactly one of `sharedKey` and `participants`; everything else is optional. Unknown fields, bad
/// encodings and empty keys are errors naming the field, never showing the material.
package enum KeyFile {
    private static let topLevelFields: Set = [
        "scheme", "cipherSuite", "kdf", "ratchetSalt", "keyRingSize", "keyBits", "sharedKey", "participants",
    ]
    private static let frameCryptorFields = ["kdf", "ratchetSalt", "keyBits"]
    private static let encodings: Set = ["text", "hex", "base64"]

    /// Loads the key file at `path`.
    ///
    /// - Throws: ``FrameCryptError`` `.inputMissing` for a missing file, `.malformedInput` for anything
    ///   wrong inside it.
    package static func load(path: String) throws(FrameCryptError) -> KeySet {
        try keySet(in: JSONField(root: try JSONValue.load(path: path), file: path))
    }

    /// Reads a key file's contents, read from `source` (which errors name).
    ///
    /// - Throws: ``FrameCryptError`` `.malformedInput` for anything wrong in `contents`.
    package static func parse(_ contents: Data, source: String) throws(FrameCryptError) -> KeySet {
        try keySet(in: JSONField(root: try JSONValue.parse(contents, source: source), file: source))
    }

    private static func keySet(in root: JSONField) throws(FrameCryptError) -> KeySet {
        try root.rejectUnknownFields(allowed: topLevelFields)
        let scheme = try root.optional("scheme")?.choice(EncryptionScheme.self)
        let sframe = scheme == .sframe
        let present = try root.keys()
        if sframe, let field = frameCryptorFields.first(where: present.contains) {
            throw root.error("\"\(field)\" applies to webrtc-framecryptor keys, not sframe")
        }
        if !sframe && present.contains("cipherSuite") {
            throw root.error("\"cipherSuite\" needs \"scheme\": \"sframe\"")
        }
        let suite = present.contains("cipherSuite") ? try root.sframeSuite("cipherSuite") : nil
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
            entries = try keys(in: shared, ringSize: ringSize, participant: nil, sframe: sframe)
            return KeySet(
                mode: .shared,
                scheme: scheme,
                cipherSuite: suite,
                parameters: parameters,
                ringSize: ringSize,
                entries: entries
            )
        case (nil, let participants?):
            let ids = try participants.keys()
            guard !ids.isEmpty else { throw participants.error("no participants") }
            for id in ids {
                guard !id.isEmpty else { throw participants.error("a participant id is empty") }
                entries += try keys(in: try participants.field(id), ringSize: ringSize, participant: id, sframe: sframe)
            }
            return KeySet(
                mode: .perParticipant,
                scheme: scheme,
                cipherSuite: suite,
                parameters: parameters,
                ringSize: ringSize,
                entries: entries
            )
        case (nil, nil):
            throw root.error("needs \"sharedKey\" or \"participants\"")
        case (.some, .some):
            throw root.error("has both \"sharedKey\" and \"participants\"; use one")
        }
    }

    /// A key (at index 0) or a list of keys with their ring index; SFrame keys may carry a KID.
    private static func keys(
        in field: JSONField,
        ringSize: Int,
        participant: String?,
        sframe: Bool
    ) throws(FrameCryptError) -> [KeySet.Entry] {
        let keyFields = sframe ? encodings.union(["kid"]) : encodings
        guard case .array = field.value else {
            try field.rejectUnknownFields(allowed: keyFields)
            return [try entry(field, index: 0, participant: participant)]
        }
        let elements = try field.array()
        guard !elements.isEmpty else { throw field.error("no keys") }
        var seen: Set<Int> = []
        var keyIDs: Set<UInt64> = []
        var entries: [KeySet.Entry] = []
        for element in elements {
            try element.rejectUnknownFields(allowed: keyFields.union(["index"]))
            let index = try element.field("index").integer(in: 0...(ringSize - 1))
            guard seen.insert(index).inserted else { throw element.error("key index \(index) is given twice") }
            let entry = try entry(element, index: index, participant: participant)
            if let keyID = entry.keyID, !keyIDs.insert(keyID).inserted {
                throw element.error("KID \(keyID) is given twice")
            }
            entries.append(entry)
        }
        return entries
    }

    private static func entry(_ field: JSONField, index: Int, participant: String?) throws(FrameCryptError)
        -> KeySet.Entry
    {
        let (material, isText) = try field.keyMaterial()
        return KeySet.Entry(
            participant: participant,
            index: index,
            material: material,
            isText: isText,
            keyID: try field.optional("kid")?.unsigned64()
        )
    }
}
