import Foundation

/// FFmpeg's own command-line tools, as independent witnesses of what framecrypt wrote.
package enum FFmpegTools {
    /// Why a tool run failed.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Every packet of every stream as FFmpeg reads it (`-f framemd5` with `-copyts`, so timestamps
    /// are the file's own): stream, dts, pts, duration, size and payload MD5, one line per packet.
    ///
    /// - Parameter encrypted: read as docs/FORMAT.md tells users to read encrypted files: no parsers
    ///   on input (`-fflags +noparse`), no automatic bitstream filters on output (`-fflags -autobsf`).
    package static func packetDigests(_ path: String, encrypted: Bool = false) throws -> [String] {
        let input = encrypted ? ["-fflags", "+noparse"] : []
        let output = encrypted ? ["-fflags", "-autobsf"] : []
        let result = try CommandRunner.system(
            "ffmpeg",
            ["-v", "quiet", "-copyts"] + input + ["-i", path, "-map", "0", "-c", "copy"] + output
                + ["-f", "framemd5", "-"]
        )
        guard result.status == 0 else { throw Failure(description: "ffmpeg framemd5 \(path): \(result.standardError)") }
        return result.standardOutput.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
    }

    /// One packet as ffprobe lists it: stream, times in seconds, key flag, size and payload MD5.
    package struct TimedPacket: Sendable, Equatable {
        package let stream: Int
        package let pts: Double?
        package let dts: Double?
        package let keyFrame: Bool
        package let size: Int
        package let digest: String
    }

    /// Every packet with its times in seconds, so files in containers with other time bases compare.
    package static func timedPackets(_ path: String, encrypted: Bool = false) throws -> [TimedPacket] {
        let input = encrypted ? ["-fflags", "+noparse"] : []
        let entries = "packet=stream_index,pts_time,dts_time,flags,size,data_hash"
        let text = try ffprobe(input + ["-show_data_hash", "MD5", "-show_entries", entries, "-of", "json", path])
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let packets = object?["packets"] as? [[String: Any]] ?? []
        return packets.map { packet in
            TimedPacket(
                stream: packet["stream_index"] as? Int ?? -1,
                pts: (packet["pts_time"] as? String).flatMap(Double.init),
                dts: (packet["dts_time"] as? String).flatMap(Double.init),
                keyFrame: (packet["flags"] as? String)?.hasPrefix("K") == true,
                size: (packet["size"] as? String).flatMap { Int($0) } ?? -1,
                digest: packet["data_hash"] as? String ?? ""
            )
        }
    }

    /// The key-frame flag of every packet (`K` or `_`), from ffprobe, per stream in file order.
    ///
    /// - Parameter encrypted: read the flags the file stores, without parsers (which would judge
    ///   key frames from ciphertext).
    package static func keyFlags(_ path: String, encrypted: Bool = false) throws -> [String] {
        let input = encrypted ? ["-fflags", "+noparse"] : []
        return try ffprobe(input + ["-show_entries", "packet=stream_index,flags", "-of", "csv=p=0", path])
            .split(separator: "\n").map(String.init)
    }

    /// ffprobe's stream descriptions (codec parameters, dispositions, tags) as JSON text, without the
    /// `DURATION` tags Matroska muxers compute themselves.
    package static func streamDescriptions(_ path: String) throws -> String {
        try ffprobe(["-show_streams", "-of", "json", path]).split(separator: "\n")
            .filter { !$0.contains("\"DURATION\"") }.joined(separator: "\n")
    }

    /// The codec name of each stream, from ffprobe.
    package static func codecNames(_ path: String) throws -> [String] {
        try ffprobe(["-show_entries", "stream=codec_name", "-of", "csv=p=0", path]).split(separator: "\n")
            .map(String.init)
    }

    /// One stream's tags from ffprobe, as `key=value` strings.
    package static func streamTags(_ path: String, stream: Int) throws -> [String: String] {
        let output = try ffprobe([
            "-select_streams", "\(stream)", "-show_entries", "stream_tags", "-of", "default=nw=1", path,
        ])
        var tags: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("TAG:") {
            let pair = line.dropFirst(4)
            guard let equals = pair.firstIndex(of: "=") else { continue }
            tags[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return tags
    }

    /// The standard output of `ffprobe -v error` with `arguments`; throws if it fails.
    private static func ffprobe(_ arguments: [String]) throws -> String {
        let result = try CommandRunner.system("ffprobe", ["-v", "error"] + arguments)
        guard result.status == 0 else { throw Failure(description: "ffprobe \(arguments): \(result.standardError)") }
        return result.standardOutput
    }

    /// Runs `ffmpeg` with `arguments` (after `-v error -y`).
    package static func ffmpeg(_ arguments: [String]) throws -> CommandResult {
        try CommandRunner.system("ffmpeg", ["-v", "error", "-y"] + arguments)
    }

    /// Remuxes an encrypted file every stream as it is, the way docs/FORMAT.md tells users to: no
    /// parsers on input and no automatic bitstream filters on output, which would read encrypted
    /// codec headers (the vp9_superframe filter fails on encrypted VP9 now and then otherwise).
    ///
    /// - Parameter options: output options placed before the output path (e.g. metadata mapping).
    package static func remuxEncrypted(_ path: String, to output: String, options: [String] = []) throws
        -> CommandResult
    {
        try ffmpeg(
            ["-fflags", "+noparse", "-i", path, "-map", "0", "-c", "copy", "-fflags", "-autobsf"] + options + [output]
        )
    }
}
