package import ArgumentParser
import FrameCryptCore
import FrameCryptKit

/// The `framecrypt` command: WebRTC FrameCryptor end-to-end encryption for media files, offline.
package struct FrameCrypt: ParsableCommand {
    /// framecrypt's own version.
    static let release = "0.1.0"

    package static let configuration = CommandConfiguration(
        commandName: "framecrypt",
        abstract: "Apply WebRTC-style (LiveKit/VideoSDK FrameCryptor) end-to-end encryption to media, offline.",
        discussion: """
            Frames are encrypted byte for byte as libwebrtc's FrameCryptor does: AES-GCM with a few codec \
            header bytes left clear, the IV and key index appended. With --scheme sframe (or "scheme": \
            "sframe" in the key file) each frame is an RFC 9605 SFrame ciphertext instead, under one of \
            the five cipher suites (docs/FORMAT.md, docs/KEYS.md). decrypt, inspect, verify-keys and \
            doctor also read RTP captures (pcap, pcapng, rtpdump, Janus .mjr, SRTP with --srtp-key-file): \
            each SSRC's packets are put in order and depacketized into the frames a receiver gets; \
            encrypt --format pcap|rtpdump writes them (docs/CAPTURES.md). \(ExitStatusDocs.sentence(.framecrypt))

            Key file (--key-file, JSON): {"kdf": "pbkdf2" or "hkdf", "ratchetSalt": text (default \
            LKFrameEncryptionKey), "keyRingSize": 1-255 (default 16), "keyBits": 128 or 256, and exactly \
            one of "sharedKey": KEY and "participants": {ID: KEY, ...}}, where KEY is {"text": ...}, \
            {"hex": ...} or {"base64": ...}, or a list of such objects each with its ring "index". SFrame \
            key files add "scheme": "sframe", "cipherSuite" (name or 1-5) and an optional "kid" per key, \
            and take no "kdf", "ratchetSalt" or "keyBits". Unknown \
            fields, bad encodings and empty keys are errors. A shared key can also come from an \
            environment variable (--shared-key-env) or stdin (--shared-key-stdin), and a whole key file \
            from a program's output (--key-command) or a key service (--key-url, HTTPS); keys are never \
            taken from the command line and never printed. A key file that group or others may read is \
            refused (65) unless --allow-shared-key-file. `framecrypt keys` generates, rotates and shows \
            key files. See docs/KEYS.md, docs/FORMAT.md and \
            docs/SERVER-SIDE-RECORDING.md (why a server-side recording of an E2EE room cannot be decoded).
            """,
        version: (["framecrypt \(release)"] + RuntimeLibraries.versions).joined(
            separator: "\n"
        ),
        subcommands: [
            Encrypt.self, Decrypt.self, Inspect.self, VerifyKeys.self, Doctor.self, Keys.self, Vectors.self,
            Fixtures.self,
        ]
    )

    package init() {}
}
