import FuzzSupport

@testable import FrameCryptCore
@testable import FrameCryptFormat

// Input: suite selector (1-5, the fixture key files sframe-suite-N.json), codec selector, flags
// (bit 0: NAL units are length-prefixed with 4 bytes), then one container packet.

/// The five fixture key sets, one per cipher suite.
private let keySets: [KeySet] = (1...5).map { FuzzFixtures.keySet("Fixtures/cryptor/keys/sframe-suite-\($0).json") }

/// libFuzzer calls this with each input; public so that the C symbol it exports links.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSFrame(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let keys = keySets[Int(input.byte()) % keySets.count]
    let codec = FuzzCodecs.codec(input.byte())
    let carriage = SFrameCarriage(codec: codec, nalLengthSize: input.byte() & 1 != 0 ? 4 : nil)
    let packet = input.rest
    guard let ciphertext = carriage.unwrap(packet[...]) else { return 0 }
    // A fresh store per input: accepted counters must not carry over from one input to the next.
    let scope = SFrameKeyStore(keys: keys).scope(for: nil, suite: keys.cipherSuite!)
    var decryptor = SFrameDecryptor(keys: scope)
    var plain: [UInt8] = [1]
    let first = decryptor.decrypt(ciphertext, into: &plain)
    guard case .decrypted = first.outcome else {
        fuzzCheck(plain.isEmpty, "a frame that did not decrypt left output behind")
        return 0
    }
    _ = carriage.agrees(plain, with: packet[...])
    let again = decryptor.decrypt(ciphertext, into: &plain)
    guard let header = first.header, case .failed(.replayedCounter(header.keyID, header.counter)) = again.outcome
    else { fatalError("a frame decrypted twice was not refused as a replay: \(again.outcome)") }
    return 0
}
