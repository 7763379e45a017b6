import Foundation
import FrameCryptCrypto
import FrameCryptFormat
import FrameCryptMedia

/// File helpers of the fixture suite: digests, JSON, temporary folders.
enum FixtureFiles {
    /// SHA-256 of `bytes` in hex.
    static func sha256(of bytes: [UInt8]) throws(FrameCryptError) -> String {
        do {
            return ByteEncoding.hex(try SHA256.digest(bytes))
        } catch {
            throw FrameCryptError(.internalFailure, "SHA-256 failed: \(error)")
        }
    }

    /// SHA-256 of a file's bytes in hex.
    static func sha256(ofFile path: String) throws(FrameCryptError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FrameCryptError(.inputMissing, "\(path): no such file")
        }
        return try sha256(of: [UInt8](data))
    }

    /// Per stream index: the packet count and the SHA-256 over every packet as a 4-byte big-endian
    /// length followed by its bytes, in file order.
    static func packetDigests(of path: String) throws(FrameCryptError) -> [Int: (packets: Int, sha256: String)] {
        var reader = try PacketReader(path)
        var streams: [Int: (packets: Int, bytes: [UInt8])] = [:]
        var payload: [UInt8] = []
        try reader.forEach { (packet) throws(FrameCryptError) in
            packet.copyPayload(into: &payload)
            let length = UInt32(payload.count)
            streams[packet.streamIndex, default: (0, [])].packets += 1
            streams[packet.streamIndex, default: (0, [])].bytes += [
                UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF),
            ]
            streams[packet.streamIndex, default: (0, [])].bytes += payload
            return true
        }
        var digests: [Int: (packets: Int, sha256: String)] = [:]
        for (index, entry) in streams {
            digests[index] = (entry.packets, try sha256(of: entry.bytes))
        }
        return digests
    }

    /// `value` as the suite writes JSON: sorted keys, pretty-printed, a final newline.
    static func encode(_ value: some Encodable) throws(FrameCryptError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value) + Data("\n".utf8)
        } catch {
            throw FrameCryptError(.internalFailure, "cannot encode JSON: \(error)")
        }
    }

    /// Writes `data` to `path` through a temporary file renamed into place.
    static func write(_ data: Data, to path: String) throws(FrameCryptError) {
        let output = try OutputFile(target: path, overwrite: true)
        guard FileManager.default.createFile(atPath: output.temporary, contents: data) else {
            output.abandon()
            throw FrameCryptError(.outputFailure, "\(path): cannot be written")
        }
        try output.commit()
    }

    /// A new empty folder under the system's temporary directory.
    static func temporaryFolder() throws(FrameCryptError) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("framecrypt-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FrameCryptError(.outputFailure, "\(path): cannot create a temporary folder")
        }
        return path
    }

    /// `{"ok": 40, "keyRatcheted": 2}` as `40 ok, 2 keyRatcheted` (sorted by name).
    static func describe(_ states: [String: Int]) -> String {
        states.isEmpty
            ? "nothing" : states.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }
}
