import Foundation
import FuzzSupport

@testable import FrameCryptCore
@testable import FrameCryptKit

// Input: a whole media file. Each input goes through FFmpeg's demuxers as `inspect` reads it and as
// `decrypt` reads and rewrites it: even-sized inputs with the fuzz FrameCryptor keys (HKDF) and the
// drop policy, odd-sized ones with the SFrame keys and the fail policy.

private let frameCryptorKeys = FuzzFixtures.keySet("Fuzz/keys/hkdf-shared.json")
private let sframeKeys = FuzzFixtures.keySet("Fuzz/keys/sframe-shared.json")

/// A folder of this process's own in memory (tmpfs) where it exists, for the input and output files.
private let folder: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let path = "\(base)/framecrypt-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

/// libFuzzer calls this with each input; public so that the C symbol it exports links.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzContainer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = "\(folder)/input"
    let output = "\(folder)/output.mkv"
    guard FileManager.default.createFile(atPath: input, contents: Data(FuzzInput(data, size).rest)) else {
        fatalError("cannot write \(input)")
    }
    _ = try? MediaInspection.run(InspectRequest(input: input))
    let even = size % 2 == 0
    let request = DecryptRequest(
        files: FileJob(input: input, output: output, overwrite: true),
        keys: even ? frameCryptorKeys : sframeKeys,
        ratchetWindow: 1,
        onFailure: even ? .drop : .fail
    )
    do {
        _ = try MediaDecryption.run(request)
        try? FileManager.default.removeItem(atPath: output)
    } catch {
        fuzzCheck(!FileManager.default.fileExists(atPath: output), "a failed decrypt left its output: \(error)")
    }
    fuzzCheck(
        (try? FileManager.default.contentsOfDirectory(atPath: folder).sorted()) == ["input"],
        "a job left a temporary file behind"
    )
    return 0
}
