/// The parameter sets an avcC or hvcC configuration record holds (ISO/IEC 14496-15 §5.3.3,
/// §8.3.3), as a live encoder sends them in band before each key frame.
public enum ParameterSetRecord {
    /// The record's VPS, SPS and PPS units in Annex B, each behind a 4-byte start code; nil when
    /// `record` is not a configuration record of `codec` or holds no SPS.
    public static func annexB(of record: [UInt8], codec: FrameCodec) -> [UInt8]? {
        guard record.first == 1 else { return nil }
        var units: [ArraySlice<UInt8>] = []
        var offset: Int
        func unit(at position: Int) -> ArraySlice<UInt8>? {
            guard position + 2 <= record.count else { return nil }
            let length = Int(record[position]) << 8 | Int(record[position + 1])
            guard length > 0, position + 2 + length <= record.count else { return nil }
            return record[(position + 2)..<(position + 2 + length)]
        }
        switch codec {
        case .h264:
            guard record.count > 6 else { return nil }
            offset = 6
            for arrayCount in [Int(record[5] & 0x1F), -1] {
                var count = arrayCount
                if count < 0 {
                    guard offset < record.count else { break }
                    count = Int(record[offset])
                    offset += 1
                }
                for _ in 0..<count {
                    guard let found = unit(at: offset) else { return nil }
                    units.append(found)
                    offset += 2 + found.count
                }
            }
        case .h265:
            guard record.count > 22 else { return nil }
            offset = 23
            for _ in 0..<Int(record[22]) {
                guard offset + 3 <= record.count else { return nil }
                let count = Int(record[offset + 1]) << 8 | Int(record[offset + 2])
                offset += 3
                for _ in 0..<count {
                    guard let found = unit(at: offset) else { return nil }
                    units.append(found)
                    offset += 2 + found.count
                }
            }
        default:
            return nil
        }
        let sequence: UInt8 = codec == .h265 ? 33 : 7
        guard units.contains(where: { NALUnitScanner.nalUnitType($0[$0.startIndex], codec: codec) == sequence }) else {
            return nil
        }
        return units.reduce(into: []) { annexB, unit in
            annexB += NALFraming.startCode
            annexB += unit
        }
    }

    /// Whether Annex B `frame` carries a sequence parameter set before its first slice.
    public static func hasSequenceParameterSet(_ frame: [UInt8], codec: FrameCodec) -> Bool {
        let sequence: UInt8 = codec == .h265 ? 33 : 7
        var index = 0
        while index + 3 < frame.count {
            if frame[index] == 0 && frame[index + 1] == 0 && frame[index + 2] == 1 {
                let header = frame[index + 3]
                if NALUnitScanner.isSlice(header, codec: codec) { return false }
                if NALUnitScanner.nalUnitType(header, codec: codec) == sequence { return true }
                index += 3
            } else {
                index += 1
            }
        }
        return false
    }
}
