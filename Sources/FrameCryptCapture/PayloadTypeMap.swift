package import FrameCryptFormat

/// What an RTP payload type carries.
package enum PayloadFormat: Sendable, Equatable {
    /// A media codec's frames, at its RTP clock rate.
    case media(FrameCodec, clockRate: Int)
    /// RFC 2198 redundant audio whose blocks are of the payload type given, when known.
    case red(primary: UInt8?)
    /// RFC 4588 retransmissions of the payload type given (`apt`).
    case rtx(associated: UInt8)

    /// The codec names `--pt` accepts.
    package static let names = ["vp8", "vp9", "h264", "h265", "av1", "opus", "red", "rtx:PT"]

    /// Parses a codec name of `--pt PT=NAME` or an SDP encoding name.
    package init?(name: String, clockRate: Int? = nil) {
        let lower = name.lowercased()
        if lower.hasPrefix("rtx:"), let associated = UInt8(lower.dropFirst(4)), associated < 128 {
            self = .rtx(associated: associated)
            return
        }
        switch lower {
        case "vp8", "vp9", "av1", "h264", "h265", "hevc", "av1x":
            self = .media(
                FrameCodec(kind: .video, name: lower == "av1x" ? "av1" : lower),
                clockRate: clockRate ?? 90000
            )
        case "opus":
            self = .media(.opus, clockRate: clockRate ?? 48000)
        case "red":
            self = .red(primary: nil)
        default:
            return nil
        }
    }
}

/// Payload type → format, from an SDP, `--pt` options and a Janus recording's header.
package struct PayloadTypeMap: Sendable, Equatable {
    package private(set) var formats: [UInt8: PayloadFormat] = [:]
    /// Retransmission SSRC → media SSRC, from `a=ssrc-group:FID` lines.
    package private(set) var retransmissionSSRCs: [UInt32: UInt32] = [:]

    package init() {}

    /// The format of payload type `type`, if mapped.
    package subscript(type: UInt8) -> PayloadFormat? {
        formats[type]
    }

    /// Maps `type` to `format`, replacing what was there.
    package mutating func map(_ type: UInt8, to format: PayloadFormat) {
        formats[type] = format
    }

    /// Parses `PT=NAME` (`96=vp8`, `63=red`, `97=rtx:96`).
    ///
    /// - Throws: ``CaptureError`` (`invalidArgument`) naming what is wrong.
    package mutating func add(option text: String) throws(CaptureError) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let type = UInt8(parts[0]), type < 128 else {
            throw CaptureError(.invalidArgument, "--pt \(text): expected PT=CODEC with PT from 0 to 127, as in 96=vp8")
        }
        guard let format = PayloadFormat(name: parts[1]) else {
            throw CaptureError(
                .invalidArgument,
                "--pt \(text): unknown codec \(parts[1]); use one of \(PayloadFormat.names.joined(separator: ", "))"
            )
        }
        map(type, to: format)
    }

    /// Adds every `a=rtpmap`, RED and RTX `a=fmtp` and `a=ssrc-group:FID` of an SDP. Encodings
    /// framecrypt has no depacketizer for are left unmapped (their packets are skipped and counted).
    package mutating func add(sdp text: String) {
        var redPrimary: [UInt8: UInt8] = [:]
        var associated: [UInt8: UInt8] = [:]
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingWhitespace
            if line.hasPrefix("a=rtpmap:") {
                let fields = line.dropFirst("a=rtpmap:".count).split(separator: " ", maxSplits: 1)
                guard fields.count == 2, let type = UInt8(fields[0]), type < 128 else { continue }
                let encoding = fields[1].split(separator: "/")
                let name = encoding.first.map(String.init) ?? ""
                let rate = encoding.count > 1 ? Int(encoding[1]) : nil
                if name.lowercased() == "rtx" {
                    formats[type] = .rtx(associated: 0)
                } else if let format = PayloadFormat(name: name, clockRate: rate) {
                    formats[type] = format
                }
            } else if line.hasPrefix("a=fmtp:") {
                let fields = line.dropFirst("a=fmtp:".count).split(separator: " ", maxSplits: 1)
                guard fields.count == 2, let type = UInt8(fields[0]) else { continue }
                let parameters = fields[1]
                if let apt = parameters.split(separator: ";").first(where: { $0.trimmingWhitespace.hasPrefix("apt=") }),
                    let value = UInt8(apt.trimmingWhitespace.dropFirst(4))
                {
                    associated[type] = value
                } else if let first = parameters.split(separator: "/").first,
                    let primary = UInt8(first.trimmingWhitespace)
                {
                    redPrimary[type] = primary
                }
            } else if line.hasPrefix("a=ssrc-group:FID ") {
                let ssrcs = line.dropFirst("a=ssrc-group:FID ".count).split(separator: " ").compactMap { UInt32($0) }
                if ssrcs.count == 2 {
                    retransmissionSSRCs[ssrcs[1]] = ssrcs[0]
                }
            }
        }
        for (type, format) in formats {
            switch format {
            case .red: formats[type] = .red(primary: redPrimary[type])
            case .rtx:
                if let apt = associated[type] {
                    formats[type] = .rtx(associated: apt)
                } else {
                    formats[type] = nil
                }
            case .media: break
            }
        }
    }

    /// The primary codec of RED payload type `type`: the one its SDP names, else the only audio
    /// codec mapped.
    package func redPrimaryCodec(of type: UInt8) -> (type: UInt8, codec: FrameCodec, clockRate: Int)? {
        guard case .red(let primary) = formats[type] else { return nil }
        let candidates = formats.compactMap { key, value -> (UInt8, FrameCodec, Int)? in
            guard case .media(let codec, let rate) = value, codec.kind == .audio else { return nil }
            return (key, codec, rate)
        }
        if let primary, let match = candidates.first(where: { $0.0 == primary }) {
            return match
        }
        return candidates.count == 1 ? candidates[0] : nil
    }
}
