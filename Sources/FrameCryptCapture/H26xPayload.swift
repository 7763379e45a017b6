import FrameCryptFormat

/// H.264 (RFC 6184, packetization mode 1) and H.265 (RFC 7798, without DONL): single NAL unit
/// packets, aggregation packets (STAP-A, AP) and fragmentation units (FU-A, FU).
///
/// The depacketizer writes each NAL unit behind a 4-byte start code, as libwebrtc's does
/// (`video_rtp_depacketizer_h264.cc`), so a sender's frame whose units had 3-byte start codes
/// reaches receivers changed: its clear header, which is authenticated, then differs
/// (docs/CAPTURES.md).
struct H26xPayload: PayloadFormatRules {
    let codec: FrameCodec

    /// The NAL header's length: 1 byte in H.264, 2 in H.265.
    private var headerLength: Int {
        codec == .h265 ? 2 : 1
    }

    private var aggregation: UInt8 {
        codec == .h265 ? 48 : 24
    }

    private var fragment: UInt8 {
        codec == .h265 ? 49 : 28
    }

    private func type(_ byte: UInt8) -> UInt8 {
        NALUnitScanner.nalUnitType(byte, codec: codec)
    }

    /// Whether a unit of `type` makes its frame one a decoder can start at (IDR or IRAP, or a
    /// parameter set before one).
    private func startsPicture(_ type: UInt8) -> Bool {
        codec == .h265 ? (16...23).contains(type) || (32...34).contains(type) : type == 5 || type == 7
    }

    func opensFrame(_ payload: [UInt8]) -> Bool {
        guard payload.count > headerLength else { return false }
        // A fragment opens a frame only with its S bit.
        return type(payload[0]) != fragment || payload[headerLength] & 0x80 != 0
    }

    func add(_ payload: [UInt8], to parts: inout FrameParts) -> Bool {
        guard payload.count > headerLength else { return false }
        let unitType = type(payload[0])
        if unitType == aggregation {
            var offset = headerLength
            while offset < payload.count {
                guard let size = payload.uint16(at: offset), size > 0, offset + 2 + Int(size) <= payload.count else {
                    return false
                }
                appendUnit(payload[(offset + 2)..<(offset + 2 + Int(size))], to: &parts)
                offset += 2 + Int(size)
            }
            return true
        }
        if unitType == fragment {
            guard payload.count > headerLength + 1 else { return false }
            let fuHeader = payload[headerLength]
            if fuHeader & 0x80 != 0 {
                // The unit's own header, rebuilt from the indicator and the FU header's type.
                let header: [UInt8] =
                    codec == .h265
                    ? [payload[0] & 0x81 | (fuHeader & 0x3F) << 1, payload[1]]
                    : [payload[0] & 0xE0 | fuHeader & 0x1F]
                appendUnit(header[...], to: &parts)
            } else if parts.bytes.isEmpty {
                return false
            }
            parts.bytes += payload[(headerLength + 1)...]
            return true
        }
        if codec == .h265 && unitType == 50 {
            return false  // PACI is not used by WebRTC senders
        }
        appendUnit(payload[...], to: &parts)
        return true
    }

    private func appendUnit(_ unit: ArraySlice<UInt8>, to parts: inout FrameParts) {
        guard let first = unit.first else { return }
        if startsPicture(type(first)) {
            parts.keyFrame = true
        }
        parts.bytes += NALFraming.startCode
        parts.bytes += unit
    }

    func packetize(_ frame: [UInt8], keyFrame: Bool, pictureID: Int, size: (width: Int, height: Int)?) -> [[UInt8]]? {
        let units = Self.units(of: frame)
        guard !units.isEmpty else { return nil }
        var payloads: [[UInt8]] = []
        var pending: [ArraySlice<UInt8>] = []
        func flush() {
            if pending.count == 1 {
                payloads.append(Array(pending[0]))
            } else if pending.count > 1 {
                // The aggregation header takes the highest NRI (H.264) or the first unit's layer
                // and lowest temporal ID (H.265) of its units; F if any has it.
                var payload: [UInt8]
                if codec == .h265 {
                    let first = pending[0]
                    payload = [aggregation << 1 | first[first.startIndex] & 0x81, first[first.startIndex + 1]]
                } else {
                    let nri = pending.map { $0[$0.startIndex] & 0x60 }.max() ?? 0
                    let forbidden = pending.contains { $0[$0.startIndex] & 0x80 != 0 } ? UInt8(0x80) : 0
                    payload = [forbidden | nri | aggregation]
                }
                for unit in pending {
                    payload.appendBigEndian(UInt16(unit.count), width: 2)
                    payload += unit
                }
                payloads.append(payload)
            }
            pending = []
        }
        for unit in units {
            let aggregated = headerLength + pending.reduce(0) { $0 + 2 + $1.count } + 2 + unit.count
            if unit.count > maximumPayload {
                flush()
                payloads += fragments(of: unit)
            } else if pending.isEmpty || aggregated <= maximumPayload {
                pending.append(unit)
            } else {
                flush()
                pending.append(unit)
            }
        }
        flush()
        return payloads
    }

    /// FU-A / FU packets of one unit too long for a packet.
    private func fragments(of unit: ArraySlice<UInt8>) -> [[UInt8]] {
        let header = Array(unit.prefix(headerLength))
        let body = unit.dropFirst(headerLength)
        let room = maximumPayload - headerLength - 1
        let starts = Array(stride(from: body.startIndex, to: body.endIndex, by: room))
        return starts.map { start in
            var payload: [UInt8]
            var fuHeader: UInt8
            if codec == .h265 {
                payload = [fragment << 1 | header[0] & 0x81, header[1]]
                fuHeader = type(header[0])
            } else {
                payload = [header[0] & 0xE0 | fragment]
                fuHeader = header[0] & 0x1F
            }
            if start == starts.first { fuHeader |= 0x80 }
            if start == starts.last { fuHeader |= 0x40 }
            payload.append(fuHeader)
            payload += body[start..<min(body.endIndex, start + room)]
            return payload
        }
    }

    /// The NAL units of an Annex B frame, split where libwebrtc's packetizer splits them: at each
    /// `00 00 01`, a zero before it belonging to the start code.
    static func units(of frame: [UInt8]) -> [ArraySlice<UInt8>] {
        var starts: [(code: Int, unit: Int)] = []
        var index = 0
        while index + 3 <= frame.count {
            if frame[index] == 0 && frame[index + 1] == 0 && frame[index + 2] == 1 {
                starts.append((index > 0 && frame[index - 1] == 0 ? index - 1 : index, index + 3))
                index += 3
            } else {
                index += 1
            }
        }
        return starts.enumerated().compactMap { number, start in
            let end = number + 1 < starts.count ? starts[number + 1].code : frame.count
            return end > start.unit ? frame[start.unit..<end] : nil
        }
    }
}
