import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// What one input stream is and how framecrypt reads it, decided once for every command that reads
/// encrypted files (decrypt, verify-keys, vectors export, inspect): its codec rule, participant,
/// scheme, NAL length sizes and SFrame suite, from its label, the user's options and the keys.
///
/// The rules:
/// - Audio and video streams that are not cover pictures are media; the others pass through.
/// - A label is read from the stream's tags or handler name. A label with a ``StreamLabel/fault``
///   (bytes changed in the file) is set aside: the stream is read as if unlabelled, and
///   ``requireReadableLabel()`` refuses it as malformed input for the commands that need it.
/// - The participant is the user's (`--participant`, `--map`), else the label's.
/// - The scheme is the label's, else the one the user or the keys state, else FrameCryptor. A
///   label and keys that name different schemes or SFrame suites are a key failure.
/// - The source's NAL length size is the label's, else the file's.
struct ResolvedStream {
    /// How the stream's frames are treated.
    enum Role: Equatable {
        /// Not audio or video, or a cover picture: copied as it is.
        case passThrough
        /// Labelled as sent in clear by a sender without a key.
        case sentClear
        /// Encrypted audio or video (or read as such).
        case media
    }

    let stream: MediaStream
    let role: Role
    /// Names the file and the stream (with its participant) in messages.
    let context: StreamContext
    /// The stream's codec rule; nil when it passes through.
    let codec: FrameCodec?
    /// The label, when there is one without a fault.
    let label: StreamLabel?
    /// Why the stream's label was set aside, when it was.
    let labelFault: String?
    /// The stream's metadata without the label.
    let metadata: [MetadataEntry]
    let scheme: EncryptionScheme
    /// The NAL length size of the file's H.264/H.265 configuration record; nil for other codecs.
    let fileLengthSize: Int?
    /// The NAL length size of the source the sender encrypted: the label's, else the file's.
    let sourceLengthSize: Int?
    /// The SFrame cipher suite: the keys', else the label's, else the default. nil for
    /// FrameCryptor streams.
    let suite: SFrameCipherSuite?

    /// Resolves `stream` of `file`.
    ///
    /// - Parameters:
    ///   - keys: the keys the command holds, if it holds any.
    ///   - assumedScheme: the scheme of unlabelled streams when the keys state none (inspect's `--scheme`).
    /// - Throws: ``FrameCryptError`` `.keyFailure` when the label and the keys name different schemes
    ///   or SFrame suites.
    init(
        _ stream: MediaStream,
        file: String,
        participants: ParticipantAssignment,
        keys: KeySet?,
        assumedScheme: EncryptionScheme? = nil
    ) throws(FrameCryptError) {
        self.stream = stream
        let (found, metadata) = StreamTags.unlabelled(stream.metadata)
        self.metadata = metadata
        labelFault = found?.fault
        let label = labelFault == nil ? found : nil
        self.label = label
        let participant = participants.participant(forStream: stream.index) ?? label?.participant
        context = StreamContext(
            file: file,
            description: StreamDescription(
                index: stream.index,
                type: stream.type,
                codec: stream.codecName,
                participant: participant
            )
        )
        codec = MediaEncryption.mediaKind(of: stream).map { FrameCodec(kind: $0, name: stream.codecName) }
        switch (codec, label?.scheme) {
        case (nil, _): role = .passThrough
        case (_, StreamLabel.clearScheme): role = .sentClear
        default: role = .media
        }
        let stated = keys?.scheme ?? assumedScheme
        let labelled = label.flatMap { EncryptionScheme(rawValue: $0.scheme) }
        if let labelled, let stated = keys?.scheme, labelled != stated {
            throw context.streamFailure(
                .keyFailure,
                "the stream is encrypted with \(labelled.rawValue) but the keys are for \(stated.rawValue)"
            )
        }
        scheme = labelled ?? stated ?? .webrtcFrameCryptor
        fileLengthSize = codec.flatMap { stream.parameters.nalLengthSize(codec: $0) }
        sourceLengthSize = label?.nalLengthSize ?? fileLengthSize
        suite = scheme == .sframe ? try Self.suite(label: label, keys: keys, context: context) : nil
    }

    /// Stops a command that needs the stream's label when the label was set aside.
    ///
    /// - Throws: ``FrameCryptError`` `.malformedInput` ("malformed stream label").
    func requireReadableLabel() throws(FrameCryptError) {
        guard let labelFault else { return }
        throw context.streamFailure(
            .malformedInput,
            "malformed stream label: \(labelFault), so the file was changed after it was written"
        )
    }

    /// The participant whose keys the stream takes.
    var participant: String? {
        context.description.participant
    }

    private static func suite(
        label: StreamLabel?,
        keys: KeySet?,
        context: StreamContext
    ) throws(FrameCryptError) -> SFrameCipherSuite {
        let labelled = label?.cipherSuite.flatMap(SFrameCipherSuite.init(named:))
        if let labelled, let stated = keys?.cipherSuite, labelled != stated {
            throw context.streamFailure(
                .keyFailure,
                "the stream uses \(labelled.name) but the keys say \(stated.name)"
            )
        }
        return keys?.cipherSuite ?? labelled ?? .defaultSuite
    }
}
