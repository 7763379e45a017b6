import FuzzSupport

@testable import FrameCryptCapture

// Input: a capture file of any of the four formats (its first bytes choose which).

/// libFuzzer calls this with each input; public so that the C symbol it exports links.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCapture(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(FuzzInput(data, size).rest)
    guard let format = CaptureFormat.detect(Array(bytes.prefix(16))) else { return 0 }
    var selection = CaptureSelection()
    for option in ["96=vp8", "98=vp9", "102=h264", "104=h265", "45=av1", "111=opus", "63=red", "97=rtx:96"] {
        try? selection.payloadTypes.add(option: option)
    }
    do {
        let reading = try CaptureReading.read(bytes: bytes, format: format, selection: selection, name: "fuzz")
        for stream in reading.streams {
            fuzzCheck(
                stream.frames.allSatisfy { !$0.data.isEmpty },
                "an empty frame was passed on as complete"
            )
        }
    } catch {
        fuzzCheck(!error.description.contains("\n"), "a capture error is not one line: \(error.description)")
    }
    return 0
}
