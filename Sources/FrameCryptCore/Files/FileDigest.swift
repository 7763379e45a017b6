import CByteScan
import Foundation
import FrameCryptCrypto
import FrameCryptFormat

/// SHA-256 digests in hex, of bytes in memory or of whole files read in pieces, and CRC-32C
/// checksums of whole files.
package enum FileDigest {
    /// SHA-256 of `bytes` in hex.
    package static func sha256(of bytes: [UInt8]) throws(FrameCryptError) -> String {
        do {
            return ByteEncoding.hex(try SHA256.digest(bytes))
        } catch {
            throw FrameCryptError(.internalFailure, "SHA-256 failed: \(error)", cause: error)
        }
    }

    /// SHA-256 of a file's bytes in hex, read a megabyte at a time.
    package static func sha256(ofFile path: String) throws(FrameCryptError) -> String {
        do {
            let hasher = try SHA256.Hasher()
            try forEachChunk(of: path) { chunk throws(FrameCryptError) in
                do { try hasher.update(chunk) } catch {
                    throw FrameCryptError(.internalFailure, "SHA-256 failed: \(error)", cause: error)
                }
            }
            return ByteEncoding.hex(try hasher.finish())
        } catch let error as FrameCryptError {
            throw error
        } catch {
            throw FrameCryptError(.internalFailure, "SHA-256 failed: \(error)", cause: error)
        }
    }

    /// CRC-32C of a file's bytes as 8 hex digits, read a megabyte at a time.
    package static func crc32c(ofFile path: String) throws(FrameCryptError) -> String {
        var crc: UInt32 = 0
        try forEachChunk(of: path) { chunk in
            crc = fc_crc32c(crc, chunk.bindMemory(to: UInt8.self).baseAddress, chunk.count)
        }
        return String(format: "%08x", crc)
    }

    /// Calls `body` with each megabyte of the file at `path`, in order, read with read(2) into one
    /// buffer. (Foundation's FileHandle reads a page per system call on Linux, which for a batch's
    /// outputs made hundreds of thousands of calls.)
    private static func forEachChunk(
        of path: String,
        _ body: (UnsafeRawBufferPointer) throws(FrameCryptError) -> Void
    ) throws(FrameCryptError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno == ENOENT ? "no such file" : "cannot be read: \(String(cString: strerror(errno)))"
            throw FrameCryptError(.inputMissing, "\(path): \(reason)")
        }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count == 0 { return }
            if count < 0 {
                if errno == EINTR { continue }
                throw FrameCryptError(.inputMissing, "\(path): cannot be read: \(String(cString: strerror(errno)))")
            }
            try body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }
}
