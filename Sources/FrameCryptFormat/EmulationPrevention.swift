/// H.264/H.265 emulation prevention over the encrypted tail of a frame.
///
/// Ciphertext can contain `00 00 01`, which a receiver would take for a start code. The sender
/// therefore escapes the whole tail (`ciphertext ‖ tag ‖ IV ‖ trailer`) the way an encoder escapes
/// a NAL unit payload, and the receiver removes the escapes before reading the trailer. The rules are
/// those of libwebrtc's `WriteRbsp`/`ParseRbsp` (common_video/h264/h264_common.cc), which the JS SDK
/// mirrors.
public enum EmulationPrevention {
    /// Appends `bytes` with an `0x03` inserted before any byte ≤ 3 that follows two zero bytes.
    ///
    /// The zero count restarts at the first byte of `bytes` and after each inserted `0x03`; a tail
    /// that ends in zeros is left as it is.
    public static func escape(_ bytes: ArraySlice<UInt8>, appendingTo output: inout [UInt8]) {
        var zeros = 0
        for byte in bytes {
            if zeros >= 2 && byte <= 3 {
                output.append(3)
                zeros = 0
            }
            output.append(byte)
            zeros = byte == 0 ? zeros + 1 : 0
        }
    }

    /// True when `bytes` holds a `00 00 03` that starts at least four bytes before its end.
    ///
    /// Receivers only unescape when this holds; an escaped tail always has it wherever an escape
    /// was inserted, because the trailer's two bytes follow every inserted `0x03`.
    public static func needsUnescaping(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 4 else { return false }
        var index = bytes.startIndex
        let last = bytes.endIndex - 4
        while index <= last {
            if bytes[index] == 0 && bytes[index + 1] == 0 && bytes[index + 2] == 3 {
                return true
            }
            index += 1
        }
        return false
    }

    /// Appends `bytes` with the `0x03` of every `00 00 03` removed; scanning resumes after it.
    public static func unescape(_ bytes: ArraySlice<UInt8>, appendingTo output: inout [UInt8]) {
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            if end - index >= 3 && bytes[index] == 0 && bytes[index + 1] == 0 && bytes[index + 2] == 3 {
                output.append(0)
                output.append(0)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
    }
}
