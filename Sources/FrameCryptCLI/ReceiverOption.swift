import ArgumentParser
import FrameCryptCore

/// The rules `--receiver` and `--ratchet-window` share across commands.
enum ReceiverOption {
    /// A profile sets its SDK's own window, so the two options exclude each other.
    static func validate(receiver: ReceiverProfile.Name?, ratchetWindow: Int?) throws {
        if let ratchetWindow, ratchetWindow < 0 {
            throw ValidationError("--ratchet-window must be 0 or more.")
        }
        if let receiver, ratchetWindow != nil {
            throw ValidationError(
                "--receiver \(receiver.rawValue) uses that SDK's own ratchet window; leave out --ratchet-window."
            )
        }
    }
}
