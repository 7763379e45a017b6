internal import CFFmpeg

/// An opened media file, read packet by packet.
///
/// Streams are described from the container alone where it describes them: an encrypted stream
/// cannot be decoded, and trying floods the log with decoder errors. Containers that describe
/// streams only in-band (MPEG-TS: no dimensions, no sample rate) are probed the way FFmpeg's tools
/// do; their parameter sets and audio headers stay clear when frames are encrypted.
///
/// - Important: owns its `AVFormatContext` and closes it when it goes away.
public struct Demuxer: ~Copyable {
    private var context: UnsafeMutablePointer<AVFormatContext>?
    /// The file's streams, by index. A caller may rewrite their tags (see ``MediaStream/metadata``).
    public var streams: [MediaStream]
    /// The demuxer's name (`mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`, `ogg`…).
    public let formatName: String
    /// File-level tags; a caller may rewrite them.
    public var metadata: [MetadataEntry]
    /// The file's chapters.
    public let chapters: [Chapter]
    /// The file's size in bytes, or nil when unknown.
    public let fileSize: Int64?

    /// Opens `path`.
    ///
    /// - Parameter parsesPackets: let FFmpeg's parsers look into packets. Parsers must stay off for
    ///   encrypted input: reading ciphertext they can set wrong key flags.
    /// - Throws: ``FFmpegError`` when the file cannot be opened or is not a media file.
    ///
    /// The corresponding C functions are `avformat_alloc_context` and `avformat_open_input`.
    public init(path: String, parsesPackets: Bool) throws(FFmpegError) {
        var context = avformat_alloc_context()
        guard let allocated = context else { throw outOfMemory("avformat_alloc_context") }
        if !parsesPackets {
            allocated.pointee.flags |= AVFMT_FLAG_NOPARSE
        }
        MediaLog.install()
        _ = MediaLog.takeTruncation()
        // On failure avformat_open_input frees the context and sets it to NULL.
        try ff({ avformat_open_input(&context, path, nil, nil) }, "avformat_open_input")
        guard let opened = context else { throw outOfMemory("avformat_open_input") }
        if Self.describesStreamsInBand(opened) {
            // A failed probe leaves what the container said; reading then goes on as usual.
            _ = avformat_find_stream_info(opened, nil)
            MediaLog.clearLastError()
        }
        var streams: [MediaStream] = []
        do {
            for index in 0..<Int(opened.pointee.nb_streams) {
                guard let stream = opened.pointee.streams?[index] else { continue }
                streams.append(try MediaStream(stream))
            }
        } catch {
            avformat_close_input(&context)
            throw error
        }
        let size = opened.pointee.pb.map { avio_size($0) } ?? -1
        self.context = opened
        self.streams = streams
        formatName = opened.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "unknown"
        metadata = MetadataDictionary.entries(opened.pointee.metadata)
        chapters = Chapter.chapters(of: opened)
        fileSize = size > 0 ? size : nil
    }

    deinit {
        var context = context
        avformat_close_input(&context)
    }

    /// True when an audio or video stream lacks what its container should say: a video size, an
    /// audio sample rate.
    private static func describesStreamsInBand(_ context: UnsafeMutablePointer<AVFormatContext>) -> Bool {
        (0..<Int(context.pointee.nb_streams)).contains { index in
            guard let codecpar = context.pointee.streams?[index]?.pointee.codecpar else { return false }
            switch codecpar.pointee.codec_type {
            case AVMEDIA_TYPE_VIDEO: return codecpar.pointee.width == 0 || codecpar.pointee.height == 0
            case AVMEDIA_TYPE_AUDIO: return codecpar.pointee.sample_rate == 0
            default: return false
            }
        }
    }

    /// Reads the next packet into `packet`, replacing its contents.
    ///
    /// - Returns: false at the end of the file.
    /// - Throws: ``FFmpegError`` for a read error, corrupt data, or an end that FFmpeg reported as
    ///   premature (a truncated file); never for a clean end.
    ///
    /// The corresponding C function is `av_read_frame`.
    public mutating func read(into packet: inout Packet) throws(FFmpegError) -> Bool {
        packet.clear()
        MediaLog.clearLastError()
        let code = av_read_frame(context, packet.pointer)
        if code == CFFmpeg_AVERROR_EOF() {
            if let truncation = MediaLog.takeTruncation() {
                throw FFmpegError(code: CFFmpeg_AVERROR_INVALIDDATA(), operation: "av_read_frame", detail: truncation)
            }
            return false
        }
        try check(code, "av_read_frame")
        return true
    }

    /// How far into the file reading has got, in bytes. The corresponding C function is `avio_tell`.
    public var bytePosition: Int64 {
        context?.pointee.pb.map { avio_tell($0) } ?? 0
    }
}
