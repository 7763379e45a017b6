import Foundation
import FrameCryptCore
import FrameCryptCrypto
import FrameCryptFormat
import FrameCryptMedia

/// File helpers of the fixture suite: packet digests, temporary folders, state counts.
enum FixtureFiles {
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
            digests[index] = (entry.packets, try FileDigest.sha256(of: entry.bytes))
        }
        return digests
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
