/// Reading and writing the fixed-width integers of capture formats and RTP headers, in either byte
/// order, without a copy.
extension Collection where Element == UInt8, Index == Int {
    /// The `width`-byte big-endian integer at `offset`; nil when it runs past the end.
    func bigEndian(at offset: Int, width: Int) -> UInt64? {
        let start = startIndex + offset
        guard offset >= 0, width > 0, start + width <= endIndex else { return nil }
        var value: UInt64 = 0
        for index in start..<(start + width) {
            value = value << 8 | UInt64(self[index])
        }
        return value
    }

    /// The `width`-byte little-endian integer at `offset`; nil when it runs past the end.
    func littleEndian(at offset: Int, width: Int) -> UInt64? {
        let start = startIndex + offset
        guard offset >= 0, width > 0, start + width <= endIndex else { return nil }
        var value: UInt64 = 0
        for index in (start..<(start + width)).reversed() {
            value = value << 8 | UInt64(self[index])
        }
        return value
    }

    /// The 16-bit big-endian integer at `offset`.
    func uint16(at offset: Int) -> UInt16? {
        bigEndian(at: offset, width: 2).map { UInt16($0) }
    }

    /// The 32-bit big-endian integer at `offset`.
    func uint32(at offset: Int) -> UInt32? {
        bigEndian(at: offset, width: 4).map { UInt32($0) }
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` as `width` big-endian bytes.
    mutating func appendBigEndian<Value: FixedWidthInteger>(_ value: Value, width: Int) {
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
            append(UInt8(truncatingIfNeeded: UInt64(truncatingIfNeeded: value) >> UInt64(shift)))
        }
    }

    /// Appends `value` as `width` little-endian bytes.
    mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value, width: Int) {
        for shift in stride(from: 0, to: width * 8, by: 8) {
            append(UInt8(truncatingIfNeeded: UInt64(truncatingIfNeeded: value) >> UInt64(shift)))
        }
    }
}
