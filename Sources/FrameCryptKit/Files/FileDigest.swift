import CByteScan
import Foundation
import FrameCryptCrypto
import FrameCryptFormat

/// SHA-256 digests in hex, of bytes in memory or of whole files read in pieces, and CRC-32C
/// checksums of whole files.
enum FileDigest {
    /// SHA-256 of `bytes` in hex.
    static func sha256(of bytes: [UInt8]) throws(FrameCryptError) -> String {
        do {
            return ByteEncoding.hex(try SHA256.digest(bytes))
        } catch {
            throw FrameCryptError(.internalFailure, "SHA-256 failed: \(error)")
        }
    }

    /// SHA-256 of a file's bytes in hex, read a megabyte at a time.
    static func sha256(ofFile path: String) throws(FrameCryptError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FrameCryptError(.inputMissing, "\(path): no such file")
        }
        defer { try? handle.close() }
        do {
            let hasher = try SHA256.Hasher()
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                try chunk.withUnsafeBytes { try hasher.update($0) }
            }
            return ByteEncoding.hex(try hasher.finish())
        } catch {
            throw FrameCryptError(.inputMissing, "\(path): cannot be read: \(error.localizedDescription)")
        }
    }

    /// CRC-32C of a file's bytes as 8 hex digits, read a megabyte at a time.
    static func crc32c(ofFile path: String) throws(FrameCryptError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FrameCryptError(.inputMissing, "\(path): no such file")
        }
        defer { try? handle.close() }
        do {
            var crc: UInt32 = 0
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                crc = chunk.withUnsafeBytes { bytes in
                    fc_crc32c(crc, bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count)
                }
            }
            return String(format: "%08x", crc)
        } catch {
            throw FrameCryptError(.inputMissing, "\(path): cannot be read: \(error.localizedDescription)")
        }
    }
}
