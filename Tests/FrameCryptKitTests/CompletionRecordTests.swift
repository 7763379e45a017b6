import Foundation
import Testing

@testable import FrameCryptBatch
@testable import FrameCryptCore
@testable import FrameCryptKit

@Suite("Completion records")
struct CompletionRecordTests {
    /// CRC-32C bit by bit, as RFC 3720 (iSCSI) defines it: reflected polynomial 0x82F63B78.
    private func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0x82F6_3B78 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("framecrypt-record-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("a file's CRC-32C is the standard one: the check value, and a file spanning read chunks")
    func checksum() throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let check = directory.appendingPathComponent("check").path
        try Data("123456789".utf8).write(to: URL(fileURLWithPath: check))
        #expect(try FileDigest.crc32c(ofFile: check) == "e3069283")
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(5 << 19) + 13).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let large = directory.appendingPathComponent("large").path
        try Data(bytes).write(to: URL(fileURLWithPath: large))
        #expect(try FileDigest.crc32c(ofFile: large) == String(format: "%08x", reference(bytes)))
        for count in 0..<24 {
            let path = directory.appendingPathComponent("short-\(count)").path
            try Data(bytes.prefix(count)).write(to: URL(fileURLWithPath: path))
            #expect(
                try FileDigest.crc32c(ofFile: path) == String(format: "%08x", reference(Array(bytes.prefix(count))))
            )
        }
    }

    @Test("a record vouches for its output until one byte of it changes, even at the same size")
    func vouches() throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.bin").path
        let output = directory.appendingPathComponent("out.bin").path
        try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: input))
        var written = [UInt8](repeating: 9, count: 3000)
        try Data(written).write(to: URL(fileURLWithPath: output))
        let job = BatchJob(input: input, output: output, origin: "test")
        let result = BatchJobReport(job: job, error: FrameCryptError(.keyFailure, "test"), seconds: 0)
        try CompletionRecord.write(for: job, output: output, operation: .encrypt, settings: "s", result: result)
        let record = try #require(CompletionRecord.load(for: output))
        #expect(record.version == 2 && record.outputCRC32C != nil)
        #expect(record.vouches(for: job, output: output, operation: .encrypt, settings: "s"))
        #expect(!record.vouches(for: job, output: output, operation: .encrypt, settings: "other"))
        written[1500] ^= 0x01
        try Data(written).write(to: URL(fileURLWithPath: output))
        #expect(!record.vouches(for: job, output: output, operation: .encrypt, settings: "s"))
    }

    @Test("a version-1 record (SHA-256) is read but vouches for nothing, so its job is redone")
    func olderRecord() throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.bin").path
        let output = directory.appendingPathComponent("out.bin").path
        try Data(repeating: 7, count: 64).write(to: URL(fileURLWithPath: input))
        try Data(repeating: 9, count: 64).write(to: URL(fileURLWithPath: output))
        let job = BatchJob(input: input, output: output, origin: "test")
        let result = BatchJobReport(job: job, error: FrameCryptError(.keyFailure, "test"), seconds: 0)
        try CompletionRecord.write(for: job, output: output, operation: .encrypt, settings: "s", result: result)
        let path = CompletionRecord.path(for: output)
        var fields = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        )
        fields["version"] = 1
        fields["outputSHA256"] = fields.removeValue(forKey: "outputCRC32C").map { _ in String(repeating: "0", count: 64)
        }
        try JSONSerialization.data(withJSONObject: fields).write(to: URL(fileURLWithPath: path))
        let record = try #require(CompletionRecord.load(for: output))
        #expect(record.version == 1)
        #expect(!record.vouches(for: job, output: output, operation: .encrypt, settings: "s"))
    }
}
