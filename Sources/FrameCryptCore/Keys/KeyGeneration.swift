import Foundation
import FrameCryptCrypto
import FrameCryptFormat

/// New keys from OpenSSL's CSPRNG, written as a key file (`framecrypt keys generate`) or added to
/// one (`framecrypt keys add`). Files are written whole, through a temporary file created with mode
/// 0600 and renamed into place, so a key file is never half written nor readable by others.
package struct KeyGeneration: Sendable {
    /// Who the keys are for: the room (one shared key) or the named participants.
    package enum Holders: Sendable, Equatable {
        case shared
        case participants([String])
    }

    /// Whose keys the file holds.
    package var holders: Holders
    /// 128 or 256: the AES key size, and the random material's size in bits.
    package var keyBits: Int
    /// How the material is written in the file; a text key is random base64url characters.
    package var encoding: KeyEncoding
    /// The scheme the file names (`"scheme": "sframe"` for SFrame; FrameCryptor files name none).
    package var scheme: EncryptionScheme
    /// The key derivation the file names (FrameCryptor keys only).
    package var kdf: KeyDerivationFunction

    package init(
        holders: Holders,
        keyBits: Int = 128,
        encoding: KeyEncoding = .hex,
        scheme: EncryptionScheme = .webrtcFrameCryptor,
        kdf: KeyDerivationFunction = .pbkdf2
    ) {
        self.holders = holders
        self.keyBits = keyBits
        self.encoding = encoding
        self.scheme = scheme
        self.kdf = kdf
    }

    /// Writes a new key file at `path` and describes it.
    ///
    /// - Throws: ``FrameCryptError`` `.invalidArgument` for a key size other than 128 or 256 or a
    ///   bad participant list, `.outputExists` when `path` exists and `overwrite` is false,
    ///   `.outputFailure`/`.writeFailure` when it cannot be written.
    package func write(to path: String, overwrite: Bool) throws(FrameCryptError) -> KeyFileSummary {
        guard keyBits == 128 || keyBits == 256 else {
            throw FrameCryptError(.invalidArgument, "key size must be 128 or 256 bits, not \(keyBits)")
        }
        var file: [String: JSONValue] = [:]
        if scheme == .sframe {
            file["scheme"] = .string(EncryptionScheme.sframe.rawValue)
        } else {
            file["kdf"] = .string(kdf.rawValue)
            file["keyBits"] = .integer(keyBits)
        }
        switch holders {
        case .shared:
            file["sharedKey"] = try newKey()
        case .participants(let ids):
            guard !ids.isEmpty, !ids.contains(where: \.isEmpty), Set(ids).count == ids.count else {
                throw FrameCryptError(.invalidArgument, "participants must be distinct, non-empty ids")
            }
            var participants: [String: JSONValue] = [:]
            for id in ids {
                participants[id] = try newKey()
            }
            file["participants"] = .object(participants)
        }
        return try KeyFileWriting.write(.object(file), to: path, overwrite: overwrite)
    }

    /// Adds a new key at ring index `index` to the key file at `path`, for `participant` (nil: the
    /// shared key), keeping every other field and key as written. A participant the file does not
    /// name yet is added. The key's encoding and size follow the file's.
    ///
    /// - Throws: ``FrameCryptError`` `.malformedInput` for a file that is not a key file or a
    ///   participant given for a shared-key file (or none for a per-participant one),
    ///   `.invalidArgument` for an index outside the ring or already taken (unless `replace`).
    package static func addKey(
        to path: String,
        index: Int,
        participant: String?,
        replace: Bool
    ) throws(FrameCryptError) -> KeyFileSummary {
        let current = try KeyFile.load(path: path)
        guard (0..<current.ringSize).contains(index) else {
            throw FrameCryptError(
                .invalidArgument,
                "\(path): key index \(index) is outside the key ring (size \(current.ringSize))"
            )
        }
        guard case .object(var file) = try JSONValue.load(path: path) else {
            throw FrameCryptError(.malformedInput, "\(path): not a key file")
        }
        let existing = try Self.holderKeys(in: file, of: participant, mode: current.mode, path: path)
        var keys = existing.map(listForm) ?? []
        let taken = keys.firstIndex { $0.index == index }
        if taken != nil && !replace {
            throw FrameCryptError(
                .invalidArgument,
                "\(path): \(participant.map { "participant \($0)" } ?? "the shared key") already has a key at index \(index)",
                remedy: .overwrite
            )
        }
        let generation = KeyGeneration(
            holders: .shared,
            keyBits: current.parameters.keyBits,
            encoding: keys.first?.encoding ?? .hex,
            scheme: current.scheme ?? .webrtcFrameCryptor
        )
        let key = RingKey(index: index, fields: try generation.newKeyFields(), encoding: generation.encoding)
        if let taken {
            keys[taken] = key
        } else {
            keys.append(key)
        }
        let list = JSONValue.array(keys.sorted { $0.index < $1.index }.map(\.json))
        if let participant {
            guard case .object(var participants)? = file["participants"] else {
                throw FrameCryptError(.malformedInput, "\(path): not a key file")
            }
            participants[participant] = list
            file["participants"] = .object(participants)
        } else {
            file["sharedKey"] = list
        }
        return try KeyFileWriting.write(.object(file), to: path, overwrite: true)
    }

    /// The key entry of `participant` (nil: the shared key) in a key file's top-level object; nil
    /// when that participant has none yet.
    private static func holderKeys(
        in file: [String: JSONValue],
        of participant: String?,
        mode: KeyProvider.Mode,
        path: String
    ) throws(FrameCryptError) -> JSONValue? {
        switch (mode, participant) {
        case (.shared, nil):
            return file["sharedKey"]
        case (.perParticipant, let id?):
            guard case .object(let participants)? = file["participants"] else {
                throw FrameCryptError(.malformedInput, "\(path): not a key file")
            }
            return participants[id]
        case (.shared, _?):
            throw FrameCryptError(.invalidArgument, "\(path): holds a shared key; leave out the participant")
        case (.perParticipant, nil):
            throw FrameCryptError(.invalidArgument, "\(path): holds keys per participant; name the participant")
        }
    }

    /// One new key as `{"hex": …}` (or `text`, `base64`).
    private func newKey() throws(FrameCryptError) -> JSONValue {
        .object(try newKeyFields())
    }

    private func newKeyFields() throws(FrameCryptError) -> [String: JSONValue] {
        let textLength = (keyBits + 5) / 6
        let material: SecretBytes
        do {
            material = try SecretBytes.random(count: encoding == .text ? textLength : keyBits / 8)
        } catch {
            throw FrameCryptError(.internalFailure, "\(error)", cause: error)
        }
        let written = material.withUnsafeBytes { bytes in
            switch encoding {
            case .hex: ByteEncoding.hex(bytes)
            case .base64: Data(bytes).base64EncodedString()
            case .text: String(bytes.map { Self.textAlphabet[Int($0 & 63)] })
            }
        }
        return [encoding.rawValue: .string(written)]
    }

    /// The base64url characters: a byte's low six bits pick one uniformly.
    private static let textAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// A key of a ring as the file's list form writes it.
    private struct RingKey {
        let index: Int
        let fields: [String: JSONValue]
        let encoding: KeyEncoding?

        var json: JSONValue {
            .object(fields.merging(["index": .integer(index)]) { _, new in new })
        }
    }

    /// A key entry in list form: a single key object becomes the key at index 0.
    private static func listForm(_ value: JSONValue) -> [RingKey] {
        let elements: [JSONValue] =
            switch value {
            case .array(let elements): elements
            default: [value]
            }
        return elements.compactMap { element in
            guard case .object(var fields) = element else { return nil }
            var index = 0
            if case .integer(let written)? = fields.removeValue(forKey: "index") {
                index = written
            }
            let encoding = KeyEncoding.allCases.first { fields[$0.rawValue] != nil }
            return RingKey(index: index, fields: fields, encoding: encoding)
        }
    }
}

/// Writing a key file: mode 0600, whole or not at all, then read back as any key file is.
enum KeyFileWriting {
    static func write(_ file: JSONValue, to path: String, overwrite: Bool) throws(FrameCryptError)
        -> KeyFileSummary
    {
        var data = try JSONOutput.encode(file)
        defer { data.resetBytes(in: 0..<data.count) }
        let keys = try KeyFile.parse(data, source: path)
        try JSONOutput.write(data, to: path, overwrite: overwrite, mode: 0o600)
        return try KeyFileSummary(file: path, keys: keys)
    }
}
