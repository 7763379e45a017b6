public import ArgumentParser
import FrameCryptCore
package import FrameCryptFormat
package import FrameCryptKit

// Kit's option values, readable from the command line by their raw names.

extension KeyDerivationFunction: ExpressibleByArgument {}
extension KeyEncoding: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}
extension FailurePolicy: ExpressibleByArgument {}
extension EncryptionScheme: ExpressibleByArgument {}
extension SenderFlavor: ExpressibleByArgument {}
extension ReceiverProfile.Name: ExpressibleByArgument {}

extension SFrameCipherSuite: ExpressibleByArgument {
    /// A suite by registry name (any case) or number.
    package init?(argument: String) {
        self.init(named: argument)
    }

    package static var allValueStrings: [String] {
        allCases.map(\.name)
    }

    package var defaultValueDescription: String {
        name
    }
}
