public import ArgumentParser
import FrameCryptCore
public import FrameCryptFormat
public import FrameCryptKit

// Kit's option values, readable from the command line by their raw names.

extension KeyDerivationFunction: ExpressibleByArgument {}
extension KeyEncoding: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}
extension FailurePolicy: ExpressibleByArgument {}
extension EncryptionScheme: ExpressibleByArgument {}
extension SenderFlavor: ExpressibleByArgument {}

extension SFrameCipherSuite: ExpressibleByArgument {
    /// A suite by registry name (any case) or number.
    public init?(argument: String) {
        self.init(named: argument)
    }

    public static var allValueStrings: [String] {
        allCases.map(\.name)
    }

    public var defaultValueDescription: String {
        name
    }
}
