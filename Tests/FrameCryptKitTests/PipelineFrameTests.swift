import Foundation
import FrameCryptFormat
import FrameCryptMedia
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// Reads what the CLI wrote with FFmpeg's demuxer alone and checks every frame against the profile
/// and against the core, so the pipeline and the vector-checked core cannot drift apart.
@Suite("Pipeline frames match the profile and the core")
struct PipelineFrameTests {
    static let roomKey = "framecrypt demo room key"
    static let keyIndex: UInt8 = 5

    /// One demuxed packet in frame form, with what the container says about it.
    struct Frame {
        let stream: Int
        let bytes: [UInt8]
        let pts: Int64?
        let duration: Int64
        let keyFrame: Bool
    }

    @Test(
        "clear bytes, trailer and size follow the profile; the core alone decrypts every frame",
        arguments: Fixtures.mediaFiles
    )
    func framesFollowTheProfile(file: String) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encrypted = folder.appendingPathComponent("encrypted-\(file)").path
        let result = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media(file), "-o", encrypted, "-q", "--shared-key-stdin", "--key-index", "5"],
            standardInput: Self.roomKey + "\n"
        )
        try #require(result.status == 0, "\(result.standardError)")

        let (sourceStreams, sourceFrames) = try Self.frames(of: Fixtures.media(file), parses: false)
        let (_, encryptedFrames) = try Self.frames(of: encrypted, parses: false)
        try #require(encryptedFrames.count == sourceFrames.count)
        let ring = try TestFrames.ring(Self.roomKey, at: [Int(Self.keyIndex)])
        var receivers = sourceStreams.map { stream in
            FrameDecryptor(codec: Self.codec(of: stream), keys: ring)
        }
        for (source, sealed) in zip(sourceFrames, encryptedFrames) {
            let codec = Self.codec(of: sourceStreams[source.stream])
            #expect(sealed.stream == source.stream)
            #expect(sealed.pts == source.pts)
            #expect(sealed.duration == source.duration)
            #expect(sealed.keyFrame == source.keyFrame)

            // AV1 is stored behind its storage envelope; the frame a receiver gets is what it holds.
            let wire = codec == .av1 ? Array(try #require(AV1Storage.sealed(in: sealed.bytes[...]))) : sealed.bytes
            let prefix = ClearPrefix.length(of: source.bytes[...], codec: codec)
            #expect(wire.prefix(prefix) == source.bytes.prefix(prefix))
            var tail: [UInt8] = []
            if codec.isH26x {
                EmulationPrevention.unescape(wire[prefix...], appendingTo: &tail)
            } else {
                tail = Array(wire[prefix...])
            }
            #expect(tail.count == source.bytes.count - prefix + FrameLayout.overhead)
            #expect(tail.suffix(2) == [UInt8(FrameIV.byteCount), Self.keyIndex])

            var plaintext: [UInt8] = []
            #expect(receivers[source.stream].decrypt(wire, into: &plaintext) == .decrypted(ratchetSteps: 0))
            #expect(plaintext == source.bytes)
        }
    }

    static func codec(of stream: MediaStream) -> FrameCodec {
        FrameCodec(kind: stream.type == .audio ? .audio : .video, name: stream.codecName)
    }

    /// Every packet of `path` in frame form (Annex B for length-prefixed H.26x).
    static func frames(of path: String, parses: Bool) throws -> ([MediaStream], [Frame]) {
        var demuxer = try Demuxer(path: path, parsesPackets: parses)
        let streams = demuxer.streams
        let lengthSizes = streams.map { stream in
            NALFraming.lengthSize(inConfigurationRecord: stream.parameters.extradata, codec: codec(of: stream))
        }
        var packet = try Packet()
        var frames: [Frame] = []
        var payload: [UInt8] = []
        while try demuxer.read(into: &packet) {
            packet.copyPayload(into: &payload)
            var bytes = payload
            if let lengthSize = lengthSizes[packet.streamIndex] {
                bytes = []
                #expect(NALFraming.appendAnnexB(ofLengthPrefixed: payload, lengthSize: lengthSize, to: &bytes))
            }
            frames.append(
                Frame(
                    stream: packet.streamIndex,
                    bytes: bytes,
                    pts: packet.pts,
                    duration: packet.duration,
                    keyFrame: packet.isKeyFrame
                )
            )
        }
        return (streams, frames)
    }
}
