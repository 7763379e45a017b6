import FrameCryptFormat

/// The picture size a frame's H.264 or H.265 sequence parameter set states. A FrameCryptor leaves
/// parameter sets in clear (they come before the first slice), so an encrypted key frame still
/// tells its size.
enum ParameterSets {
    /// Width and height from the first SPS in Annex B `frame`; nil when it has none or it does
    /// not parse.
    static func size(in frame: [UInt8], codec: FrameCodec) -> (width: Int, height: Int)? {
        for unit in H26xPayload.units(of: frame) {
            guard let first = unit.first else { continue }
            let type = NALUnitScanner.nalUnitType(first, codec: codec)
            if codec == .h264 && type == 7 {
                return h264(BitReader(unescaping: unit.dropFirst(1)))
            }
            if codec == .h265 && type == 33 {
                return h265(BitReader(unescaping: unit.dropFirst(2)))
            }
        }
        return nil
    }

    /// The parameter sets at the front of Annex B `frame` (H.264 SPS and PPS; H.265 VPS, SPS and
    /// PPS), each behind a 4-byte start code; nil when it has no SPS.
    static func sets(in frame: [UInt8], codec: FrameCodec) -> [UInt8]? {
        let wanted: Set<UInt8> = codec == .h265 ? [32, 33, 34] : [7, 8]
        var sets: [UInt8] = []
        var sequence = false
        for unit in H26xPayload.units(of: frame) {
            guard let first = unit.first else { continue }
            let type = NALUnitScanner.nalUnitType(first, codec: codec)
            guard wanted.contains(type) else { continue }
            sequence = sequence || type == (codec == .h265 ? 33 : 7)
            sets += NALFraming.startCode
            sets += unit
        }
        return sequence ? sets : nil
    }

    /// ITU-T H.264 §7.3.2.1.1.
    private static func h264(_ reader: BitReader) -> (width: Int, height: Int)? {
        var bits = reader
        guard let profile = bits.read(8) else { return nil }
        _ = bits.read(16)  // constraint flags, level
        _ = bits.golomb()  // seq_parameter_set_id
        var chromaFormat = 1
        if [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].contains(profile) {
            chromaFormat = bits.golomb() ?? 1
            if chromaFormat == 3 { _ = bits.read(1) }
            _ = bits.golomb()  // bit depth luma
            _ = bits.golomb()  // bit depth chroma
            _ = bits.read(1)
            if bits.read(1) == 1 {  // scaling matrices
                for list in 0..<(chromaFormat == 3 ? 12 : 8) where bits.read(1) == 1 {
                    var last = 8
                    var next = 8
                    for _ in 0..<(list < 6 ? 16 : 64) where next != 0 {
                        guard let delta = bits.signedGolomb() else { return nil }
                        next = (last + delta + 256) % 256
                        last = next == 0 ? last : next
                    }
                }
            }
        }
        _ = bits.golomb()  // log2_max_frame_num
        switch bits.golomb() {
        case 0: _ = bits.golomb()
        case 1:
            _ = bits.read(1)
            _ = bits.signedGolomb()
            _ = bits.signedGolomb()
            for _ in 0..<(bits.golomb() ?? 0) { _ = bits.signedGolomb() }
        default: break
        }
        _ = bits.golomb()  // max_num_ref_frames
        _ = bits.read(1)
        guard let widthInMacroblocks = bits.golomb(), let heightInMapUnits = bits.golomb(),
            let frameMbsOnly = bits.read(1)
        else { return nil }
        if frameMbsOnly == 0 { _ = bits.read(1) }
        _ = bits.read(1)  // direct_8x8_inference
        var width = (widthInMacroblocks + 1) * 16
        var height = (heightInMapUnits + 1) * 16 * (2 - frameMbsOnly)
        if bits.read(1) == 1, let left = bits.golomb(), let right = bits.golomb(), let top = bits.golomb(),
            let bottom = bits.golomb()
        {
            let cropX = chromaFormat == 0 || chromaFormat == 3 ? 1 : 2
            let cropY = (chromaFormat == 1 ? 2 : 1) * (2 - frameMbsOnly)
            width -= (left + right) * cropX
            height -= (top + bottom) * cropY
        }
        return width > 0 && height > 0 ? (width, height) : nil
    }

    /// ITU-T H.265 §7.3.2.2.1, up to the conformance window.
    private static func h265(_ reader: BitReader) -> (width: Int, height: Int)? {
        var bits = reader
        guard let header = bits.read(8) else { return nil }
        let subLayers = (header >> 1) & 0x07  // sps_max_sub_layers_minus1
        _ = bits.read(48)  // general profile, tier and level: 96 bits
        _ = bits.read(48)
        var present: [(profile: Int, level: Int)] = []
        for _ in 0..<subLayers {
            present.append((bits.read(1) ?? 0, bits.read(1) ?? 0))
        }
        if subLayers > 0 {
            for _ in subLayers..<8 { _ = bits.read(2) }
        }
        for layer in present {
            if layer.profile == 1 {
                _ = bits.read(44)
                _ = bits.read(44)
            }
            if layer.level == 1 { _ = bits.read(8) }
        }
        _ = bits.golomb()  // sps_seq_parameter_set_id
        guard let chromaFormat = bits.golomb() else { return nil }
        if chromaFormat == 3 { _ = bits.read(1) }
        guard var width = bits.golomb(), var height = bits.golomb() else { return nil }
        if bits.read(1) == 1, let left = bits.golomb(), let right = bits.golomb(), let top = bits.golomb(),
            let bottom = bits.golomb()
        {
            let cropX = chromaFormat == 1 || chromaFormat == 2 ? 2 : 1
            let cropY = chromaFormat == 1 ? 2 : 1
            width -= (left + right) * cropX
            height -= (top + bottom) * cropY
        }
        return width > 0 && height > 0 ? (width, height) : nil
    }
}

/// Reads a NAL unit's payload bit by bit, with emulation-prevention bytes taken out.
struct BitReader {
    private let bytes: [UInt8]
    private var position = 0

    init(unescaping unit: ArraySlice<UInt8>) {
        var bytes: [UInt8] = []
        var zeros = 0
        for byte in unit {
            if zeros >= 2 && byte == 3 {
                zeros = 0
                continue
            }
            zeros = byte == 0 ? zeros + 1 : 0
            bytes.append(byte)
        }
        self.bytes = bytes
    }

    /// The next `count` bits as a number; nil past the end.
    mutating func read(_ count: Int) -> Int? {
        guard position + count <= bytes.count * 8 else { return nil }
        var value = 0
        for _ in 0..<count {
            value = value << 1 | Int(bytes[position / 8] >> (7 - UInt8(position % 8)) & 1)
            position += 1
        }
        return value
    }

    /// An unsigned Exp-Golomb number (`ue(v)`).
    mutating func golomb() -> Int? {
        var zeros = 0
        while let bit = read(1), bit == 0 {
            zeros += 1
            if zeros > 31 { return nil }
        }
        guard let rest = read(zeros) else { return nil }
        return (1 << zeros) - 1 + rest
    }

    /// A signed Exp-Golomb number (`se(v)`).
    mutating func signedGolomb() -> Int? {
        guard let value = golomb() else { return nil }
        return value % 2 == 1 ? (value + 1) / 2 : -(value / 2)
    }
}
