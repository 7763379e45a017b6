/// The per-frame outcome a FrameCryptor reports, with libwebrtc's names and numbering
/// (`FrameCryptionState`: kNew=0 … kInternalError=6).
public enum FrameCryptionState: Int, Sendable, Hashable, CaseIterable {
    case new = 0
    case ok = 1
    case encryptionFailed = 2
    case decryptionFailed = 3
    case missingKey = 4
    case keyRatcheted = 5
    case internalError = 6

    /// The SDKs' string form (`ok`, `keyRatcheted`, …).
    public var name: String {
        switch self {
        case .new: "new"
        case .ok: "ok"
        case .encryptionFailed: "encryptionFailed"
        case .decryptionFailed: "decryptionFailed"
        case .missingKey: "missingKey"
        case .keyRatcheted: "keyRatcheted"
        case .internalError: "internalError"
        }
    }

    /// VideoSDK's `E2EEState` name for this state on a sender (`encrypting` true) or receiver, or nil
    /// where VideoSDK has none (new, missingKey, keyRatcheted).
    public func videoSDKName(encrypting: Bool) -> String? {
        switch self {
        case .ok: encrypting ? "EncryptionSuccess" : "DecryptionSuccess"
        case .encryptionFailed: "EncryptionFailed"
        case .decryptionFailed: "DecryptionFailed"
        case .internalError: "InternalError"
        case .new, .missingKey, .keyRatcheted: nil
        }
    }
}

extension FrameCryptionState {
    /// `counts` under VideoSDK's names; states VideoSDK has no name for are left out.
    public static func videoSDKCounts(_ counts: [FrameCryptionState: Int], encrypting: Bool) -> [String: Int] {
        var named: [String: Int] = [:]
        for (state, count) in counts {
            if let name = state.videoSDKName(encrypting: encrypting) {
                named[name, default: 0] += count
            }
        }
        return named
    }
}
