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
        output.reserveCapacity(output.count + bytes.count + bytes.count / 128 + 2)
        let span = bytes.span
        let base = bytes.startIndex
        var zeros = 0
        var copied = 0
        var index = 0
        while index < span.count {
            // With no zero counted, bytes up to the next zero neither need an escape nor change the count.
            if zeros == 0 {
                index = ZeroByteSearch.first(in: span, from: index)
                guard index < span.count else { break }
            }
            let byte = span[index]
            if byte > 3 {
                zeros = 0
            } else if zeros >= 2 {
                output.append(contentsOf: bytes[(base + copied)..<(base + index)])
                output.append(3)
                copied = index
                zeros = byte == 0 ? 1 : 0
            } else {
                zeros = byte == 0 ? zeros + 1 : 0
            }
            index += 1
        }
        output.append(contentsOf: bytes[(base + copied)...])
    }

    /// True when ``escape(_:appendingTo:)`` would change `bytes`: it holds two zeros followed by a
    /// byte ≤ 3. Rare in ciphertext (about once in 16 MB), so senders check before copying.
    public static func needsEscaping(_ bytes: ArraySlice<UInt8>) -> Bool {
        needsEscaping(bytes.span)
    }

    /// ``needsEscaping(_:)-(ArraySlice<UInt8>)`` over a span, which a sender takes of its output
    /// buffer without holding a reference to it (a slice would, and the next write would copy it).
    public static func needsEscaping(_ bytes: Span<UInt8>) -> Bool {
        ZeroByteSearch.firstPattern(in: bytes, from: 0) { $0 <= 3 } != nil
    }

    /// True when `bytes` holds a `00 00 03` that starts at least four bytes before its end.
    ///
    /// Receivers only unescape when this holds; an escaped tail always has it wherever an escape
    /// was inserted, because the trailer's two bytes follow every inserted `0x03`.
    public static func needsUnescaping(_ bytes: ArraySlice<UInt8>) -> Bool {
        let span = bytes.span
        return ZeroByteSearch.firstPattern(endingWith: 3, in: span, from: 0, before: span.count - 1) != nil
    }

    /// Appends `bytes` with the `0x03` of every `00 00 03` removed; scanning resumes after it.
    public static func unescape(_ bytes: ArraySlice<UInt8>, appendingTo output: inout [UInt8]) {
        output.reserveCapacity(output.count + bytes.count)
        var copied = bytes.startIndex
        forEachEscape(in: bytes) { escape in
            output.append(contentsOf: bytes[copied..<escape])
            copied = escape + 1
        }
        output.append(contentsOf: bytes[copied...])
    }

    /// The number of `00 00 03` escapes `unescape` would remove from `bytes`.
    public static func escapeCount(_ bytes: ArraySlice<UInt8>) -> Int {
        var count = 0
        forEachEscape(in: bytes) { _ in count += 1 }
        return count
    }

    /// Calls `body` with the index of the `0x03` of every `00 00 03`, left to right, resuming after each.
    private static func forEachEscape(in bytes: ArraySlice<UInt8>, _ body: (Int) -> Void) {
        let span = bytes.span
        var index = 0
        while let escape = ZeroByteSearch.firstPattern(endingWith: 3, in: span, from: index) {
            body(bytes.startIndex + escape + 2)
            index = escape + 3
        }
    }
}
