import FrameCryptFormat

/// The frame encryption scheme a job uses.
package enum EncryptionScheme: String, Sendable, Hashable, CaseIterable {
    /// libwebrtc's FrameCryptor format, as LiveKit and VideoSDK use it (the default).
    case webrtcFrameCryptor = "webrtc-framecryptor"
    /// SFrame, RFC 9605.
    case sframe

    /// The scheme a stream label names, or nil for another label.
    init?(label: StreamLabel) {
        self.init(rawValue: label.scheme)
    }
}
