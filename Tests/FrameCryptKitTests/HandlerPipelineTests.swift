import Foundation
import FrameCryptFormat
import FrameCryptMedia
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCore
@testable import FrameCryptKit

/// The handler pipeline in-process, on packets FFmpeg demuxes from a real file: every packet comes
/// back in the input's order, rewritten by its own stream's handler on the pipeline's thread, and
/// a handler's failure reaches the job's thread at that packet.
@Suite("Handler pipeline")
struct HandlerPipelineTests {
    /// Reverses each payload, or fails at frame `failingAt`: a handler whose effect shows in the bytes.
    final class ReversingStream: StreamHandler {
        let output: OutputStreamSpec
        private let failingAt: Int?
        private var frames = 0

        init(_ stream: MediaStream, failingAt: Int? = nil) {
            output = OutputStreamSpec(copying: stream)
            self.failingAt = failingAt
        }

        func handle(_ packet: inout Packet) throws(FrameCryptError) -> Bool {
            defer { frames += 1 }
            if frames == failingAt {
                throw FrameCryptError(.keyFailure, "frame \(frames) fails")
            }
            var payload: [UInt8] = []
            packet.copyPayload(into: &payload)
            do {
                try packet.setPayload(payload.reversed())
            } catch {
                throw FrameCryptError(.internalFailure, "\(error)")
            }
            return true
        }

        var report: StreamReport {
            StreamCounters().report(
                for: StreamDescription(index: 0, type: .video, codec: "", participant: nil),
                action: .copied,
                encrypting: false
            )
        }

        var rewritesPayloads: Bool { true }
    }

    /// Runs every packet of `path` through a pipeline of `handlers`, as MediaJob does.
    ///
    /// - Returns: (stream, payload) of every packet kept, in the order taken back, and of every
    ///   packet read.
    static func pump(_ path: String, handlers: [any StreamHandler]) throws -> (
        kept: [(Int, [UInt8])], read: [(Int, [UInt8])]
    ) {
        var demuxer = try Demuxer(path: path, parsesPackets: false)
        let pipeline = try HandlerPipeline(handlers: handlers)
        defer { pipeline.stop() }
        let payloads = PayloadPool()
        var read: [(Int, [UInt8])] = []
        var kept: [(Int, [UInt8])] = []
        var reading = true
        var bytes: [UInt8] = []
        while reading || pipeline.hasInFlight {
            if reading && !pipeline.isFull && !pipeline.oldestIsReady {
                let slot = pipeline.nextFree
                reading = try demuxer.read(into: &slot.packet)
                guard reading else { continue }
                slot.packet.copyPayload(into: &bytes)
                read.append((slot.packet.streamIndex, bytes))
                try slot.packet.reserveSpare(capacity: slot.packet.size + 64, from: payloads)
                pipeline.submit()
                continue
            }
            let (slot, keep) = try pipeline.takeOldest()
            if keep {
                slot.packet.copyPayload(into: &bytes)
                kept.append((slot.packet.streamIndex, bytes))
            }
            slot.packet.clear()
        }
        return (kept, read)
    }

    @Test("packets come back in the input's order, each rewritten by its stream's handler or left out")
    func order() throws {
        let path = Fixtures.media("vp8-opus.webm")
        let streams = try Demuxer(path: path, parsesPackets: false).streams
        let audio = DiscardingStream(
            output: OutputStreamSpec(copying: streams[1]),
            description: StreamDescription(index: 1, type: .audio, codec: "opus", participant: nil)
        )
        let (kept, read) = try Self.pump(path, handlers: [ReversingStream(streams[0]), audio])
        #expect(read.count > HandlerPipeline.depth, "more packets than the ring holds")
        let expected = read.filter { $0.0 == 0 }.map { ($0.0, Array($0.1.reversed())) }
        #expect(kept.count == expected.count)
        #expect(zip(kept, expected).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 })
        #expect(audio.report.droppedFrames == read.count - expected.count)
    }

    @Test("a handler's failure is thrown at its packet, and the pipeline still stops")
    func failure() throws {
        let path = Fixtures.media("vp8-opus.webm")
        let streams = try Demuxer(path: path, parsesPackets: false).streams
        let error = #expect(throws: FrameCryptError.self) {
            try Self.pump(path, handlers: [ReversingStream(streams[0], failingAt: 30), ReversingStream(streams[1])])
        }
        #expect(error?.message == "frame 30 fails")
    }
}
