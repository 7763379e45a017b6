import FrameCryptCore
package import FrameCryptFormat

/// What `inspect` found in a file: one entry per stream, then the findings.
package struct InspectionReport: Sendable, Encodable {
    package var file: String
    /// FFmpeg's name for the container; for an RTP capture its format (`pcap`, `rtpdump`…).
    package var container: String
    package let streams: [StreamInspection]
    package var findings: [Finding]
    /// The decode attempt, with `--probe-decode`.
    package let probe: DecodeProbeReport?
    /// The input was an RTP capture: its streams, continuity and what was skipped.
    package var capture: CaptureReport? = nil
}

/// One stream as `inspect` sees it. Field names are part of the JSON contract.
package struct StreamInspection: Sendable, Encodable {
    package let index: Int
    /// audio, video, subtitle, data, attachment or unknown.
    package let kind: StreamType
    package let codec: String
    /// The participant the stream's label names.
    package let participant: String?
    /// The scheme judged from the frames: webrtc-framecryptor, sframe, none, or unknown when the
    /// label claims a scheme the frames do not show.
    package let scheme: String
    /// The scheme the stream's label claims, if it has a label.
    package let labelScheme: String?
    /// Frames examined (a `--max-frames` limit stops earlier).
    package let frames: Int
    package let encryptedFrames: Int
    package let clearFrames: Int
    package let sifFrames: Int
    package let emptyFrames: Int
    package let truncatedFrames: Int
    package let malformedFrames: Int
    /// Frames that are neither FrameCryptor frames nor valid clear frames (``FrameState/unrecognized``).
    package var unrecognizedFrames = 0
    /// Encrypted frames per trailer key index.
    package let keyIndices: [String: Int]
    /// Frames where the key index differs from the frame before.
    package let keyIndexChanges: [KeyIndexChange]
    /// The ring size key indices are checked against: the label's, else the SDK default 16.
    package let keyRingSize: Int
    /// The IVs' layout; nil when no frame is encrypted.
    package let iv: IVLayout?
    package let clearHeader: ClearHeaderSummary
    /// Bytes of the stream's frames.
    package let bytes: Int64
    /// Bytes encryption added: tag, IV, trailer, escapes and AV1 envelopes (SFrame: header, tag
    /// and carriage).
    package let overheadBytes: Int64
    /// SFrame streams: the suite and the KIDs and counters seen; nil for other streams.
    package var sframe: SFrameInspection? = nil
    /// Encrypted frames that end with LiveKit's packet trailer (frame metadata, `docs/FORMAT.md`).
    package var packetTrailerFrames = 0

    private enum CodingKeys: String, CodingKey {
        case index, kind, codec, participant, scheme, labelScheme, frames, encryptedFrames, clearFrames, sifFrames
        case emptyFrames, truncatedFrames, malformedFrames, unrecognizedFrames, keyIndices, keyIndexChanges,
            keyRingSize, iv
        case clearHeader, bytes, overheadBytes, sframe, packetTrailerFrames
    }

    /// Every field is written, absent ones as null, so that scripts find the documented shape.
    package func encode(to encoder: any Encoder) throws {
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
package struct KeyIndexChange: Sendable, Encodable {
    package let frame: Int
    package let from: Int
    package let to: Int
}

/// How a stream's IVs are laid out (`SSRC ‖ T ‖ T − n`).
package struct IVLayout: Sendable, Encodable {
    /// SSRCs seen, most frequent first, as 8 hex digits.
    package let ssrcs: [String]
    /// RTP timestamp of the first and last encrypted frame.
    package let rtpTimestampFirst: UInt32
    package let rtpTimestampLast: UInt32
    /// The RTP clock the timestamps are checked against.
    package let rtpClockRate: Int
    /// Frames whose RTP timestamp does not follow the presentation time on that clock.
    package let rtpClockMismatches: Int
    /// The send count (mod 0xFFFF) of the first encrypted frame: 0 for native senders, random for JS.
    package let sendCountStart: UInt32
    /// Frames whose send count is not the previous one plus one (dropped or reordered frames).
    package let sendCountGaps: Int
    /// The first of those frames.
    package let sendCountGapFrames: [Int]
}

/// What the clear bytes of the encrypted frames say.
package struct ClearHeaderSummary: Sendable, Encodable {
    /// Clear bytes in all encrypted frames.
    package let bytes: Int64
    /// Encrypted frames whose clear bytes mark a key frame (VP8 frame tag, AV1 envelope).
    package let keyFrames: Int?
    /// NAL unit types in the clear bytes and how many times each occurs (H.264/H.265).
    package let nalUnitTypes: [String: Int]?
    /// Opus TOC configurations seen.
    package let opusConfigurations: [Int]?
}

/// What an SFrame stream's headers show, without keys.
package struct SFrameInspection: Sendable, Encodable {
    /// The suite the stream label names; nil without one (the suite is not in the frames).
    package let cipherSuite: String?
    /// Each KID seen, with its frames and counter range.
    package let keyIDs: [SFrameKeyIDUse]

    private enum CodingKeys: String, CodingKey {
        case cipherSuite, keyIDs
    }

    /// Writes an unknown suite as null, like every absent field of the report.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cipherSuite, forKey: .cipherSuite)
        try container.encode(keyIDs, forKey: .keyIDs)
    }
}

/// One KID of an SFrame stream.
package struct SFrameKeyIDUse: Sendable, Encodable {
    package let keyID: UInt64
    package let frames: Int
    package let firstCounter: UInt64
    package let lastCounter: UInt64
}
