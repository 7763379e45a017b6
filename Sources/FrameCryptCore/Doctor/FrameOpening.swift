package import FrameCryptFormat

extension KeyRing {
    /// Whether the stored key at the frame's key index opens `frame` read as `codec` with
    /// `clearBytes` clear bytes (the codec rule when nil); the ring's state does not change.
    ///
    /// The doctor asks this of frames sealed under another rule than the stream's codec (VP8's clear
    /// bytes on H.264) or with bytes after their trailer.
    package func opens(_ frame: ArraySlice<UInt8>, as codec: FrameCodec, clearBytes: Int? = nil) -> Bool {
        var transform = FrameTransform()
        guard case .success(let sealed) = transform.parse(frame, codec: codec, clearBytes: clearBytes),
            let key = try? chain(at: Int(sealed.keyIndex))?.key(aheadBy: 0)
        else { return false }
        var output: [UInt8] = []
        return (try? FrameTransform.open(sealed, cipher: OpenSSLFrameCipher(key: key), into: &output)) ?? false
    }
}
