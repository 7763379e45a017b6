import FuzzSupport

@testable import FrameCryptCore
@testable import FrameCryptFormat

// Input: codec selector, flags, frame.
// flags bits 0-1: ratchet window (0-2); bit 2: a server-injected-frame trailer is configured;
// bit 3: the frame is a plaintext to seal and open again, which must give it back; bit 4: seal it
// as a key frame. Without bit 3 the frame is a received one to decrypt.

/// Ratchet steps derived up front for every key, so that no input pays for a derivation.
private let derivedSteps = 2
private let trailer: [UInt8] = Array("framecrypt-fuzz-sif".utf8)

/// The fixture room keys (Fixtures/cryptor/keys/shared.json), the ring every input starts from.
nonisolated(unsafe) private let master: KeyRing = {
    let ring = FuzzFixtures.keyRing("Fixtures/cryptor/keys/shared.json")
    for index in 0..<ring.size {
        _ = try? ring.chain(at: index)?.key(aheadBy: derivedSteps)
    }
    return ring
}()

/// libFuzzer calls this with each input; public so that the C symbol it exports links.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameCryptor(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let codec = FuzzCodecs.codec(input.byte())
    let flags = input.byte()
    let frame = input.rest
    if flags & 8 != 0 {
        roundTrip(frame, codec: codec)
    } else {
        decrypt(frame, codec: codec, flags: flags)
    }
    return 0
}

private func decrypt(_ frame: [UInt8], codec: FrameCodec, flags: UInt8) {
    var decryptor = FrameDecryptor(
        codec: codec,
        keys: master.copy(),
        ratchetWindow: min(Int(flags & 3), derivedSteps),
        serverInjectedTrailer: flags & 4 != 0 ? trailer : nil
    )
    var output: [UInt8] = [1]
    switch decryptor.decrypt(frame, into: &output) {
    case .decrypted, .serverInjected, .recovered: break
    case .passedThrough, .failed: fuzzCheck(output.isEmpty, "a frame that did not decrypt left output behind")
    }
}

/// Sends `frame` as a sender would (key 0) and receives it with a fresh receiver, which must give
/// it back byte for byte (AV1 without a leading temporal delimiter, which senders drop). Empty frames
/// pass through; frames shorter than their clear prefix are refused.
private func roundTrip(_ frame: [UInt8], codec: FrameCodec) {
    var encryptor = FrameEncryptor(codec: codec, keys: master, keyIndex: 0, ssrc: 0x1234_5678, sendCount: 7)
    var sealed: [UInt8] = []
    let sent = encryptor.encrypt(frame, rtpTimestamp: UInt32(frame.count), into: &sealed)
    let clearBytes = ClearPrefix.ruleLength(of: frame[...], codec: codec)
    guard !frame.isEmpty, clearBytes <= frame.count else {
        fuzzCheck(sent == (frame.isEmpty ? .passedThrough : .tooShort(clearBytes: clearBytes)), "sent \(sent)")
        return
    }
    fuzzCheck(sent == .encrypted, "sending failed: \(sent)")
    var decryptor = FrameDecryptor(codec: codec, keys: master.copy(), ratchetWindow: 0)
    var opened: [UInt8] = []
    let received = decryptor.decrypt(sealed, into: &opened)
    fuzzCheck(received == .decrypted(ratchetSteps: 0), "receiving failed: \(received)")
    let dropped = codec == .av1 ? AV1Storage.temporalDelimiterLength(of: frame[...]) : 0
    fuzzCheck(opened[...] == frame.dropFirst(dropped), "a sent frame was received as other bytes")
}
