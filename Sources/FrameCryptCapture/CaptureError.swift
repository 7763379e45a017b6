/// Why a capture cannot be read or written: a malformed file, an option that does not fit it, or
/// an SRTP key that does not work. The message is one line and names no key.
package struct CaptureError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, which decides the exit status the caller gives it.
    package enum Kind: Sendable {
        /// The capture's bytes are not what its format requires.
        case malformed
        /// An option names something the capture does not have, or cannot be used with it.
        case invalidArgument
        /// The SRTP keys do not open the capture's packets, or libsrtp refused them.
        case keyFailure
    }

    package let kind: Kind
    package let description: String

    package init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
