import Foundation

/// A Janus recording's JSON header (janus-gateway `record.c`): media type, codec and the E2EE flag.
package struct MJRHeader: Sendable {
    /// `a` (audio), `v` (video) or `d` (data channel text).
    package let type: String
    /// The codec name Janus writes: `vp8`, `vp9`, `h264`, `h265`, `av1`, `opus`…
    package let codec: String
    /// Set when the recorded media were end-to-end encrypted (`"e": true`): janus-pp-rec refuses
    /// such recordings; framecrypt decrypts them.
    package let endToEndEncrypted: Bool
    /// The payload type of Opus RED (`or`) when the audio used it.
    package let redPayloadType: UInt8?
}

/// Janus `.mjr` recordings, format `MJR00002`: the magic, a 2-byte length and a JSON header, then
/// each RTP packet behind `MEET`, a 4-byte millisecond offset and a 2-byte length. One recording
/// holds one medium of one participant.
enum MJRFile {
    static let frameMagic = Array("MEET".utf8)

    static func read(_ bytes: [UInt8]) throws(CaptureError) -> CaptureFile {
        let magic = CaptureFormat.mjrMagic.count
        guard let headerLength = bytes.uint16(at: magic), magic + 2 + Int(headerLength) <= bytes.count else {
            throw CaptureError(.malformed, "Janus recording header is cut short")
        }
        let headerBytes = Array(bytes[(magic + 2)..<(magic + 2 + Int(headerLength))])
        guard let json = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any],
            let type = json["t"] as? String, let codec = json["c"] as? String
        else {
            throw CaptureError(
                .malformed,
                "Janus recording header is not the JSON object Janus writes (with \"t\" and \"c\")"
            )
        }
        var file = CaptureFile(format: .mjr)
        file.recording = MJRHeader(
            type: type,
            codec: codec,
            endToEndEncrypted: json["e"] as? Bool ?? false,
            redPayloadType: (json["or"] as? Int).flatMap { UInt8(exactly: $0) }
        )
        let endpoint = Endpoint(address: "janus", port: 0)
        var offset = magic + 2 + Int(headerLength)
        while offset < bytes.count {
            guard bytes[offset...].starts(with: frameMagic), let milliseconds = bytes.uint32(at: offset + 4),
                let length = bytes.uint16(at: offset + 8), offset + 10 + Int(length) <= bytes.count
            else {
                throw CaptureError(.malformed, "Janus recording frame at byte \(offset) is malformed or cut short")
            }
            let start = offset + 10
            // Data-channel frames carry an 8-byte real-time stamp before the text.
            let payloadStart = type == "d" ? min(start + 8, start + Int(length)) : start
            file.datagrams.append(
                Datagram(
                    time: Double(milliseconds) / 1000,
                    source: endpoint,
                    destination: endpoint,
                    payload: Array(bytes[payloadStart..<(start + Int(length))])
                )
            )
            offset = start + Int(length)
        }
        return file
    }
}
