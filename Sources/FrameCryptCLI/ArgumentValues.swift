public import ArgumentParser
public import FrameCryptKit

// Kit's option values, readable from the command line by their raw names.

extension KeyDerivationFunction: ExpressibleByArgument {}
extension KeyEncoding: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}
extension FailurePolicy: ExpressibleByArgument {}
