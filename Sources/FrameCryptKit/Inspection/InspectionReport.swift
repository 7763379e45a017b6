public import FrameCryptCore
public import FrameCryptFormat

/// What `inspect` found in a file: one entry per stream, then the findings.
public struct InspectionReport: Sendable, Encodable {
    public let file: String
    /// FFmpeg's name for the container.
    public let container: String
    public let streams: [StreamInspection]
    public let findings: [Finding]
    /// The decode attempt, with `--probe-decode`.
    public let probe: DecodeProbeReport?
}

/// One stream as `inspect` sees it. Field names are part of the JSON contract.
public struct StreamInspection: Sendable, Encodable {
    public let index: Int
    /// audio, video, subtitle, data, attachment or unknown.
    public let kind: StreamType
    public let codec: String
    /// The participant the stream's label names.
    public let participant: String?
    /// The scheme judged from the frames: webrtc-framecryptor, sframe, none, or unknown when the
    /// label claims a scheme the frames do not show.
    public let scheme: String
    /// The scheme the stream's label claims, if it has a label.
    public let labelScheme: String?
    /// Frames examined (a `--max-frames` limit stops earlier).
    public let frames: Int
    public let encryptedFrames: Int
    public let clearFrames: Int
    public let sifFrames: Int
    public let emptyFrames: Int
    public let truncatedFrames: Int
    public let malformedFrames: Int
    /// Frames that are neither FrameCryptor frames nor valid clear frames (``FrameState/unrecognized``).
    public var unrecognizedFrames = 0
    /// Encrypted frames per trailer key index.
    public let keyIndices: [String: Int]
    /// Frames where the key index differs from the frame before.
    public let keyIndexChanges: [KeyIndexChange]
    /// The ring size key indices are checked against: the label's, else the SDK default 16.
    public let keyRingSize: Int
    /// The IVs' layout; nil when no frame is encrypted.
    public let iv: IVLayout?
    public let clearHeader: ClearHeaderSummary
    /// Bytes of the stream's frames.
    public let bytes: Int64
    /// Bytes encryption added: tag, IV, trailer, escapes and AV1 envelopes (SFrame: header, tag
    /// and carriage).
    public let overheadBytes: Int64
    /// SFrame streams: the suite and the KIDs and counters seen; nil for other streams.
    public var sframe: SFrameInspection? = nil
    /// Encrypted frames that end with LiveKit's packet trailer (frame metadata, `docs/FORMAT.md`).
    public var packetTrailerFrames = 0

    private enum CodingKeys: String, CodingKey {
        case index, kind, codec, participant, scheme, labelScheme, frames, encryptedFrames, clearFrames, sifFrames
        case emptyFrames, truncatedFrames, malformedFrames, unrecognizedFrames, keyIndices, keyIndexChanges,
            keyRingSize, iv
        case clearHeader, bytes, overheadBytes, sframe, packetTrailerFrames
    }

    /// Every field is written, absent ones as null, so that scripts find the documented shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(kind, forKey: .kind)
        try container.encode(codec, forKey: .codec)
        try container.encode(participant, forKey: .participant)
        try container.encode(scheme, forKey: .scheme)
        try container.encode(labelScheme, forKey: .labelScheme)
        try container.encode(frames, forKey: .frames)
        try container.encode(encryptedFrames, forKey: .encryptedFrames)
        try container.encode(clearFrames, forKey: .clearFrames)
        try container.encode(sifFrames, forKey: .sifFrames)
        try container.encode(emptyFrames, forKey: .emptyFrames)
        try container.encode(truncatedFrames, forKey: .truncatedFrames)
        try container.encode(malformedFrames, forKey: .malformedFrames)
        try container.encode(unrecognizedFrames, forKey: .unrecognizedFrames)
        try container.encode(keyIndices, forKey: .keyIndices)
        try container.encode(keyIndexChanges, forKey: .keyIndexChanges)
        try container.encode(keyRingSize, forKey: .keyRingSize)
        try container.encode(iv, forKey: .iv)
        try container.encode(clearHeader, forKey: .clearHeader)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(overheadBytes, forKey: .overheadBytes)
        try container.encode(sframe, forKey: .sframe)
        try container.encode(packetTrailerFrames, forKey: .packetTrailerFrames)
    }

    /// The scope within which a stream's nonces must be unique: its participant's with
    /// per-participant keys, else the file's shared one.
    static func keyScope(of label: StreamLabel?, stream: Int) -> String {
        guard label?.keyMode == StreamLabel.perParticipantKeyMode else { return "shared" }
        return "participant:" + (label?.participant ?? "stream \(stream)")
    }
}

/// A change of key index between two consecutive encrypted frames.
public struct KeyIndexChange: Sendable, Encodable {
    public let frame: Int
    public let from: Int
    public let to: Int
}

/// How a stream's IVs are laid out (`SSRC ‖ T ‖ T − n`).
public struct IVLayout: Sendable, Encodable {
    /// SSRCs seen, most frequent first, as 8 hex digits.
    public let ssrcs: [String]
    /// RTP timestamp of the first and last encrypted frame.
    public let rtpTimestampFirst: UInt32
    public let rtpTimestampLast: UInt32
    /// The RTP clock the timestamps are checked against.
    public let rtpClockRate: Int
    /// Frames whose RTP timestamp does not follow the presentation time on that clock.
    public let rtpClockMismatches: Int
    /// The send count (mod 0xFFFF) of the first encrypted frame: 0 for native senders, random for JS.
    public let sendCountStart: UInt32
    /// Frames whose send count is not the previous one plus one (dropped or reordered frames).
    public let sendCountGaps: Int
    /// The first of those frames.
    public let sendCountGapFrames: [Int]
}

/// What the clear bytes of the encrypted frames say.
public struct ClearHeaderSummary: Sendable, Encodable {
    /// Clear bytes in all encrypted frames.
    public let bytes: Int64
    /// Encrypted frames whose clear bytes mark a key frame (VP8 frame tag, AV1 envelope).
    public let keyFrames: Int?
    /// NAL unit types in the clear bytes and how many times each occurs (H.264/H.265).
    public let nalUnitTypes: [String: Int]?
    /// Opus TOC configurations seen.
    public let opusConfigurations: [Int]?
}

/// What an SFrame stream's headers show, without keys.
public struct SFrameInspection: Sendable, Encodable {
    /// The suite the stream label names; nil without one (the suite is not in the frames).
    public let cipherSuite: String?
    /// Each KID seen, with its frames and counter range.
    public let keyIDs: [SFrameKeyIDUse]

    private enum CodingKeys: String, CodingKey {
        case cipherSuite, keyIDs
    }

    /// Writes an unknown suite as null, like every absent field of the report.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cipherSuite, forKey: .cipherSuite)
        try container.encode(keyIDs, forKey: .keyIDs)
    }
}

/// One KID of an SFrame stream.
public struct SFrameKeyIDUse: Sendable, Encodable {
    public let keyID: UInt64
    public let frames: Int
    public let firstCounter: UInt64
    public let lastCounter: UInt64
}
