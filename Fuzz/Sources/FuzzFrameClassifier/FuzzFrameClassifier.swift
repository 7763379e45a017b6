import FuzzSupport

@testable import FrameCryptCore
@testable import FrameCryptFormat

// Input: codec selector, flags (bit 0: seal the frame first and examine what a sender would send),
// then a frame as inspect reads it.

/// The fuzz key file's ring (HKDF, so set-up is quick).
nonisolated(unsafe) private let keys = FuzzFixtures.keyRing("Fuzz/keys/hkdf-shared.json")

/// libFuzzer calls this with each input; public so that the C symbol it exports links.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameClassifier(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let codec = FuzzCodecs.codec(input.byte())
    let seal = input.byte() & 1 != 0
    let frame = input.rest
    let examination = FrameExamination(frame[...], codec: codec)
    fuzzCheck(examination.clearPrefixLength <= frame.count, "the clear prefix is longer than the frame")
    fuzzCheck(examination.overheadBytes <= frame.count, "the overhead is larger than the frame")
    fuzzCheck(examination.header.length == examination.clearPrefixLength, "the header is not the clear prefix")
    _ = ServerInjectedFrames.unknownTrailerLength(of: frame[...])
    if seal {
        examineSealed(frame, codec: codec)
    }
    return 0
}

/// Whatever the plaintext, the frame a sender makes of it examines as sealed, with its IV and key index.
private func examineSealed(_ frame: [UInt8], codec: FrameCodec) {
    let keyIndex = UInt8(frame.count % 2)
    var encryptor = FrameEncryptor(
        codec: codec,
        keys: keys,
        keyIndex: keyIndex,
        ssrc: 0xCAFE_F00D,
        sendCount: UInt64(frame.count % 0xFFFF)
    )
    var sealed: [UInt8] = []
    guard
        encryptor.encrypt(frame, rtpTimestamp: 90_000, into: &sealed) == .encrypted
    else { return }
    let examination = FrameExamination(sealed[...], codec: codec)
    let iv = FrameIV(ssrc: 0xCAFE_F00D, rtpTimestamp: 90_000, sendCount: UInt64(frame.count % 0xFFFF))
    fuzzCheck(examination.shape == .sealed, "a sealed frame examines as \(examination.shape)")
    fuzzCheck(examination.iv == iv && examination.keyIndex == keyIndex, "a sealed frame's trailer reads wrong")
}
