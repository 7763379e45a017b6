package import FrameCryptCore
package import FrameCryptFormat

/// What the doctor found to explain one stream's frames, by a stable code (docs/DOCTOR.md).
package enum DiagnosisCause: String, Sendable, Encodable, CaseIterable {
    /// The keys as given open every sampled frame.
    case keysFit = "keys-fit"
    /// The keys open every frame once LiveKit's packet trailer (`LKTS`) is removed, which only JS
    /// receivers do themselves.
    case packetTrailer = "packet-trailer"
    /// No frame looks encrypted.
    case notEncrypted = "not-encrypted"
    /// The keys fit; some frames are the SFU's blank frames behind a trailer the doctor was not given.
    case serverTrailerUnknown = "server-trailer-unknown"
    /// Another participant's keys open the stream.
    case wrongParticipant = "wrong-participant"
    /// A given key opens the frames at another ring index than the key file puts it.
    case wrongKeyIndex = "wrong-key-index"
    /// The other KDF (PBKDF2 / HKDF) opens them.
    case wrongKDF = "wrong-kdf"
    /// The key read the other way between string and bytes opens them.
    case stringVersusBytes = "string-vs-bytes"
    /// Another ratchet salt opens them.
    case wrongSalt = "wrong-salt"
    /// The other AES key size opens them.
    case wrongKeySize = "wrong-key-size"
    /// The sender's key is ratchet steps ahead of the given one, beyond 16.
    case ratchetBeyondWindow = "ratchet-beyond-window"
    /// H.264/H.265 frames sealed with VP8's clear bytes (a sender that did not know the codec).
    case vp8ClearBytes = "vp8-clear-bytes"
    /// Bytes follow the FrameCryptor trailer (added after encryption).
    case bytesAfterTrailer = "bytes-after-trailer"
    /// The key opens the file's other streams but not these frames: their clear header changed.
    case headerAltered = "header-altered"
    /// Nothing tried opens the frames.
    case unexplained
}

/// One stream's diagnosis.
package struct StreamDiagnosis: Sendable, Encodable {
    package let index: Int
    package let kind: StreamType
    package let codec: String
    package let participant: String?
    package let cause: DiagnosisCause
    /// The explanation in one line, without key material.
    package let summary: String
    /// What to change, when something can be.
    package let remedy: String?
    /// Sampled frames, and how many of them opened with the keys as given.
    package let framesSampled: Int
    package let framesOpened: Int
    /// Things worth knowing that do not stop framecrypt (a packet trailer, recovered prefixes…).
    package let notes: [String]
    /// With `--probe-decode`: whether the frames, once decrypted, decode.
    package var decodes: DecodeVerdict? = nil
}

/// What a decoder made of a stream decrypted under the diagnosed configuration.
package struct DecodeVerdict: Sendable, Encodable {
    package let framesDecoded: Int
    package let decoderErrors: Int
    /// `decodes` or `authenticates-but-does-not-decode`.
    package let verdict: String
}

/// Whether one SDK, at its defaults, would decrypt the file under the diagnosed configuration.
package struct SDKVerdict: Sendable, Encodable {
    package let receiver: ReceiverProfile.Name
    package let decryptsAll: Bool
    /// The first stream and frame it fails on, and why.
    package let stream: Int?
    package let frame: Int?
    package let reason: String?
    /// Why this SDK holds other keys than the configuration assumed, when it does.
    package let keyDifferences: [String]
}

/// `framecrypt doctor`'s report.
package struct DoctorReport: Sendable, Encodable {
    package var file: String
    /// True when the keys as given open every encrypted stream.
    package let keysFit: Bool
    package let streams: [StreamDiagnosis]
    /// The configuration the SDK verdicts assume: the keys as given, or with the found fix.
    package let assumes: String
    package let sdks: [SDKVerdict]
    /// Per stream, what each SDK shows.
    package let receivers: [StreamReceiverReport]
    /// The input was an RTP capture: its streams, continuity and what was skipped.
    package var capture: CaptureReport? = nil
}
