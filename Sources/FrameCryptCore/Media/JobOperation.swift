/// What a job does to a file; reports, batch plans and completion records name it.
package enum JobOperation: String, Sendable, Codable, CustomStringConvertible {
    case encrypt
    case decrypt
    case inspect
    case verifyKeys = "verify-keys"

    /// The command's name, as reports write it.
    package var description: String {
        rawValue
    }

    /// The word a progress display shows while a file is worked on.
    package var verb: String {
        switch self {
        case .encrypt: "encrypting"
        case .decrypt: "decrypting"
        case .inspect: "inspecting"
        case .verifyKeys: "checking"
        }
    }

    /// The past participle a summary uses (`3 streams encrypted`).
    package var pastParticiple: String {
        switch self {
        case .encrypt: "encrypted"
        case .decrypt: "decrypted"
        case .inspect: "inspected"
        case .verifyKeys: "checked"
        }
    }
}
