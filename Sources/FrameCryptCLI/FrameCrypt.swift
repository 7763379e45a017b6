public import ArgumentParser
import FrameCryptKit

/// The `framecrypt` command: WebRTC FrameCryptor end-to-end encryption for media files, offline.
public struct FrameCrypt: ParsableCommand {
    /// framecrypt's own version.
    static let release = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "framecrypt",
        abstract: "Apply WebRTC-style (LiveKit/VideoSDK FrameCryptor) end-to-end encryption to media, offline.",
        discussion: """
            Frames are encrypted byte for byte as libwebrtc's FrameCryptor does: AES-GCM with a few codec \
            header bytes left clear, the IV and key index appended. Exit status: 0 success; 1 a check, \
            key or frame failed; 64 usage error; 65 malformed input; 66 input missing; 70 internal error.
            """,
        version: (["framecrypt \(release)"] + RuntimeLibraries.versions).joined(
            separator: "\n"
        ),
        subcommands: [Encrypt.self, Decrypt.self, Vectors.self]
    )

    public init() {}
}
