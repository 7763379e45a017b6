import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// One audio or video stream of an encrypt job, as every scheme's planner sees it.
struct EncryptionTarget {
    let stream: MediaStream
    let codec: FrameCodec
    /// The file, and the stream with the participant the user gave it.
    let context: StreamContext
    /// The output stream as a copy of the input's, without any label the input had.
    let untouched: OutputStreamSpec
    let format: OutputFormat

    /// The encrypted output stream: `untouched` carrying `label`, declaring the NAL length size of
    /// encrypted frames where the source's differs. Every scheme writes H.264/H.265 frames with
    /// 4-byte lengths (``EncryptingStream/encryptedLengthSize``) and keeps the source's in the label.
    func encryptedOutput(label: StreamLabel) throws(FrameCryptError) -> OutputStreamSpec {
        var output = untouched
        output.metadata = StreamTags.labelled(untouched.metadata, with: label, for: format)
        if let sourceLengthSize, sourceLengthSize != EncryptingStream.encryptedLengthSize {
            output.parameters = try stream.parameters.declaringNALLengthSize(
                EncryptingStream.encryptedLengthSize,
                codec: codec
            )
        }
        return output
    }

    /// The NAL length size of the source's H.264/H.265 configuration record; nil for other codecs.
    var sourceLengthSize: Int? {
        stream.parameters.nalLengthSize(codec: codec)
    }

    var participant: String? {
        context.description.participant
    }
}

/// A scheme's part of an encrypt job: the handler that encrypts each audio and video stream.
/// The job does the rest (streams that pass through, participants, senders without a key).
protocol EncryptionPlanner {
    /// The handler that encrypts `target`; nil when its participant holds no key at the sender's
    /// key index.
    mutating func handler(for target: EncryptionTarget, identities: inout SenderIdentities) throws(FrameCryptError)
        -> (any StreamHandler)?
    /// Warnings for the job's report, gathered while planning.
    var warnings: [String] { get }
    /// Checks the scheme's options against the input's streams before any handler is made.
    func check(_ streams: [MediaStream]) throws(FrameCryptError)
}

extension EncryptionPlanner {
    var warnings: [String] {
        []
    }

    func check(_ streams: [MediaStream]) throws(FrameCryptError) {}
}

/// A scheme's part of a decrypt job: the handler that decrypts each stream of that scheme.
protocol DecryptionPlanner {
    /// The handler that decrypts `resolved`, a media stream of this planner's scheme with a readable
    /// label (or none), into `output`.
    func handler(
        for resolved: ResolvedStream,
        codec: FrameCodec,
        output: OutputStreamSpec
    ) throws(FrameCryptError) -> any StreamHandler
}

/// The registration of every scheme: a new wire format is a case of ``EncryptionScheme``, its two
/// planners, and a line in each switch here.
extension EncryptionScheme {
    /// The planner that encrypts with this scheme; it may start deriving keys at once.
    func encryptionPlanner(_ request: EncryptRequest) throws(FrameCryptError) -> any EncryptionPlanner {
        switch self {
        case .webrtcFrameCryptor: try FrameCryptorEncryptionPlanner(request)
        case .sframe: try SFrameEncryptionPlanner(request)
        }
    }

    /// The planner that decrypts this scheme's streams; it may start deriving keys at once.
    func decryptionPlanner(_ request: DecryptRequest) -> any DecryptionPlanner {
        switch self {
        case .webrtcFrameCryptor: FrameCryptorDecryptionPlanner(request)
        case .sframe: SFrameDecryptionPlanner(request)
        }
    }
}

extension KeyProvider.Mode {
    /// The mode as stream labels write it (`FRAMECRYPT_KEY_MODE`).
    var labelText: String {
        switch self {
        case .shared: StreamLabel.sharedKeyMode
        case .perParticipant: StreamLabel.perParticipantKeyMode
        }
    }
}
