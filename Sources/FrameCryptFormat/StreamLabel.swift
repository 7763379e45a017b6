/// The metadata framecrypt writes on each stream it processes (`framecrypt-profile.md` §3, documented
/// in docs/FORMAT.md): scheme and version, key mode, participant, KDF, ratchet salt, key-ring size,
/// AES key size, SFrame cipher suite and KID layout, and the source's NAL length size. Never a key,
/// key material or key fingerprint.
///
/// Containers with free-form stream tags (Matroska, WebM, Ogg) carry it as `FRAMECRYPT_*` tags. MP4
/// and MOV keep only a few stream fields, so there it travels in the handler name, with the
/// source's handler name at the end to be restored on decryption.
public struct StreamLabel: Sendable, Hashable {
    /// The scheme of encrypted streams.
    public static let frameCryptorScheme = "webrtc-framecryptor"
    /// The scheme of SFrame-encrypted streams (RFC 9605).
    public static let sframeScheme = "sframe"
    /// The SFrame KID layout of keys without an explicit KID: `KID = sender << 8 | key index`.
    public static let senderIndexLayout = "sender-index"
    /// The SFrame KID layout of keys whose KID the key file sets.
    public static let explicitLayout = "explicit"
    /// The key mode of a shared room key.
    public static let sharedKeyMode = "shared"
    /// The key mode of one key ring per participant.
    public static let perParticipantKeyMode = "per-participant"
    /// The scheme of streams a sender without a key sent in clear.
    public static let clearScheme = "none"
    /// The version of this label layout.
    public static let currentVersion = 1
    /// Prefix of every tag name.
    public static let tagPrefix = "FRAMECRYPT_"
    /// Start of a handler name that carries a label.
    static let handlerPrefix = "framecrypt;"

    /// The scheme: ``frameCryptorScheme``, ``sframeScheme`` or ``clearScheme``.
    public var scheme: String
    /// The label layout's version (``currentVersion``).
    public var version: Int
    /// The key mode: ``sharedKeyMode`` or ``perParticipantKeyMode``.
    public var keyMode: String?
    /// The participant who sent the stream, when one was given.
    public var participant: String?
    /// The key derivation function's name (`pbkdf2`, `hkdf`).
    public var kdf: String?
    /// The ratchet salt.
    public var ratchetSalt: String?
    /// The key ring's size.
    public var keyRingSize: Int?
    /// The AES key size in bits (128 or 256).
    public var keyBits: Int?
    /// The SFrame cipher suite's registry name.
    public var cipherSuite: String?
    /// The SFrame KID layout: ``senderIndexLayout`` or ``explicitLayout``.
    public var kidLayout: String?
    /// The source's NAL length size (H.264/H.265 in avcC/hvcC), when the encrypted stream uses another.
    public var nalLengthSize: Int?
    /// Fields read from a file whose text is not a number where a number belongs (tag names without
    /// the prefix); see ``fault``.
    private var unreadableFields: [String] = []

    /// A label with the given fields; a label framecrypt writes names no key.
    public init(
        scheme: String,
        version: Int = currentVersion,
        keyMode: String? = nil,
        participant: String? = nil,
        kdf: String? = nil,
        ratchetSalt: String? = nil,
        keyRingSize: Int? = nil,
        keyBits: Int? = nil,
        cipherSuite: String? = nil,
        kidLayout: String? = nil,
        nalLengthSize: Int? = nil
    ) {
        self.scheme = scheme
        self.version = version
        self.keyMode = keyMode
        self.participant = participant
        self.kdf = kdf
        self.ratchetSalt = ratchetSalt
        self.keyRingSize = keyRingSize
        self.keyBits = keyBits
        self.cipherSuite = cipherSuite
        self.kidLayout = kidLayout
        self.nalLengthSize = nalLengthSize
    }

    /// The label's fields as (name, value) pairs without the prefix, in a fixed order.
    var fields: [(name: String, value: String)] {
        let optional: [(String, String?)] = [
            ("KEY_MODE", keyMode), ("PARTICIPANT", participant), ("KDF", kdf), ("RATCHET_SALT", ratchetSalt),
            ("KEY_RING_SIZE", keyRingSize.map(String.init)), ("KEY_BITS", keyBits.map(String.init)),
            ("CIPHER_SUITE", cipherSuite), ("KID_LAYOUT", kidLayout),
            ("NAL_LENGTH_SIZE", nalLengthSize.map(String.init)),
        ]
        return [("SCHEME", scheme), ("VERSION", String(version))]
            + optional.compactMap { name, value in value.map { (name, $0) } }
    }

    /// The label as stream tags (`FRAMECRYPT_SCHEME` …).
    public var tags: [(key: String, value: String)] {
        fields.map { (Self.tagPrefix + $0.name, $0.value) }
    }

