import Testing

@testable import FrameCryptFormat

@Suite("Server-injected frames")
struct ServerInjectedFramesTests {
    private let startCode: [UInt8] = [0, 0, 0, 1]

    @Test("the known blank payloads are accepted")
    func known() {
        let s = ServerInjectedFrames.self
        let accepted: [[UInt8]] = [
            s.vp8KeyFrame, s.opusSilence, [0x6F] + s.opusSilence, s.pcmuSilence, s.pcmaSilence, startCode + s.h264IDR,
            startCode + s.h264SPS + startCode + s.h264PPS + startCode + s.h264IDR,
        ]
        for payload in accepted {
            #expect(ServerInjectedFrames.isKnownBlankPayload(payload[...]))
        }
    }

    @Test("anything else is refused, including RED with the F bit set")
    func unknown() {
        let s = ServerInjectedFrames.self
        let refused: [[UInt8]] = [
            [], [0x01], s.h264IDR, [0xEF] + s.opusSilence, s.opusSilence + [0], Array(s.vp8KeyFrame.dropLast()),
            startCode + s.h264SPS + startCode + s.h264IDR,
        ]
        for payload in refused {
            #expect(!ServerInjectedFrames.isKnownBlankPayload(payload[...]))
        }
    }

    @Test("the trailer is recognised only at the end, and only when configured")
    func trailer() {
        let trailer = Array("LK-ROCKS".utf8)
        let frame = ServerInjectedFrames.opusSilence + trailer
        #expect(
            ServerInjectedFrames.payload(of: frame[...], trailer: trailer).map(Array.init)
                == ServerInjectedFrames.opusSilence
        )
        #expect(ServerInjectedFrames.payload(of: ServerInjectedFrames.opusSilence[...], trailer: trailer) == nil)
        #expect(ServerInjectedFrames.payload(of: frame[...], trailer: []) == nil)
        #expect(ServerInjectedFrames.payload(of: [0x4C][...], trailer: trailer) == nil)
    }
}
