/// What a job does to a file; reports, batch plans and completion records name it.
public enum JobOperation: String, Sendable, Codable, CustomStringConvertible {
    case encrypt
    case decrypt
    case inspect
    case verifyKeys = "verify-keys"

    /// The command's name, as reports write it.
    public var description: String {
        rawValue
    }

    /// The word a progress display shows while a file is worked on.
    public var verb: String {
        switch self {
        case .encrypt: "encrypting"
        case .decrypt: "decrypting"
        case .inspect: "inspecting"
        case .verifyKeys: "checking"
        }
    }

    /// The past participle a summary uses (`3 streams encrypted`).
    public var pastParticiple: String {
        switch self {
        case .encrypt: "encrypted"
        case .decrypt: "decrypted"
        case .inspect: "inspected"
        case .verifyKeys: "checked"
        }
    }
}
