import Foundation
import FrameCryptTestSupport
import Testing

/// Outputs that are devices or pipes are written in place: a temporary file renamed over
/// `/dev/null` would replace the device for the whole machine (as root, with `--force`).
@Suite("Outputs that are devices or pipes")
struct DeviceOutputTests {
    let sharedKey = ["--key-file", Fixtures.keys("shared.json")]

    /// True when `path` is still a character device.
    private func isCharacterDevice(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFCHR
    }

    @Test("encrypting to /dev/null succeeds and leaves /dev/null a device, with or without --force")
    func devNull() throws {
        for force in [[], ["--force"]] {
            let result = try CommandRunner.framecrypt(
                ["encrypt", Fixtures.media("h264-aac.mp4"), "-o", "/dev/null", "-q"] + sharedKey + force
            )
            #expect(result.status == 0, "\(result.standardError)")
            #expect(isCharacterDevice("/dev/null"))
        }
    }

    @Test("a full device gives 74, a one-line error, and stays a device")
    func devFull() throws {
        let result = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("vp8-opus.webm"), "-o", "/dev/full", "--force"] + sharedKey
        )
        #expect(result.status == 74)
        #expect(result.standardError.contains("/dev/full: cannot be written: No space left on device"))
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        #expect(isCharacterDevice("/dev/full"))
    }

    @Test("an encrypted Matroska stream written into a named pipe decrypts to the source's packets")
    func namedPipe() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pipe = folder.appendingPathComponent("stream.mkv").path
        let captured = folder.appendingPathComponent("captured.mkv").path
        #expect(mkfifo(pipe, 0o600) == 0)
        let reader = Thread {
            if let handle = FileHandle(forReadingAtPath: pipe) {
                _ = FileManager.default.createFile(atPath: captured, contents: handle.readDataToEndOfFile())
            }
        }
        reader.start()
        let encrypted = try CommandRunner.framecrypt(
            ["encrypt", Fixtures.media("vp8-opus.webm"), "-o", pipe, "-q"] + sharedKey
        )
        #expect(encrypted.status == 0, "\(encrypted.standardError)")
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: captured) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        let decrypted = folder.appendingPathComponent("decrypted.webm").path
        let result = try CommandRunner.framecrypt(["decrypt", captured, "-o", decrypted, "-q"] + sharedKey)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try FFmpegTools.packetDigests(decrypted) == FFmpegTools.packetDigests(Fixtures.media("vp8-opus.webm")))
    }
}
