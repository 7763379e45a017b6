import Foundation
import FuzzSupport

@testable import FrameCryptCore

// Input: the contents of a key file (docs/KEYS.md).

/// libFuzzer calls this with each input; public so that the C symbol it exports links.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKeyFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let contents = Data(FuzzInput(data, size).rest)
    do {
        let keys = try KeyFile.parse(contents, source: "fuzz.json")
        fuzzCheck(!keys.entries.isEmpty, "a key file parsed without keys")
    } catch {
        let message = error.description
        fuzzCheck(
            !message.isEmpty && !message.unicodeScalars.contains { $0.properties.generalCategory == .control },
            "a key-file error is not one line: \(message)"
        )
    }
    return 0
}
