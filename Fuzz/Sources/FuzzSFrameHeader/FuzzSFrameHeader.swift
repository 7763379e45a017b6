import FuzzSupport

@testable import FrameCryptFormat

// Input: bytes that may start with an SFrame header (RFC 9605 §4.3).

/// libFuzzer calls this with each input; public so that the C symbol it exports links.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSFrameHeader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput(data, size).rest
    if bytes.count >= 16 {
        writeAndParse(
            keyID: bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) },
            counter: bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        )
    }
    guard case .success(let parsed) = SFrameHeader.parse(bytes[...]) else { return 0 }
    // Parsing is strict, so every header has one encoding: writing it back gives the bytes read.
    var written: [UInt8] = []
    parsed.header.append(to: &written)
    fuzzCheck(written[...] == bytes.prefix(parsed.length), "a parsed header writes back differently")
    guard case .success(let reparsed) = SFrameHeader.parse(written[...]), reparsed.header == parsed.header else {
        fatalError("a written header does not parse back")
    }
    return 0
}

/// Any KID and counter written as a header must parse back to themselves.
private func writeAndParse(keyID: UInt64, counter: UInt64) {
    var written: [UInt8] = []
    SFrameHeader(keyID: keyID, counter: counter).append(to: &written)
    guard case .success(let parsed) = SFrameHeader.parse(written[...]), parsed.length == written.count,
        parsed.header == SFrameHeader(keyID: keyID, counter: counter)
    else { fatalError("KID \(keyID) CTR \(counter) does not survive writing and parsing") }
}
