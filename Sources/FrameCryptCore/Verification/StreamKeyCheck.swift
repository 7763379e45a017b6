package import FrameCryptFormat

/// How a stream's frames relate to the keys given, from the worst case down.
package enum KeyStatus: String, Sendable, Encodable, Comparable {
    /// No key for the stream's participant, or none at a key index its frames use.
    case missingKey = "missing-key"
    /// No key authenticates the stream's frames.
    case wrongKey = "wrong-key"
    /// No key authenticates the stream's frames, whose trailers and IVs parse, while the same key
    /// authenticates another stream of the file: the clear header, which is authenticated, was
    /// changed after encryption.
    case headerAltered = "header-altered"
    /// The key authenticates some frames and not others: those frames are damaged.
    case damagedFrames = "damaged-frames"
    /// The key authenticates the frames once the part of the clear header a tool removed after
    /// encryption is put back (mkvmerge's access-unit delimiters); framecrypt decrypts them.
    case headerRestored = "header-restored"
    /// The key authenticates the frames after ratchet steps: the sender ratcheted.
    case ratcheted
    /// The key authenticates the frames as it is.
    case ok
    /// No frame of the stream is encrypted.
    case notEncrypted = "not-encrypted"

    /// True for statuses that let a receiver holding these keys decrypt the stream.
    package var decrypts: Bool {
        self == .ok || self == .ratcheted || self == .notEncrypted || self == .headerRestored
    }

    private var rank: Int {
        switch self {
        case .missingKey: 0
        case .wrongKey: 1
        case .headerAltered: 2
        case .damagedFrames: 3
        case .headerRestored: 4
        case .ratcheted: 5
        case .ok: 6
        case .notEncrypted: 7
        }
    }

    package static func < (lhs: KeyStatus, rhs: KeyStatus) -> Bool {
        lhs.rank < rhs.rank
    }
}

/// The check of one key index of one stream (SFrame: of one KID).
package struct KeyIndexCheck: Sendable, Encodable {
    package let keyIndex: Int
    /// SFrame: the KID the frames carry; nil for FrameCryptor streams.
    package var keyID: UInt64? = nil
    package let status: KeyStatus
    /// Ratchet steps from the given key to the sender's key.
    package let ratchetSteps: Int
    package let framesChecked: Int
    /// Frames no key authenticated.
    package let framesFailed: Int
    /// The fingerprint of the key that authenticated the frames (after ratcheting), or of the key
    /// that was tried; nil when there is none.
    package let keyFingerprint: String?

    private enum CodingKeys: String, CodingKey {
        case keyIndex, keyID, status, ratchetSteps, framesChecked, framesFailed, keyFingerprint
    }

    /// Every field is written, absent ones as null.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(keyIndex, forKey: .keyIndex)
        try container.encode(keyID, forKey: .keyID)
        try container.encode(status, forKey: .status)
        try container.encode(ratchetSteps, forKey: .ratchetSteps)
        try container.encode(framesChecked, forKey: .framesChecked)
        try container.encode(framesFailed, forKey: .framesFailed)
        try container.encode(keyFingerprint, forKey: .keyFingerprint)
    }
}

/// A check of one stream's frames against the keys given, whatever the scheme.
package protocol KeyChecking: AnyObject {
    /// Checks one packet's frame when it is encrypted and its key still needs samples.
    func check(_ payload: [UInt8])
    /// The result per key index (SFrame: per KID), in order.
    var results: [KeyIndexCheck] { get }
    /// The first frame no key opened, kept to find out whose key does.
    var firstFailedFrame: [UInt8]? { get }
}

/// Frames checked and failed under one key index or KID.
struct KeyTally {
    /// Encrypted frames seen under this key index, checked or not.
    var seen = 0
    var checked = 0
    var failed = 0
    var missing = 0
    /// Frames that authenticated only after undoing a change made to the file after encryption.
    var restored = 0
    var ratchetSteps = 0

    /// Counts the next frame and says whether to check it: all of them without a sample size, else
    /// the first `first` frames, then frames spread over the rest of the stream (every 2^k-th, with
    /// 2^k growing so that about `first` are checked per doubling of the stream's length). A sender
    /// that ratchets late in a long stream is still caught, at a cost that grows with the log of
    /// its length.
    mutating func samplesNext(first: Int?) -> Bool {
        defer { seen += 1 }
        guard let first, seen >= first else { return true }
        var stride = 1
        while stride * first < seen {
            stride <<= 1
        }
        return seen.isMultiple(of: stride)
    }

    /// The status these counts mean.
    var status: KeyStatus {
        if missing > 0 {
            return .missingKey
        } else if failed == checked {
            return .wrongKey
        } else if failed > 0 {
            return .damagedFrames
        } else if restored > 0 {
            return .headerRestored
        }
        return ratchetSteps > 0 ? .ratcheted : .ok
    }
}

/// Checks one stream's sampled frames against its participant's key ring with a receiver's ratchet
/// search, one key index at a time.
package final class StreamKeyCheck: KeyChecking {
    private let codec: FrameCodec
    private let ring: KeyRing?
    private var decryptor: FrameDecryptor
    private let framesPerKeyIndex: Int?
    private var frameForm: FrameForm
    private var plain: [UInt8] = []
    private var tallies: [UInt8: KeyTally] = [:]
    package private(set) var firstFailedFrame: [UInt8]?

    package init(codec: FrameCodec, ring: KeyRing?, ratchetWindow: Int, framesPerKeyIndex: Int?, lengthSize: Int?) {
        self.codec = codec
        self.ring = ring
        decryptor = FrameDecryptor(codec: codec, keys: ring, ratchetWindow: ratchetWindow)
        self.framesPerKeyIndex = framesPerKeyIndex
        frameForm = FrameForm(lengthSize: lengthSize, codec: codec)
    }

    package func check(_ payload: [UInt8]) {
        let codec = codec
        guard
            let frame = frameForm.read(
                payload,
                { (frame: $0, examination: FrameExamination($0[...], codec: codec)) },
                accepts: { $0.examination.shape == .sealed }
            ),
            frame.examination.shape == .sealed, let keyIndex = frame.examination.keyIndex
        else { return }
        var tally = tallies[keyIndex] ?? KeyTally()
        defer { tallies[keyIndex] = tally }
        guard tally.samplesNext(first: framesPerKeyIndex) else { return }
        tally.checked += 1
        switch decryptor.decrypt(frame.frame, into: &plain) {
        case .decrypted(let steps):
            tally.ratchetSteps += steps
        case .recovered(let recovery):
            if recovery.undoesAlteration {
                tally.restored += 1
            }
        case .failed(.noKey), .failed(.keyIndexOutOfRing):
            tally.missing += 1
        case .failed:
            tally.failed += 1
            firstFailedFrame = firstFailedFrame ?? frame.frame
        case .passedThrough, .serverInjected:
            tally.checked -= 1
        }
    }

    package var results: [KeyIndexCheck] {
        tallies.keys.sorted().map { index in
            let tally = tallies[index] ?? KeyTally()
            return KeyIndexCheck(
                keyIndex: Int(index),
                status: tally.status,
                ratchetSteps: tally.ratchetSteps,
                framesChecked: tally.checked,
                framesFailed: tally.failed + tally.missing,
                keyFingerprint: ring?.fingerprint(at: Int(index))
            )
        }
    }
}
