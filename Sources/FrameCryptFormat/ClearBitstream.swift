/// Whether a frame reads as a clear frame of its codec, checked from its structure alone (no
/// decoding), so that ciphertext cut at new frame boundaries is not taken for clear media.
///
/// An elementary-stream round trip re-frames H.264/H.265 by what a parser reads from slice
/// headers, most of which FrameCryptor encrypts: frames are then split or merged, and pieces end
/// without a trailer or hold one inside. Such a piece is neither clear media nor a FrameCryptor
/// frame.
public enum ClearBitstream {
    /// What a frame's structure says.
    public enum Verdict: Sendable, Hashable {
        /// Plausible clear media of the codec (or a codec without structure to check: audio).
        case plausible
        /// A NAL unit that is not the frame's last ends with a FrameCryptor trailer: encrypted
        /// frames were merged or split at new boundaries.
        case embeddedTrailer
        /// Not a valid frame of the codec.
        case malformed
    }

    /// Zero bytes after a NAL unit's trailer that still count as the unit's own.
    static let maximumTrailingZeros = 3

    /// Assesses `frame` in frame form (Annex B for H.264/H.265, the bare frame for AV1).
    ///
    /// - Parameter sealed: the frame itself ends with a FrameCryptor trailer; only its other NAL
    ///   units are checked for trailers inside, and its structure is not judged (it is ciphertext).
    public static func assess(_ frame: ArraySlice<UInt8>, codec: FrameCodec, sealed: Bool) -> Verdict {
        switch codec {
        case .h264, .h265: nalUnits(frame, codec: codec, sealed: sealed)
        case _ where sealed: .plausible
        case .vp8: vp8(frame)
        case .vp9: frame.first.map { $0 >> 6 == 0b10 } == true ? .plausible : .malformed
        case .av1: av1(frame)
        default: .plausible
        }
    }

    /// H.264/H.265: every NAL header valid, at least one slice, and no unit but the frame's last
    /// (when the frame is sealed) ends with a trailer, also not before trailing zero bytes (an
    /// Annex B parser keeps the zero that starts a 4-byte start code as `trailing_zero_8bits`).
    private static func nalUnits(_ frame: ArraySlice<UInt8>, codec: FrameCodec, sealed: Bool) -> Verdict {
        let units = annexBUnits(frame)
        guard !units.isEmpty else { return sealed ? .plausible : .malformed }
        for (position, unit) in units.enumerated() where !(sealed && position == units.count - 1) {
            var end = unit.endIndex
            while true {
                let wrapped = NALFraming.startCode + unit[..<end]
                if FrameExamination(wrapped[...], codec: codec).shape == .sealed {
                    return .embeddedTrailer
                }
                guard end > unit.startIndex, unit[end - 1] == 0, unit.endIndex - end < maximumTrailingZeros else {
                    break
                }
                end -= 1
            }
        }
        guard !sealed else { return .plausible }
        let headersValid = units.allSatisfy { unit in
            guard let header = unit.first, header & 0x80 == 0 else { return false }
            let type = NALUnitScanner.nalUnitType(header, codec: codec)
            return codec == .h265 ? type <= 40 : (1...23).contains(type)
        }
        let hasSlice = units.contains { $0.first.map { NALUnitScanner.isSlice($0, codec: codec) } == true }
        return headersValid && hasSlice ? .plausible : .malformed
    }

    /// The NAL units of an Annex B frame (after each `00 00 01`, up to the next start code).
    private static func annexBUnits(_ frame: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        let bytes = Array(frame)
        let span = bytes.span
        var starts: [(code: Int, unit: Int)] = []
        var index = 0
        while let code = ZeroByteSearch.firstPattern(endingWith: 1, in: span, from: index) {
            let codeStart = code > 0 && bytes[code - 1] == 0 ? code - 1 : code
            starts.append((codeStart, code + 3))
            index = code + 3
        }
        return starts.enumerated().compactMap { position, start in
            let end = position + 1 < starts.count ? starts[position + 1].code : bytes.count
            return end > start.unit ? frame[(frame.startIndex + start.unit)..<(frame.startIndex + end)] : nil
        }
    }

    /// VP8 (RFC 6386 §9.1): version 0–3, a first partition inside the frame, and the start code
    /// `9D 01 2A` in key frames.
    private static func vp8(_ frame: ArraySlice<UInt8>) -> Verdict {
        guard frame.count >= 3 else { return .malformed }
        let bytes = Array(frame.prefix(6))
        let tag = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16
        let keyFrame = tag & 1 == 0
        let firstPartition = tag >> 5
        let header = keyFrame ? 10 : 3
        guard (tag >> 1) & 7 <= 3, frame.count >= header, firstPartition <= frame.count - header else {
            return .malformed
        }
        return !keyFrame || bytes[3...5].elementsEqual([0x9D, 0x01, 0x2A]) ? .plausible : .malformed
    }

    /// AV1 (spec §5.3): OBUs with the forbidden bit clear, defined types and sizes that fit.
    private static func av1(_ frame: ArraySlice<UInt8>) -> Verdict {
        var index = frame.startIndex
        guard index < frame.endIndex else { return .malformed }
        while index < frame.endIndex {
            let header = frame[index]
            let type = (header >> 3) & 0x0F
            guard header & 0x80 == 0, (1...8).contains(type) || type == 15 else { return .malformed }
            index += 1 + (header & 0x04 != 0 ? 1 : 0)
            guard index <= frame.endIndex else { return .malformed }
            guard header & 0x02 != 0 else { return .plausible }
            guard let (size, length) = LEB128.read(frame[index...]),
                size <= UInt64(frame.endIndex - index - length)
            else { return .malformed }
            index += length + Int(size)
        }
        return .plausible
    }
}
