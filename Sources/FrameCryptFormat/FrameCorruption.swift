/// A deliberate one-bit change to a sealed FrameCryptor frame, for negative tests of receivers.
///
/// Each part names where the bit flips in `ciphertext ‖ tag ‖ IV ‖ 0x0C ‖ key index`, read after
/// emulation prevention is removed (H.264/H.265), so the damage is exactly the named field's even
/// when escaping bytes sit in between.
public enum FrameCorruption: String, Sendable, CaseIterable {
    /// The lowest bit of the first ciphertext byte: the tag no longer authenticates.
    case ciphertext
    /// The lowest bit of the tag's last byte.
    case tag
    /// The lowest bit of the IV's last byte: the receiver opens with a different nonce.
    case iv
    /// The trailer's IV-length byte becomes 13: the frame no longer parses.
    case ivLength = "iv-length"
    /// The lowest bit of the trailer's key index: the receiver looks in a neighbouring ring slot.
    case keyIndex = "key-index"

    /// Flips this part's bit in `frame`, a sealed frame in frame form.
    ///
    /// - Returns: false, leaving `frame` unchanged, when the frame has no such part (no ciphertext
    ///   byte, or not a sealed frame at all).
    public func apply(to frame: inout [UInt8], codec: FrameCodec) -> Bool {
        let clear = ClearPrefix.length(of: frame[...], codec: codec)
        var tail: [UInt8] = []
        if codec.isH26x {
            EmulationPrevention.unescape(frame[clear...], appendingTo: &tail)
        } else {
            tail = Array(frame[clear...])
        }
        guard tail.count >= FrameLayout.overhead, tail[tail.count - 2] == FrameIV.byteCount else { return false }
        let end = tail.count
        switch self {
        case .ciphertext:
            guard end > FrameLayout.overhead else { return false }
            tail[0] ^= 1
        case .tag: tail[end - FrameIV.byteCount - FrameLayout.trailerLength - 1] ^= 1
        case .iv: tail[end - FrameLayout.trailerLength - 1] ^= 1
        case .ivLength: tail[end - 2] = UInt8(FrameIV.byteCount + 1)
        case .keyIndex: tail[end - 1] ^= 1
        }
        frame.removeSubrange(clear...)
        if codec.isH26x {
            EmulationPrevention.escape(tail[...], appendingTo: &frame)
        } else {
            frame.append(contentsOf: tail)
        }
        return true
    }
}
