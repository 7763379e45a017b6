/// The control header MPEG-TS puts in front of each Opus packet (ETSI TS 102 366 Annex,
/// "opus_control_header"): an 11-bit prefix `0x3FF`, trim and extension flags, the packet's size
/// in 255-steps, then the optional trim and extension fields.
///
/// FFmpeg's MPEG-TS demuxer leaves the header on the packet for its Opus parser to take off, so a
/// reader without parsers (as encrypted input is read) must take it off itself.
public enum OpusTSControlHeader {
    /// The header's length at the start of `packet`, or nil when it does not start with one or the
    /// header runs past the packet.
    public static func length(of packet: ArraySlice<UInt8>) -> Int? {
        let bytes = Array(packet.prefix(64))
        guard bytes.count >= 3, bytes[0] == 0x7F, bytes[1] & 0xE0 == 0xE0 else { return nil }
        let startTrim = bytes[1] & 0x10 != 0
        let endTrim = bytes[1] & 0x08 != 0
        let extensionPresent = bytes[1] & 0x04 != 0
        var index = 2
        while index < bytes.count, bytes[index] == 0xFF {
            index += 1
        }
        index += 1
        index += (startTrim ? 2 : 0) + (endTrim ? 2 : 0)
        if extensionPresent {
            guard index < bytes.count else { return nil }
            index += 1 + Int(bytes[index])
        }
        return index <= packet.count ? index : nil
    }
}
