/// The duration an Opus packet's first byte, its TOC (RFC 6716 §3.1), declares.
///
/// FrameCryptor leaves that byte in clear, so the duration of an encrypted Opus frame can be read
/// as well as a clear one's. A code-3 packet counts its frames in the second byte, which FrameCryptor
/// encrypts, so its duration is not read from the TOC.
public enum OpusTOC {
    /// The packet's duration in 48 kHz samples, or nil for a code-3 packet (frame count in byte 2).
    public static func samples(toc: UInt8) -> Int? {
        let configuration = Int(toc >> 3)
        // Frame sizes in 48 kHz samples: SILK 10/20/40/60 ms, Hybrid 10/20 ms, CELT 2.5/5/10/20 ms.
        let frameSamples: Int
        switch configuration {
        case 0...11: frameSamples = [480, 960, 1920, 2880][configuration % 4]
        case 12...15: frameSamples = [480, 960][configuration % 2]
        default: frameSamples = [120, 240, 480, 960][configuration % 4]
        }
        switch toc & 0x03 {
        case 0: return frameSamples
        case 1, 2: return 2 * frameSamples
        default: return nil
        }
    }
}
