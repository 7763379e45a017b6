import FrameCryptFormat

/// One per-frame vector as `framecrypt vectors export` writes it: the schema of
/// `framecrypt-profile-vectors.json`, with a key reference instead of key material and the state a
/// receiver reports for the frame (docs/FIXTURES.md).
struct ExportedVector: Encodable {
    /// Where the key of a vector is found in the key file that came with it.
    struct KeyReference: Encodable {
        /// The participant whose keys decrypt the frame; nil for the shared key.
        let participant: String?
        /// The ring slot (FrameCryptor) or base key index (SFrame) the frame uses; nil when the
        /// frame does not say (a trailer that does not parse).
        let keyIndex: Int?
    }

    let id: String
    let kind: String
    let codec: String
    let keyFrame: Bool
    /// `sframe` for SFrame vectors; nil for FrameCryptor ones.
    var scheme: String? = nil
    let keyRef: KeyReference
    /// FrameCryptor: the key file's derivation parameters and ring size.
    var kdf: String? = nil
    var ratchetSalt: String? = nil
    var keyBits: Int? = nil
    var keyRingSize: Int? = nil
    var keyIndex: Int? = nil
    /// FrameCryptor: the IV inputs, as read back from the frame's IV (the send count modulo 0xFFFF).
    var ssrc: UInt32? = nil
    var rtpTimestamp: UInt32? = nil
    var sendCount: UInt32? = nil
    var clearBytes: Int? = nil
    var escapingBytesInserted: Bool? = nil
    /// FrameCryptor: ratchet steps the receiver's stored key is ahead of the key file's material
    /// when this frame arrives, and the further steps it needs for this frame.
    var receiverRatchetSteps: Int? = nil
    var ratchetStepsToDecrypt: Int? = nil
    /// FrameCryptor: the room's trailer, for a server-injected frame.
    var serverInjectedTrailerHex: String? = nil
    /// FrameCryptor: the LiveKit packet trailer at the end of `encryptedHex`, and its values.
    var packetTrailerHex: String? = nil
    var frameMetadata: FrameMetadata? = nil
    /// FrameCryptor: the clear-prefix recovery that opens the frame (``ClearPrefixRecovery``); the
    /// vector is then checked on the receiving side only.
    var recovery: String? = nil
    /// SFrame: suite, KID and counter.
    var cipherSuite: String? = nil
    var kid: UInt64? = nil
    var ctr: UInt64? = nil
    /// What a receiver reports for the frame: `ok`, `keyRatcheted`, `decryptionFailed`, `missingKey`.
    let expectedState: String
    /// The frame a receiver outputs (frame form); empty when it outputs nothing.
    let plaintextHex: String
    /// The frame as received (frame form; SFrame: header and ciphertext, without container carriage).
    let encryptedHex: String
    /// Why the frame fails, for failure vectors; empty otherwise.
    var note: String
}

/// The file `framecrypt vectors export` writes.
struct ExportedVectorFile: Encodable {
    let _about: String
    /// The media file the vectors come from.
    let source: String
    /// The key file that `keyRef`s point into, relative to the vector file; nil when the keys came
    /// from the environment or stdin.
    let keyFile: String?
    let vectors: [ExportedVector]
}
