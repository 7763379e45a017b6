import Foundation

/// SRTP master keys for a capture, read from a key file (never the command line):
///
/// ```json
/// {"srtp": [{"profile": "AES_CM_128_HMAC_SHA1_80", "key": "<base64 of master key and salt>"},
///           {"profile": "AEAD_AES_128_GCM", "masterKey": "<hex>", "masterSalt": "<hex>", "ssrc": 1234}]}
/// ```
///
/// `key` is the SDES `inline:` form (RFC 4568): the master key followed by the master salt,
/// base64. An entry with `ssrc` applies to that stream only; others to any stream they open.
package struct SRTPKeys: Sendable {
    /// An SRTP protection profile (RFC 5764 §4.1.2, RFC 7714 §14.2).
    package enum Profile: String, Sendable, CaseIterable {
        case aesCM128HMACSHA1_80 = "AES_CM_128_HMAC_SHA1_80"
        case aesCM128HMACSHA1_32 = "AES_CM_128_HMAC_SHA1_32"
        case aeadAES128GCM = "AEAD_AES_128_GCM"
        case aeadAES256GCM = "AEAD_AES_256_GCM"

        /// Bytes of master key and master salt.
        var lengths: (key: Int, salt: Int) {
            switch self {
            case .aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32: (16, 14)
            case .aeadAES128GCM: (16, 12)
            case .aeadAES256GCM: (32, 12)
            }
        }
    }

    /// One master key: its profile, key and salt (concatenated, as libsrtp takes them) and the
    /// stream it is limited to.
    package struct Entry: Sendable {
        package let profile: Profile
        let material: [UInt8]
        package let ssrc: UInt32?
    }

    package let entries: [Entry]

    package init(entries: [Entry]) {
        self.entries = entries
    }

    /// Reads the key file at `path`.
    ///
    /// - Throws: ``CaptureError`` (`invalidArgument`): a missing or unreadable file, a profile
    ///   framecrypt does not know, a key or salt of the wrong length. The message names the entry,
    ///   never the key.
    package static func read(path: String) throws(CaptureError) -> SRTPKeys {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CaptureError(.invalidArgument, "\(path): SRTP key file cannot be read")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let list = root["srtp"] as? [[String: Any]], !list.isEmpty
        else {
            throw CaptureError(
                .invalidArgument,
                "\(path): not an SRTP key file (a JSON object with a non-empty \"srtp\" list)"
            )
        }
        var entries: [Entry] = []
        for (number, item) in list.enumerated() {
            let name = "\(path): srtp[\(number)]"
            let profileName = item["profile"] as? String ?? Profile.aesCM128HMACSHA1_80.rawValue
            guard let profile = Profile(rawValue: profileName.uppercased()) else {
                throw CaptureError(
                    .invalidArgument,
                    "\(name): unknown profile \(profileName); use one of \(Profile.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            var material: [UInt8]
            if let inline = item["key"] as? String {
                guard let bytes = Data(base64Encoded: inline).map(Array.init) else {
                    throw CaptureError(.invalidArgument, "\(name): \"key\" is not base64")
                }
                material = bytes
            } else if let key = (item["masterKey"] as? String).flatMap(hexBytes),
                let salt = (item["masterSalt"] as? String).flatMap(hexBytes)
            {
                guard key.count == profile.lengths.key, salt.count == profile.lengths.salt else {
                    throw CaptureError(
                        .invalidArgument,
                        "\(name): \(profile.rawValue) takes a \(profile.lengths.key)-byte master key and a \(profile.lengths.salt)-byte salt"
                    )
                }
                material = key + salt
            } else {
                throw CaptureError(
                    .invalidArgument,
                    "\(name): give \"key\" (base64) or \"masterKey\" and \"masterSalt\" (hex)"
                )
            }
            guard material.count == profile.lengths.key + profile.lengths.salt else {
                throw CaptureError(
                    .invalidArgument,
                    "\(name): \(profile.rawValue) takes \(profile.lengths.key + profile.lengths.salt) bytes of key and salt, not \(material.count)"
                )
            }
            let ssrc: UInt32?
            switch item["ssrc"] {
            case nil: ssrc = nil
            case let number as Int where UInt32(exactly: number) != nil: ssrc = UInt32(number)
            case let text as String where SSRCText.parse(text) != nil: ssrc = SSRCText.parse(text)
            default: throw CaptureError(.invalidArgument, "\(name): \"ssrc\" is not a 32-bit number")
            }
            entries.append(Entry(profile: profile, material: material, ssrc: ssrc))
        }
        return SRTPKeys(entries: entries)
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        return bytes
    }
}