    /// Reads a label from stream tags (names compared without case, as Matroska upper-cases them);
    /// nil when there is no `FRAMECRYPT_SCHEME` tag.
    public init?(tags: [(key: String, value: String)]) {
        var fields: [String: String] = [:]
        for (key, value) in tags where key.uppercased().hasPrefix(Self.tagPrefix) {
            fields[String(key.uppercased().dropFirst(Self.tagPrefix.count))] = value
        }
        self.init(fields: fields)
    }

    /// True for a tag name that belongs to a label.
    public static func isLabelTag(_ key: String) -> Bool {
        key.uppercased().hasPrefix(tagPrefix)
    }

    /// The label as one line of text (`framecrypt;scheme=…;version=…`), for containers that keep it in
    /// a single string: the handler name, or a file tag naming the stream.
    public var text: String {
        Self.handlerPrefix + fields.map { "\($0.name.lowercased())=\(Self.escape($0.value))" }.joined(separator: ";")
    }

    /// A handler name carrying the label, followed by the source's own handler name.
    public func handlerName(keeping original: String) -> String {
        text + ";handler=\(Self.escape(original))"
    }

    /// Reads a label and the source's handler name from ``text`` or a handler name written by
    /// ``handlerName(keeping:)``; nil for any other text.
    ///
    /// One stray character before the label is skipped: FFmpeg 5.1 reads a MOV handler name of 128
    /// bytes or more back with its length byte in front, as in `.mov` files written before labels moved to file tags there.
    public static func parse(handlerName: String) -> (label: StreamLabel, originalHandler: String)? {
        var body = Substring(handlerName)
        if !body.hasPrefix(handlerPrefix), body.dropFirst().hasPrefix(handlerPrefix) {
            body = body.dropFirst()
        }
        guard body.hasPrefix(handlerPrefix) else { return nil }
        var fields: [String: String] = [:]
        for pair in body.dropFirst(handlerPrefix.count).split(separator: ";") {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            fields[pair[..<equals].uppercased()] = unescape(pair[pair.index(after: equals)...])
        }
        guard let label = StreamLabel(fields: fields) else { return nil }
        return (label, fields["HANDLER"] ?? "")
    }

    private init?(fields: [String: String]) {
        guard let scheme = fields["SCHEME"] else { return nil }
        let numbers = ["VERSION", "KEY_RING_SIZE", "KEY_BITS", "NAL_LENGTH_SIZE"]
        self.init(
            scheme: scheme,
            version: fields["VERSION"].flatMap { Int($0) } ?? Self.currentVersion,
            keyMode: fields["KEY_MODE"],
            participant: fields["PARTICIPANT"],
            kdf: fields["KDF"],
            ratchetSalt: fields["RATCHET_SALT"],
            keyRingSize: fields["KEY_RING_SIZE"].flatMap { Int($0) },
            keyBits: fields["KEY_BITS"].flatMap { Int($0) },
            cipherSuite: fields["CIPHER_SUITE"],
            kidLayout: fields["KID_LAYOUT"],
            nalLengthSize: fields["NAL_LENGTH_SIZE"].flatMap { Int($0) }
        )
        unreadableFields = numbers.filter { name in fields[name].map { Int($0) == nil } ?? false }
    }

    /// Why a label read from a file cannot be trusted, or nil when every field it has is one
    /// framecrypt writes: a known scheme and version, a known key mode, cipher suite and KID
    /// layout, numbers where numbers belong, a NAL length size of 1, 2 or 4. A label with bytes
    /// flipped in the file fails here. The reason names fields, never their (possibly binary) text.
    public var fault: String? {
        let schemes = [Self.frameCryptorScheme, Self.sframeScheme, Self.clearScheme]
        if !schemes.contains(scheme) {
            return "its scheme is not one framecrypt writes"
        }
        if let field = unreadableFields.first {
            return "its \(Self.tagPrefix)\(field) is not a number"
        }
        if version != Self.currentVersion {
            return "its version \(version) is not one this framecrypt reads"
        }
        if let keyMode, ![Self.sharedKeyMode, Self.perParticipantKeyMode].contains(keyMode) {
            return "its key mode is not one framecrypt writes"
        }
        if let cipherSuite, SFrameCipherSuite(named: cipherSuite) == nil {
            return "its cipher suite is not one framecrypt knows"
        }
        if let kidLayout, ![Self.senderIndexLayout, Self.explicitLayout].contains(kidLayout) {
            return "its KID layout is not one framecrypt writes"
        }
        if let nalLengthSize, ![1, 2, 4].contains(nalLengthSize) {
            return "its NAL length size \(nalLengthSize) is not 1, 2 or 4"
        }
        return nil
    }

    /// Percent-escapes the separators `;`, `=` and `%` so any value survives a round trip.
    private static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "%": escaped += "%25"
            case ";": escaped += "%3B"
            case "=": escaped += "%3D"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static func unescape(_ value: Substring) -> String {
        String(value.replacing("%3B", with: ";").replacing("%3D", with: "=").replacing("%25", with: "%"))
    }
}
