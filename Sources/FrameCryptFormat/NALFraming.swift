/// H.264/H.265 NAL unit framing: the length-prefixed form MP4 and Matroska store (avcC/hvcC) and the
/// Annex B form a WebRTC sender encrypts (`framecrypt-profile.md` §2).
///
/// Conversions are lossless for streams made of non-empty NAL units that contain no start code, which
/// emulation prevention guarantees for valid streams and for encrypted tails: Annex B is always
/// written with 4-byte start codes, and a NAL unit ends right before the zero that starts the next
/// start code, so trailing zero bytes of a NAL unit are kept.
public enum NALFraming {
    /// The 4-byte start code written before every NAL unit.
    public static let startCode: [UInt8] = [0, 0, 0, 1]
    /// Length-field sizes the configuration records allow.
    public static let lengthSizes = 1...4

    /// The NAL length size declared by an avcC (H.264) or hvcC (H.265) configuration record, or nil
    /// when `record` is not one (Annex B parameter sets, or no extradata: packets are then Annex B).
    public static func lengthSize(inConfigurationRecord record: [UInt8], codec: FrameCodec) -> Int? {
        guard let offset = lengthSizeOffset(codec: codec), record.count > offset, record[0] == 1 else { return nil }
        return Int(record[offset] & 0x03) + 1
    }

    /// `record` declaring `lengthSize`-byte NAL lengths instead of its own.
    public static func configurationRecord(_ record: [UInt8], codec: FrameCodec, lengthSize: Int) -> [UInt8] {
        guard let offset = lengthSizeOffset(codec: codec), record.count > offset, lengthSizes.contains(lengthSize)
        else { return record }
        var changed = record
        changed[offset] = (record[offset] & 0xFC) | UInt8(lengthSize - 1)
        return changed
    }

    /// avcC keeps `lengthSizeMinusOne` in byte 4, hvcC in byte 21 (ISO/IEC 14496-15).
    private static func lengthSizeOffset(codec: FrameCodec) -> Int? {
        switch codec {
        case .h264: 4
        case .h265: 21
        default: nil
        }
    }

    /// Appends the Annex B form of a length-prefixed packet to `output`.
    ///
    /// Generic so that a packet's payload can be read where it lies, without copying it first.
    /// - Returns: false when a length runs past the packet or a NAL unit is empty.
    @inlinable
    public static func appendAnnexB<Bytes: RandomAccessCollection<UInt8>>(
        ofLengthPrefixed packet: Bytes,
        lengthSize: Int,
        to output: inout [UInt8]
    ) -> Bool where Bytes.Index == Int {
        var index = packet.startIndex
        while index < packet.endIndex {
            guard packet.endIndex - index >= lengthSize else { return false }
            var length = 0
            for byte in packet[index..<(index + lengthSize)] {
                length = length << 8 | Int(byte)
            }
            index += lengthSize
            guard length > 0, length <= packet.endIndex - index else { return false }
            output.append(contentsOf: startCode)
            output.append(contentsOf: packet[index..<(index + length)])
            index += length
        }
        return true
    }

    /// Appends the length-prefixed form of an Annex B frame written with 4-byte start codes.
    ///
    /// - Returns: false when the frame does not start with a 4-byte start code, has an empty NAL unit,
    ///   or a NAL unit too long for `lengthSize` bytes.
    public static func appendLengthPrefixed(
        ofAnnexB frame: [UInt8],
        lengthSize: Int,
        to output: inout [UInt8]
    ) -> Bool {
        guard frame.starts(with: startCode) else { return false }
        let span = frame.span
        var unitStart = startCode.count
        while let codeStart = ZeroByteSearch.firstPattern(endingWith: 1, in: span, from: unitStart) {
            // The leftmost `00 00 01` after a unit; the zero before it belongs to the start code.
            let unitEnd = codeStart - 1
            guard unitEnd > unitStart, frame[unitEnd] == 0,
                appendUnit(frame[unitStart..<unitEnd], lengthSize: lengthSize, to: &output)
            else { return false }
            unitStart = codeStart + 3
        }
        return unitStart < frame.count
            && appendUnit(frame[unitStart..<frame.count], lengthSize: lengthSize, to: &output)
    }

    /// Rewrites an Annex B frame written with 4-byte start codes into 4-byte length-prefixed form in
    /// place: each start code becomes the length of the unit after it, so the size is unchanged and
    /// nothing is copied. The result is what ``appendLengthPrefixed(ofAnnexB:lengthSize:to:)`` writes
    /// with `lengthSize` 4.
    ///
    /// - Parameter unitStarts: scratch the caller keeps, so that frames cost no allocation.
    /// - Returns: false, leaving `frame` as it was, when that function would fail.
    public static func replaceStartCodesWithLengths(in frame: inout [UInt8], unitStarts: inout [Int]) -> Bool {
        // Every boundary is found before any byte changes: a length just written could read as a start code.
        guard findUnits(in: frame.span, starts: &unitStarts) else { return false }
        for (number, start) in unitStarts.enumerated() {
            let end = number + 1 < unitStarts.count ? unitStarts[number + 1] - startCode.count : frame.count
            let length = UInt32(end - start)
            for byte in 0..<4 {
                frame[start - 4 + byte] = UInt8(truncatingIfNeeded: length >> (24 - 8 * byte))
            }
        }
        return true
    }

    /// Where each NAL unit of an Annex B frame with 4-byte start codes begins; false when the frame
    /// does not start with one, has an empty unit or a unit longer than a 4-byte length can say.
    private static func findUnits(in frame: Span<UInt8>, starts: inout [Int]) -> Bool {
        starts.removeAll(keepingCapacity: true)
        guard frame.count >= startCode.count, (0..<startCode.count).allSatisfy({ frame[$0] == startCode[$0] })
        else { return false }
        var unitStart = startCode.count
        while let codeStart = ZeroByteSearch.firstPattern(endingWith: 1, in: frame, from: unitStart) {
            let unitEnd = codeStart - 1
            guard unitEnd > unitStart, frame[unitEnd] == 0, unitEnd - unitStart <= Int(UInt32.max) else { return false }
            starts.append(unitStart)
            unitStart = codeStart + 3
        }
        guard unitStart < frame.count, frame.count - unitStart <= Int(UInt32.max) else { return false }
        starts.append(unitStart)
        return true
    }

    /// Appends one NAL unit with its `lengthSize`-byte big-endian length.
    ///
    /// - Returns: false when the unit is too long for the field.
    @discardableResult
    public static func appendUnit(_ unit: ArraySlice<UInt8>, lengthSize: Int, to output: inout [UInt8]) -> Bool {
        guard unit.count < 1 << (8 * lengthSize) else { return false }
        for shift in stride(from: 8 * (lengthSize - 1), through: 0, by: -8) {
            output.append(UInt8(truncatingIfNeeded: unit.count >> shift))
        }
        output.append(contentsOf: unit)
        return true
    }
}
