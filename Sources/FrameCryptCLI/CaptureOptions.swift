import ArgumentParser
import Foundation
import FrameCryptCapture
import FrameCryptCore
import FrameCryptKit

/// How to read an input that is an RTP capture (pcap, pcapng, rtpdump, Janus `.mjr`): which codec
/// each payload type carries, which streams to take, and the SRTP keys. Ignored for media files.
struct CaptureOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "An SDP whose rtpmap/fmtp lines name each payload type's codec (captures).",
            valueName: "file"
        )
    )
    var sdp: String?

    @Option(
        name: .customLong("pt"),
        help: ArgumentHelp(
            "A payload type's codec: vp8, vp9, h264, h265, av1, opus, red or rtx:PT (captures; repeatable).",
            valueName: "pt=codec"
        )
    )
    var payloadTypeCodecs: [String] = []

    @Option(help: ArgumentHelp("Read only this SSRC, decimal or 0x hex (captures; repeatable).", valueName: "ssrc"))
    var ssrc: [String] = []

    @Option(help: ArgumentHelp("Read only streams of this payload type (captures; repeatable).", valueName: "pt"))
    var payloadType: [Int] = []

    @Option(
        help: ArgumentHelp(
            "Read only packets that match: [src|dst] host A, [src|dst] port N, portrange A-B, ssrc N, pt N, with and/or/not (captures).",
            valueName: "expression"
        )
    )
    var filter: String?

    @Option(
        help: ArgumentHelp(
            "A JSON file of SRTP master keys, to read SRTP captures (docs/CAPTURES.md); never on the command line.",
            valueName: "file"
        )
    )
    var srtpKeyFile: String?

    func validate() throws {
        for type in payloadType where !(0...127).contains(type) {
            throw ValidationError("--payload-type \(type): payload types are 0 to 127.")
        }
        for text in ssrc where SSRCText.parse(text) == nil {
            throw ValidationError("--ssrc \(text): an SSRC is a 32-bit number, decimal or 0x hex.")
        }
    }

    /// The selection these options describe.
    ///
    /// - Throws: ``FrameCryptError``: an unreadable SDP or key file, a `--pt` or `--filter` that
    ///   does not parse (64).
    func selection() throws(FrameCryptError) -> CaptureSelection {
        var selection = CaptureSelection()
        do throws(CaptureError) {
            if let sdp {
                guard let data = FileManager.default.contents(atPath: sdp) else {
                    throw CaptureError(.invalidArgument, "\(sdp): SDP file cannot be read")
                }
                selection.payloadTypes.add(sdp: String(decoding: data, as: UTF8.self))
            }
            for option in payloadTypeCodecs {
                try selection.payloadTypes.add(option: option)
            }
            selection.ssrcs = Set(ssrc.compactMap(SSRCText.parse))
            selection.payloadTypeFilter = Set(payloadType.map(UInt8.init))
            selection.filter = try filter.map { text throws(CaptureError) in try PacketFilter(text) }
            selection.srtp = try srtpKeyFile.map { path throws(CaptureError) in try SRTPKeys.read(path: path) }
        } catch {
            throw FrameCryptError(error)
        }
        return selection
    }
}
