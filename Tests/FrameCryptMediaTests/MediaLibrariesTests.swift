import Foundation
import FrameCryptMedia
import FrameCryptTestSupport
import Testing

@Suite("FFmpeg libraries")
struct MediaLibrariesTests {
    @Test("the libraries loaded at run time are the ones pkg-config reports", arguments: [0, 1, 2])
    func versionsMatchPkgConfig(index: Int) throws {
        let names = ["libavformat", "libavcodec", "libavutil"]
        let expected = try CommandRunner.system("pkg-config", ["--modversion", names[index]])
        #expect(expected.status == 0)
        let version = expected.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(MediaLibraries.versions[index] == "\(names[index]) \(version)")
    }
}
