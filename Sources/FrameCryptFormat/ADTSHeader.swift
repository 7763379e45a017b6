/// The ADTS header MPEG-TS carries in front of each AAC frame (ISO/IEC 13818-7 §6.2).
///
/// A WebRTC sender encrypts raw AAC frames, and MP4 and Matroska store them without ADTS, so
/// framecrypt removes the header before encrypting or decrypting and lets the MPEG-TS muxer write
/// it again; the header's fields become the AudioSpecificConfig other containers need.
public struct ADTSHeader: Sendable, Hashable {
    /// The header's length: 7 bytes, 9 with a CRC.
    public let length: Int
    /// The whole frame's length, header included.
    public let frameLength: Int
    /// The equivalent AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1): object type, sampling
    /// frequency index, channel configuration.
    public let audioSpecificConfig: [UInt8]
    /// The sampling frequency in Hz.
    public let sampleRate: Int
    /// The channel count the channel configuration gives (0: stated in the frame itself).
    public let channels: Int

    /// Reads the header at the start of `frame`; nil when it does not start with one.
    public init?(_ frame: ArraySlice<UInt8>) {
        guard frame.count >= 7 else { return nil }
        let bytes = Array(frame.prefix(7))
        guard bytes[0] == 0xFF, bytes[1] & 0xF6 == 0xF0 else { return nil }
        let protectionAbsent = bytes[1] & 0x01 == 1
        let objectType = (bytes[2] >> 6) + 1
        let frequencyIndex = (bytes[2] >> 2) & 0x0F
        let channels = (bytes[2] & 0x01) << 2 | bytes[3] >> 6
        let frameLength = Int(bytes[3] & 0x03) << 11 | Int(bytes[4]) << 3 | Int(bytes[5]) >> 5
        let length = protectionAbsent ? 7 : 9
        guard frequencyIndex < 13, frameLength >= length else { return nil }
        self.length = length
        self.frameLength = frameLength
        sampleRate =
            [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350][
                Int(frequencyIndex)
            ]
        self.channels = channels == 7 ? 8 : Int(channels)
        audioSpecificConfig = [objectType << 3 | frequencyIndex >> 1, (frequencyIndex & 1) << 7 | channels << 3]
    }
}
