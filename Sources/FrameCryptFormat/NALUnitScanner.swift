/// Finds the first slice NAL unit of an Annex B H.264/H.265 frame.
///
/// The FrameCryptor sender leaves clear everything before the first slice NAL unit plus two bytes of
/// it (the NAL header and one slice-header byte for H.264, the two-byte NAL header for H.265), so that
/// a forwarding server can still read parameter sets and slice types. The scan follows libwebrtc's
/// `FindNaluIndices`: a NAL unit starts after each `00 00 01`, bytes before the first start code
/// are ignored.
public enum NALUnitScanner {
    /// The offset of the first slice NAL unit's header byte in an Annex B frame, or nil if there is
    /// no slice NAL unit.
    public static func firstSliceHeaderOffset(in frame: ArraySlice<UInt8>, codec: FrameCodec) -> Int? {
        let span = frame.span
        var index = 0
        while let codeStart = ZeroByteSearch.firstPattern(endingWith: 1, in: span, from: index, before: span.count - 1)
        {
            let header = codeStart + 3
            if isSlice(span[header], codec: codec) {
                return header
            }
            index = header
        }
        return nil
    }

    /// The NAL unit type of an H.264 (5-bit) or H.265 (6-bit) NAL header's first byte.
    public static func nalUnitType(_ headerByte: UInt8, codec: FrameCodec) -> UInt8 {
        codec == .h265 ? (headerByte >> 1) & 0x3F : headerByte & 0x1F
    }

    /// True for H.264 types 1 (non-IDR slice) and 5 (IDR slice), and for H.265 VCL types 0–9 and
    /// 16–21 (the slice types libwebrtc and the JS SDK recognise).
    public static func isSlice(_ headerByte: UInt8, codec: FrameCodec) -> Bool {
        let type = nalUnitType(headerByte, codec: codec)
        if codec == .h265 {
            return type <= 9 || (16...21).contains(type)
        }
        return type == 1 || type == 5
    }
}
