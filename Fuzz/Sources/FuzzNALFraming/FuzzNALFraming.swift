import FuzzSupport

@testable import FrameCryptFormat

// Input: selector (bits 0-1: NAL length size 1-4; bit 2: H.265 rather than H.264 configuration
// record), then bytes read as a length-prefixed packet, an Annex B frame, a configuration record and
// an RBSP all at once.

/// libFuzzer calls this with each input; public so that the C symbol it exports links.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNALFraming(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = input.byte()
    let lengthSize = Int(selector & 3) + 1
    let codec: FrameCodec = selector & 4 != 0 ? .h265 : .h264
    let bytes = input.rest
    lengthPrefixedToAnnexB(bytes, lengthSize: lengthSize)
    annexBToLengthPrefixed(bytes, lengthSize: lengthSize)
    configurationRecord(bytes, codec: codec, lengthSize: lengthSize)
    emulationPrevention(bytes)
    return 0
}

/// A non-empty length-prefixed packet that converts to Annex B converts back to itself when none of its NAL
/// units holds a start code or ends in a zero byte (which Annex B cannot delimit).
private func lengthPrefixedToAnnexB(_ packet: [UInt8], lengthSize: Int) {
    var annexB: [UInt8] = []
    guard NALFraming.appendAnnexB(ofLengthPrefixed: packet, lengthSize: lengthSize, to: &annexB) else { return }
    var back: [UInt8] = []
    let converted = NALFraming.appendLengthPrefixed(ofAnnexB: annexB, lengthSize: lengthSize, to: &back)
    if !packet.isEmpty && !EmulationPrevention.needsEscaping(packet[...]) && packet.last != 0 {
        fuzzCheck(converted && back == packet, "a length-prefixed packet does not survive Annex B")
    }
}

/// An Annex B frame that converts to length-prefixed form converts back to itself exactly.
private func annexBToLengthPrefixed(_ frame: [UInt8], lengthSize: Int) {
    var packet: [UInt8] = []
    guard NALFraming.appendLengthPrefixed(ofAnnexB: frame, lengthSize: lengthSize, to: &packet) else { return }
    var back: [UInt8] = []
    fuzzCheck(
        NALFraming.appendAnnexB(ofLengthPrefixed: packet, lengthSize: lengthSize, to: &back) && back == frame,
        "an Annex B frame does not survive length-prefixing"
    )
}

/// A record rewritten to declare `lengthSize` declares it, and changes nothing else.
private func configurationRecord(_ record: [UInt8], codec: FrameCodec, lengthSize: Int) {
    guard NALFraming.lengthSize(inConfigurationRecord: record, codec: codec) != nil else { return }
    let changed = NALFraming.configurationRecord(record, codec: codec, lengthSize: lengthSize)
    fuzzCheck(
        NALFraming.lengthSize(inConfigurationRecord: changed, codec: codec) == lengthSize,
        "a rewritten configuration record declares another length size"
    )
    fuzzCheck(zip(record, changed).filter { $0 != $1 }.count <= 1, "rewriting changed more than one byte")
}

/// Escaping is undone by unescaping, is needed exactly when it changes the bytes, and leaves no
/// emulated start code.
private func emulationPrevention(_ bytes: [UInt8]) {
    var escaped: [UInt8] = []
    EmulationPrevention.escape(bytes[...], appendingTo: &escaped)
    fuzzCheck(EmulationPrevention.needsEscaping(bytes[...]) == (escaped != bytes), "needsEscaping is wrong")
    fuzzCheck(
        !escaped.indices.dropFirst(2).contains { escaped[$0 - 2] == 0 && escaped[$0 - 1] == 0 && escaped[$0] < 3 },
        "escaped bytes still hold 00 00 00, 00 00 01 or 00 00 02"
    )
    var unescaped: [UInt8] = []
    EmulationPrevention.unescape(escaped[...], appendingTo: &unescaped)
    fuzzCheck(unescaped == bytes, "unescaping does not undo escaping")
    fuzzCheck(escaped.count - unescaped.count == EmulationPrevention.escapeCount(escaped[...]), "escapeCount is wrong")
    var anyUnescaped: [UInt8] = []
    EmulationPrevention.unescape(bytes[...], appendingTo: &anyUnescaped)
    fuzzCheck(anyUnescaped.count <= bytes.count, "unescaping grew the bytes")
}
