import Foundation
import FrameCryptFormat
import FrameCryptMedia
import FrameCryptTestSupport
import Testing

/// Sources whose avcC declares 1- or 2-byte NAL lengths: encrypted NAL units outgrow a 1-byte field,
/// so the encrypted file uses 4 bytes, and decryption restores the source's own size and bytes.
@Suite("Narrow NAL length fields")
struct NALLengthSizeTests {
    @Test("a source with 1- or 2-byte NAL lengths round-trips exactly", arguments: [1, 2])
    func narrowLengthFields(lengthSize: Int) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = Fixtures.media("h264-small-slices.mp4")
        let narrow = folder.appendingPathComponent("narrow.mp4").path
        try Self.rewrite(source, to: narrow, lengthSize: lengthSize)
        // FFmpeg decodes the rewritten file to the very same pictures: it is a valid source.
        #expect(try Self.decodedFrames(narrow) == Self.decodedFrames(source))

        let encrypted = folder.appendingPathComponent("encrypted.mp4").path
        let decrypted = folder.appendingPathComponent("decrypted.mp4").path
        let keys = ["--key-file", Fixtures.keys("shared.json"), "-q"]
        let encrypt = try CommandRunner.framecrypt(["encrypt", narrow, "-o", encrypted] + keys)
        try #require(encrypt.status == 0, "\(encrypt.standardError)")
        let decrypt = try CommandRunner.framecrypt(["decrypt", encrypted, "-o", decrypted] + keys)
        try #require(decrypt.status == 0, "\(decrypt.standardError)")
        #expect(try FFmpegTools.packetDigests(decrypted) == FFmpegTools.packetDigests(narrow))
        #expect(try FFmpegTools.streamDescriptions(decrypted) == FFmpegTools.streamDescriptions(narrow))

        let handler = try FFmpegTools.streamTags(encrypted, stream: 0)["handler_name"] ?? ""
        #expect(handler.contains("nal_length_size=\(lengthSize)"))
        let demuxer = try Demuxer(path: encrypted, parsesPackets: false)
        let record = demuxer.streams[0].parameters.extradata
        #expect(NALFraming.lengthSize(inConfigurationRecord: record, codec: .h264) == 4)
        if lengthSize == 1 {
            #expect(try Self.largestNALUnit(encrypted, lengthSize: 4) > 255)
        }
        #expect(try Self.largestNALUnit(narrow, lengthSize: lengthSize) < 1 << (8 * lengthSize))
    }

    /// Copies the H.264 stream of `source` with `lengthSize`-byte NAL lengths, through FFmpeg.
    static func rewrite(_ source: String, to path: String, lengthSize: Int) throws {
        var demuxer = try Demuxer(path: source, parsesPackets: false)
        let stream = demuxer.streams[0]
        var spec = OutputStreamSpec(copying: stream)
        spec.parameters = try stream.parameters.copy()
        try spec.parameters.setExtradata(
            NALFraming.configurationRecord(stream.parameters.extradata, codec: .h264, lengthSize: lengthSize)
        )
        var muxer = try Muxer(path: path, formatName: "mp4", bitExact: true, shiftsNegativeTimestamps: false)
        try muxer.addStream(spec)
        try muxer.writeHeader()
        var packet = try Packet()
        var payload: [UInt8] = []
        while try demuxer.read(into: &packet) {
            packet.copyPayload(into: &payload)
            var annexB: [UInt8] = []
            var rewritten: [UInt8] = []
            #expect(NALFraming.appendAnnexB(ofLengthPrefixed: payload, lengthSize: 4, to: &annexB))
            #expect(NALFraming.appendLengthPrefixed(ofAnnexB: annexB, lengthSize: lengthSize, to: &rewritten))
            try packet.setPayload(rewritten)
            try muxer.write(&packet, toStream: 0, from: stream.timeBase)
        }
        try muxer.finish()
    }

    /// The MD5 of every decoded picture.
    static func decodedFrames(_ path: String) throws -> [String] {
        let result = try FFmpegTools.ffmpeg(["-i", path, "-map", "0:v", "-f", "framemd5", "-"])
        try #require(result.status == 0, "\(result.standardError)")
        return result.standardOutput.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
    }

    /// The longest NAL unit in any packet of the file's first stream.
    static func largestNALUnit(_ path: String, lengthSize: Int) throws -> Int {
        var demuxer = try Demuxer(path: path, parsesPackets: false)
        var packet = try Packet()
        var payload: [UInt8] = []
        var largest = 0
        while try demuxer.read(into: &packet) {
            packet.copyPayload(into: &payload)
            var index = 0
            while index + lengthSize <= payload.count {
                let length = payload[index..<(index + lengthSize)].reduce(0) { $0 << 8 | Int($1) }
                largest = max(largest, length)
                index += lengthSize + length
            }
        }
        return largest
    }
}
