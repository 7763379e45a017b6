import FrameCryptFormat

/// How a stream's frames relate to the keys given, from the worst case down.
public enum KeyStatus: String, Sendable, Encodable, Comparable {
    /// No key for the stream's participant, or none at a key index its frames use.
    case missingKey = "missing-key"
    /// No key authenticates the stream's frames.
    case wrongKey = "wrong-key"
    /// The key authenticates some frames and not others: those frames are damaged.
    case damagedFrames = "damaged-frames"
    /// The key authenticates the frames after ratchet steps: the sender ratcheted.
    case ratcheted
    /// The key authenticates the frames as it is.
    case ok
    /// No frame of the stream is encrypted.
    case notEncrypted = "not-encrypted"

    /// True for statuses that let a receiver holding these keys decrypt the stream.
    public var decrypts: Bool {
        self == .ok || self == .ratcheted || self == .notEncrypted
    }

    private var rank: Int {
        switch self {
        case .missingKey: 0
        case .wrongKey: 1
        case .damagedFrames: 2
        case .ratcheted: 3
        case .ok: 4
        case .notEncrypted: 5
        }
    }

    public static func < (lhs: KeyStatus, rhs: KeyStatus) -> Bool {
        lhs.rank < rhs.rank
    }
}

/// The check of one key index of one stream.
public struct KeyIndexCheck: Sendable, Encodable {
    public let keyIndex: Int
    public let status: KeyStatus
    /// Ratchet steps from the given key to the sender's key.
    public let ratchetSteps: Int
    public let framesChecked: Int
    /// Frames no key authenticated.
    public let framesFailed: Int
    /// The fingerprint of the key that authenticated the frames (after ratcheting), or of the key
    /// that was tried; nil when there is none.
    public let keyFingerprint: String?
}

/// Checks one stream's sampled frames against its participant's key ring with a receiver's ratchet
/// search, one key index at a time.
final class StreamKeyCheck {
    private let codec: FrameCodec
    private let ring: KeyRing?
    private var decryptor: FrameDecryptor
    private let framesPerKeyIndex: Int?
    private var frameForm: FrameForm
    private var plain: [UInt8] = []
    private var tallies: [UInt8: Tally] = [:]
    /// The first frame no key opened, kept to find out whose key does.
    private(set) var firstFailedFrame: [UInt8]?

    private struct Tally {
        var checked = 0
        var failed = 0
        var missing = 0
        var ratchetSteps = 0
    }

    init(codec: FrameCodec, ring: KeyRing?, ratchetWindow: Int, framesPerKeyIndex: Int?, lengthSize: Int?) {
        self.codec = codec
        self.ring = ring
        decryptor = FrameDecryptor(codec: codec, keys: ring, ratchetWindow: ratchetWindow)
        self.framesPerKeyIndex = framesPerKeyIndex
        frameForm = FrameForm(lengthSize: lengthSize)
    }

    /// Checks one packet's frame when it is encrypted and its key index still needs samples.
    func check(_ payload: [UInt8]) {
        let codec = codec
        guard
            let frame = frameForm.read(
                payload,
                { (frame: $0, examination: FrameExamination($0[...], codec: codec)) },
                accepts: { $0.examination.shape == .sealed }
            ),
            frame.examination.shape == .sealed, let keyIndex = frame.examination.keyIndex
        else { return }
        var tally = tallies[keyIndex] ?? Tally()
        defer { tallies[keyIndex] = tally }
        if let framesPerKeyIndex, tally.checked >= framesPerKeyIndex {
            return
        }
        tally.checked += 1
        switch decryptor.decrypt(frame.frame, into: &plain) {
        case .decrypted(let steps):
            tally.ratchetSteps += steps
        case .failed(.noKey), .failed(.keyIndexOutOfRing):
            tally.missing += 1
        case .failed:
            tally.failed += 1
            firstFailedFrame = firstFailedFrame ?? frame.frame
        case .passedThrough, .serverInjected:
            tally.checked -= 1
        }
    }

    /// The result per key index, in index order.
    var results: [KeyIndexCheck] {
        tallies.keys.sorted().map { index in
            let tally = tallies[index] ?? Tally()
            let status: KeyStatus
            if tally.missing > 0 {
                status = .missingKey
            } else if tally.failed == tally.checked {
                status = .wrongKey
            } else if tally.failed > 0 {
                status = .damagedFrames
            } else {
                status = tally.ratchetSteps > 0 ? .ratcheted : .ok
            }
            return KeyIndexCheck(
                keyIndex: Int(index),
                status: status,
                ratchetSteps: tally.ratchetSteps,
                framesChecked: tally.checked,
                framesFailed: tally.failed + tally.missing,
                keyFingerprint: ring?.fingerprint(at: Int(index))
            )
        }
    }
}
