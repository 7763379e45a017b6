import Foundation
import FrameCryptTestSupport
import Testing

/// RTP captures through the real CLI: `encrypt --format pcap|rtpdump` writes them, and `decrypt`,
/// `inspect`, `verify-keys` and `doctor` read them (pcap, pcapng, rtpdump, Janus .mjr, SRTP),
/// checked against FFmpeg's reading of the same frames and against tshark's reading of the packets.
@Suite("RTP captures")
struct CaptureCommandTests {
    static let key = Fixtures.keys("shared.json")

    static func run(_ arguments: [String]) throws -> CommandResult {
        try CommandRunner.framecrypt(arguments)
    }

    static func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(result.status == 0, "\(result.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    /// The payload MD5s of every packet of stream `stream`, in order, as FFmpeg reads the file.
    static func digests(_ path: String, stream: Int) throws -> [String] {
        try FFmpegTools.packetDigests(path, encrypted: true).compactMap { line in
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return Int(fields[0]) == stream && fields.count > 5 ? fields[5] : nil
        }
    }

    /// `vp8-opus.webm` encrypted with seed 25, once into WebM and once as a pcap with its SDP.
    static func encryptedPair(in folder: URL) throws -> (container: String, pcap: String, sdp: String) {
        let container = folder.appendingPathComponent("encrypted.webm").path
        let pcap = folder.appendingPathComponent("call.pcap").path
        let sdp = folder.appendingPathComponent("call.sdp").path
        let source = Fixtures.media("vp8-opus.webm")
        #expect(try run(["encrypt", source, "-o", container, "--key-file", key, "--seed", "25", "-q"]).status == 0)
        let written = try run([
            "encrypt", source, "-o", pcap, "--key-file", key, "--seed", "25", "--sdp-output", sdp, "-q",
        ])
        try #require(written.status == 0, "\(written.standardError)")
        return (container, pcap, sdp)
    }

    @Test("a pcap written by encrypt decrypts to the frames the container path gives, byte for byte")
    func pcapRoundTrip() throws {
        let folder = try Fixtures.temporaryDirectory()
        let (container, pcap, sdp) = try Self.encryptedPair(in: folder)
        let fromContainer = folder.appendingPathComponent("from-container.mkv").path
        let fromCapture = folder.appendingPathComponent("from-capture.mkv").path
        #expect(try Self.run(["decrypt", container, "-o", fromContainer, "--key-file", Self.key, "-q"]).status == 0)
        let report = try Self.json(
            try Self.run(["decrypt", pcap, "--sdp", sdp, "-o", fromCapture, "--key-file", Self.key, "--json"])
        )
        #expect(report["input"] as? String == pcap)
        // The same seed writes the same capture, byte for byte.
        let again = folder.appendingPathComponent("again.pcap").path
        let rerun = try Self.run(
            ["encrypt", Fixtures.media("vp8-opus.webm"), "-o", again, "--key-file", Self.key, "--seed", "25", "-q"]
        )
        #expect(rerun.status == 0)
        #expect(FileManager.default.contents(atPath: again) == FileManager.default.contents(atPath: pcap))
        let capture = try #require(report["capture"] as? [String: Any])
        #expect(capture["format"] as? String == "pcap")
        let streams = try #require(capture["streams"] as? [[String: Any]])
        #expect(Set(streams.compactMap { $0["codec"] as? String }) == ["vp8", "opus"])
        // The capture's streams come in the order their first packets arrived.
        let codecs = streams.compactMap { $0["codec"] as? String }
        let videoInCapture = try #require(codecs.firstIndex(of: "vp8"))
        #expect(try Self.digests(fromCapture, stream: videoInCapture) == Self.digests(fromContainer, stream: 0))
        #expect(try Self.digests(fromCapture, stream: 1 - videoInCapture) == Self.digests(fromContainer, stream: 1))
        for stream in streams {
            let sequence = try #require(stream["sequence"] as? [String: Any])
            #expect(sequence["lost"] as? Int == 0 && sequence["duplicates"] as? Int == 0)
            #expect(stream["incompleteFrames"] as? Int == 0)
        }
    }

    @Test("tshark reads the same packets and frames from encrypt --format pcap as framecrypt does")
    func tsharkAgrees() throws {
        let folder = try Fixtures.temporaryDirectory()
        let (container, pcap, sdp) = try Self.encryptedPair(in: folder)
        let fields = ["rtp.ssrc", "rtp.seq", "rtp.timestamp", "rtp.marker", "rtp.p_type", "rtp.payload"]
        let tshark = try CommandRunner.system(
            "tshark",
            ["-r", pcap, "-d", "udp.port==5004,rtp", "-Y", "rtp", "-T", "fields", "-E", "separator=;"]
                + fields.flatMap { ["-e", $0] }
        )
        try #require(tshark.status == 0, "\(tshark.standardError)")
        // Frames as tshark's packets make them: VP8 (payload type 96) without its 4-byte payload
        // descriptor, joined per RTP timestamp; Opus (111) one payload a frame.
        var video: [(timestamp: String, bytes: [UInt8])] = []
        var audio: [[UInt8]] = []
        var packets = 0
        for line in tshark.standardOutput.split(separator: "\n") {
            let parts = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            try #require(parts.count == 6, "\(line)")
            let payload = try #require(Self.bytes(hex: parts[5].replacingOccurrences(of: ":", with: "")))
            packets += 1
            if parts[4] == "96" {
                if video.last?.timestamp == parts[2] {
                    video[video.count - 1].bytes += payload.dropFirst(4)
                } else {
                    video.append((parts[2], Array(payload.dropFirst(4))))
                }
            } else if parts[4] == "111" {
                audio.append(payload)
            }
        }
        #expect(packets > 121)
        // framecrypt's reading of the same capture, kept encrypted.
        let kept = folder.appendingPathComponent("kept.mkv").path
        let report = try Self.json(
            try Self.run(["decrypt", pcap, "--sdp", sdp, "--keep-encrypted", "-o", kept, "--json"])
        )
        let streams = try #require((report["capture"] as? [String: Any])?["streams"] as? [[String: Any]])
        let videoIndex = try #require(streams.firstIndex { $0["codec"] as? String == "vp8" })
        let sequencePackets = streams.compactMap { ($0["sequence"] as? [String: Any])?["packets"] as? Int }.reduce(0, +)
        #expect(sequencePackets == packets)
        #expect(try Self.digests(kept, stream: videoIndex) == video.map { Self.md5($0.bytes) })
        #expect(try Self.digests(kept, stream: 1 - videoIndex) == audio.map(Self.md5))
        // And the frames are the ones encrypt writes into a container with the same seed.
        #expect(try Self.digests(container, stream: 0) == video.map { Self.md5($0.bytes) })
        #expect(try Self.digests(container, stream: 1) == audio.map(Self.md5))
    }

    @Test(
        "H.264 and H.265 over rtpdump (aggregation and fragmentation units, parameter sets in band) decrypt to the source's pictures",
        arguments: ["h264-aac.mp4", "h265-aac.mp4"]
    )
    func h26xRTPDump(source: String) throws {
        let folder = try Fixtures.temporaryDirectory()
        let capture = folder.appendingPathComponent("video.rtpdump").path
        let sdp = folder.appendingPathComponent("video.sdp").path
        let written = try Self.run(
            [
                "encrypt", Fixtures.media(source), "-o", capture, "--key-file", Self.key, "--seed", "4", "--sdp-output",
                sdp, "--json",
            ]
        )
        let report = try Self.json(written)
        #expect(report["format"] as? String == "rtpdump")
        #expect((report["warnings"] as? [String])?.contains { $0.contains("aac") && $0.contains("left out") } == true)
        let decrypted = folder.appendingPathComponent("video.mkv").path
        #expect(
            try Self.run(["decrypt", capture, "--sdp", sdp, "-o", decrypted, "--key-file", Self.key, "-q"]).status == 0
        )
        let pictures = { (path: String) throws -> [String] in
            let result = try FFmpegTools.ffmpeg([
                "-v", "error", "-i", path, "-map", "0:v", "-fps_mode", "passthrough", "-f", "framemd5", "-",
            ])
            return result.standardOutput.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
                String($0.split(separator: ",").last ?? "")
            }
        }
        let original = try pictures(Fixtures.media(source))
        #expect(original.count == 45)
        #expect(try pictures(decrypted) == original)
        // The picture size comes from the SPS, which the sender left in clear.
        let description = try FFmpegTools.streamDescriptions(decrypted)
        #expect(description.contains("\"width\": 320") && description.contains("\"height\": 240"))
    }

    @Test("loss, duplicates and reordering put into a capture are reported; complete frames still decrypt")
    func damagedCapture() throws {
        let folder = try Fixtures.temporaryDirectory()
        let (container, pcap, sdp) = try Self.encryptedPair(in: folder)
        var capture = try PcapRecords(path: pcap)
        let videoRecords = capture.records.indices.filter { capture.records[$0].payloadType == 96 }
        // A video frame of several packets after the first key frame (a copy starts at a key
        // frame, so losing that one would hide frames from FFmpeg's reading): lose its middle one.
        let frames = Dictionary(grouping: videoRecords) {
            capture.records[$0].payload[4..<8].reduce(0) { $0 << 8 | Int($1) }
        }
        let large = try #require(
            frames.values.filter { $0.count >= 3 && $0[0] > videoRecords[0] }.min { $0[0] < $1[0] }
        )
        let dropped = large[1]
        // Away from the lost packet: one video packet sent twice, two swapped.
        let duplicated = try #require(videoRecords.first { $0 > dropped + 3 })
        let swapped = try #require(videoRecords.first { $0 > duplicated + 3 })
        let partner = try #require(videoRecords.first { $0 > swapped })
        var damaged: [PcapRecords.Record] = []
        var index = 0
        while index < capture.records.count {
            defer { index += 1 }
            if index == dropped { continue }
            let record = capture.records[index == swapped ? partner : index == partner ? swapped : index]
            damaged.append(record)
            if index == duplicated { damaged.append(capture.records[index]) }
        }
        capture.records = damaged
        let path = folder.appendingPathComponent("damaged.pcap").path
        try capture.write(to: path)

        let decrypted = folder.appendingPathComponent("damaged.mkv").path
        let report = try Self.json(
            try Self.run(["decrypt", path, "--sdp", sdp, "-o", decrypted, "--key-file", Self.key, "--json"])
        )
        let streams = try #require(report["streams"] as? [[String: Any]])
        for stream in streams {
            #expect((stream["states"] as? [String: Int])?["decryptionFailed"] == nil)
        }
        let captureStreams = try #require((report["capture"] as? [String: Any])?["streams"] as? [[String: Any]])
        let video = try #require(captureStreams.first { $0["codec"] as? String == "vp8" })
        let sequence = try #require(video["sequence"] as? [String: Any])
        #expect(sequence["lost"] as? Int == 1)
        #expect(sequence["duplicates"] as? Int == 1)
        #expect((sequence["reordered"] as? Int ?? 0) >= 1)
        #expect(video["incompleteFrames"] as? Int == 1)
        #expect(((video["incomplete"] as? [[String: Any]])?.first)?["reason"] as? String == "packet-lost-inside")
        // Every frame that decrypted is the sender's, in order, and only the damaged one is missing.
        let videoIndex = try #require(captureStreams.firstIndex { $0["codec"] as? String == "vp8" })
        let expected = try Self.digests(Self.decrypted(container, in: folder), stream: 0)
        let got = try Self.digests(decrypted, stream: videoIndex)
        #expect(got.count == expected.count - 1)
        #expect(got.allSatisfy(expected.contains))

        let inspect = try Self.json(try Self.run(["inspect", path, "--sdp", sdp, "--json"]))
        let codes = Set((inspect["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
        // The lost frame also shows as a jump in the IVs' send counter.
        #expect(
            codes.isSuperset(of: [
                "packet-loss", "duplicate-packets", "packet-reordering", "incomplete-frames", "send-count-jump",
            ])
        )
        #expect(try Self.run(["inspect", path, "--sdp", sdp, "--check"]).status == 1)
    }

    static func decrypted(_ container: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("reference.mkv").path
        let result = try run(["decrypt", container, "-o", path, "--key-file", key, "--force", "-q"])
        try #require(result.status == 0, "\(result.standardError)")
        return path
    }

    @Test("a Janus recording built from the capture's packets decrypts and inspects, E2EE flag and all")
    func janusRecording() throws {
        let folder = try Fixtures.temporaryDirectory()
        let (container, pcap, _) = try Self.encryptedPair(in: folder)
        let capture = try PcapRecords(path: pcap)
        let recording = folder.appendingPathComponent("video.mjr").path
        try PcapRecords.writeJanusRecording(
            capture.records.filter { $0.payloadType == 96 },
            kind: "v",
            codec: "vp8",
            to: recording
        )
        let decrypted = folder.appendingPathComponent("video.mkv").path
        let report = try Self.json(
            try Self.run(["decrypt", recording, "-o", decrypted, "--key-file", Self.key, "--json"])
        )
        #expect((report["capture"] as? [String: Any])?["endToEndEncrypted"] as? Bool == true)
        #expect(
            try Self.digests(decrypted, stream: 0) == Self.digests(Self.decrypted(container, in: folder), stream: 0)
        )
        let inspect = try Self.json(try Self.run(["inspect", recording, "--json"]))
        let stream = try #require((inspect["streams"] as? [[String: Any]])?.first)
        #expect(stream["encryptedFrames"] as? Int == 45)
        #expect(inspect["file"] as? String == recording)
        let verify = try Self.run(["verify-keys", recording, "--key-file", Self.key, "--json"])
        #expect(verify.status == 0)
    }

    @Test("SRTP captures, AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM, open with their keys only")
    func srtp() throws {
        let folder = try Fixtures.temporaryDirectory()
        let reference = try Self.decrypted(try Self.encryptedPair(in: folder).container, in: folder)
        for (profile, key) in [
            ("AES_CM_128_HMAC_SHA1_80", "\"key\": \"" + Data((0..<30).map { UInt8($0) }).base64EncodedString() + "\""),
            (
                "AEAD_AES_128_GCM",
                "\"masterKey\": \"000102030405060708090a0b0c0d0e0f\", \"masterSalt\": \"101112131415161718191a1b\""
            ),
        ] {
            let keys = folder.appendingPathComponent("\(profile).json").path
            try Data("{\"srtp\": [{\"profile\": \"\(profile)\", \(key)}]}".utf8).write(to: URL(fileURLWithPath: keys))
            let capture = folder.appendingPathComponent("\(profile).pcap").path
            let sdp = folder.appendingPathComponent("\(profile).sdp").path
            let written = try Self.run(
                [
                    "encrypt", Fixtures.media("vp8-opus.webm"), "-o", capture, "--key-file", Self.key, "--seed", "25",
                    "--srtp-key-file", keys, "--sdp-output", sdp, "-q",
                ]
            )
            try #require(written.status == 0, "\(written.standardError)")
            let decrypted = folder.appendingPathComponent("\(profile).mkv").path
            let opened = try Self.json(
                try Self.run([
                    "decrypt", capture, "--sdp", sdp, "--srtp-key-file", keys, "-o", decrypted, "--key-file", Self.key,
                    "--json",
                ])
            )
            let streams = try #require((opened["capture"] as? [String: Any])?["streams"] as? [[String: Any]])
            let videoIndex = try #require(streams.firstIndex { $0["codec"] as? String == "vp8" })
            #expect(try Self.digests(decrypted, stream: videoIndex) == Self.digests(reference, stream: 0), "\(profile)")
            // Without the SRTP keys the payloads are SRTP ciphertext: nothing decrypts.
            let without = try Self.run([
                "decrypt", capture, "--sdp", sdp, "-o", decrypted, "--force", "--key-file", Self.key,
            ])
            #expect(without.status != 0, "\(profile)")
            // With another master key no packet authenticates.
            let wrong = folder.appendingPathComponent("wrong.json").path
            try Data(
                "{\"srtp\": [{\"profile\": \"\(profile)\", \"key\": \"\(Data(repeating: 7, count: profile.hasPrefix("AEAD") ? 28 : 30).base64EncodedString())\"}]}"
                    .utf8
            )
            .write(to: URL(fileURLWithPath: wrong))
            let refused = try Self.run([
                "decrypt", capture, "--sdp", sdp, "--srtp-key-file", wrong, "-o", decrypted, "--force", "--key-file",
                Self.key,
            ])
            #expect(refused.status == 1, "\(profile): \(refused.standardError)")
            #expect(refused.standardError.contains("SRTP"))
            #expect(!refused.standardError.contains("BwcH"))
        }
    }

    @Test("pcapng, stream selection, --map SSRC=ID, and clear one-line errors for what does not fit")
    func selectionAndErrors() throws {
        let folder = try Fixtures.temporaryDirectory()
        let (_, pcap, sdp) = try Self.encryptedPair(in: folder)
        let pcapng = folder.appendingPathComponent("call.pcapng").path
        let converted = try CommandRunner.system("editcap", ["-F", "pcapng", pcap, pcapng])
        try #require(converted.status == 0, "\(converted.standardError)")
        let video = try #require(try PcapRecords(path: pcap).records.first { $0.payloadType == 96 }?.ssrc)
        let selected = try Self.json(
            try Self.run([
                "inspect", pcapng, "--pt", "96=vp8", "--pt", "111=opus", "--ssrc", String(format: "0x%08x", video),
                "--json",
            ])
        )
        #expect((selected["streams"] as? [[String: Any]])?.count == 1)
        #expect((selected["capture"] as? [String: Any])?["format"] as? String == "pcapng")
        let filtered = try Self.json(
            try Self.run(["inspect", pcap, "--sdp", sdp, "--filter", "udp and not pt 96", "--json"])
        )
        #expect((filtered["streams"] as? [[String: Any]])?.first?["codec"] as? String == "opus")
        let mapped = try Self.json(
            try Self.run([
                "decrypt", pcap, "--sdp", sdp, "--map", "\(video)=alice", "-o",
                folder.appendingPathComponent("m.mkv").path, "--key-file", Self.key, "--json",
            ])
        )
        let participants = (mapped["streams"] as? [[String: Any]] ?? []).map { $0["participant"] as? String }
        #expect(participants.contains("alice"))

        let unmapped = try Self.run(["inspect", pcap])
        #expect(unmapped.status == 64)
        #expect(unmapped.standardError.contains("payload types 96") && unmapped.standardError.contains("--pt"))
        #expect(unmapped.standardError.split(separator: "\n").count == 1)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pcap))
        let truncated = folder.appendingPathComponent("cut.pcap").path
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: truncated))
        let cut = try Self.run([
            "decrypt", truncated, "--sdp", sdp, "-o", folder.appendingPathComponent("cut.mkv").path, "--key-file",
            Self.key,
        ])
        #expect(cut.status == 65)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("cut.mkv").path))
        let notMatroska = try Self.run([
            "decrypt", pcap, "--sdp", sdp, "--keep-encrypted", "-o", folder.appendingPathComponent("k.mp4").path,
        ])
        #expect(notMatroska.status == 64)
        let wrongCommand = try Self.run([
            "decrypt", pcap, "--format", "pcap", "-o", folder.appendingPathComponent("x.pcap").path, "--key-file",
            Self.key,
        ])
        #expect(wrongCommand.status == 64)
        let badFilter = try Self.run(["inspect", pcap, "--sdp", sdp, "--filter", "port banana"])
        #expect(badFilter.status == 64 && badFilter.standardError.contains("banana"))
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        return stride(from: 0, to: digits.count, by: 2).compactMap {
            UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16)
        }
    }

    static func md5(_ bytes: [UInt8]) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fc-md5-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try? CommandRunner.system("md5sum", [path])
        return String(result?.standardOutput.prefix(32) ?? "")
    }
}
