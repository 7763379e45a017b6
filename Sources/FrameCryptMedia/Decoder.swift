internal import CFFmpeg

/// A libavcodec decoder for one stream, used to show what a server-side recorder gets when it
/// decodes encrypted frames: errors, or pictures of noise.
///
/// - Important: owns its `AVCodecContext` and a reusable `AVFrame`; both are freed in `deinit`.
public struct Decoder: ~Copyable {
    private let context: UnsafeMutablePointer<AVCodecContext>?
    private let frame: UnsafeMutablePointer<AVFrame>?
    /// The decoder's name, e.g. `h264` or `libvpx`.
    public let name: String

    /// Opens the default decoder for `parameters`' codec.
    ///
    /// - Throws: ``FFmpegError`` when FFmpeg has no decoder for it or cannot open one.
    ///
    /// The corresponding C functions are `avcodec_find_decoder`, `avcodec_alloc_context3`,
    /// `avcodec_parameters_to_context` and `avcodec_open2`.
    public init(parameters: CodecParameters) throws(FFmpegError) {
        MediaLog.install()
        guard let codec = avcodec_find_decoder(parameters.pointer.pointee.codec_id) else {
            throw FFmpegError(code: CFFmpeg_AVERROR_DECODER_NOT_FOUND(), operation: "avcodec_find_decoder")
        }
        var allocated = avcodec_alloc_context3(codec)
        guard let context = allocated else { throw outOfMemory("avcodec_alloc_context3") }
        do {
            try ff({ avcodec_parameters_to_context(context, parameters.pointer) }, "avcodec_parameters_to_context")
            context.pointee.thread_count = 1
            try ff({ avcodec_open2(context, codec, nil) }, "avcodec_open2")
        } catch {
            avcodec_free_context(&allocated)
            throw error
        }
        guard let frame = av_frame_alloc() else {
            avcodec_free_context(&allocated)
            throw outOfMemory("av_frame_alloc")
        }
        self.context = context
        self.frame = frame
        name = String(cString: codec.pointee.name)
    }

    deinit {
        var frame = frame
        var context = context
        av_frame_free(&frame)
        avcodec_free_context(&context)
    }

    /// The errors the decoder (or anything else in FFmpeg) logged since the last call.
    public func takeLoggedErrors() -> LoggedErrors {
        MediaLog.takeErrors()
    }

    /// Sends one packet and hands each picture or sound frame that comes out to `body`.
    ///
    /// - Throws: ``FFmpegError`` when the decoder rejects the packet or fails on it.
    ///
    /// The corresponding C functions are `avcodec_send_packet` and `avcodec_receive_frame`.
    public mutating func decode(
        _ packet: borrowing Packet,
        _ body: (borrowing DecodedFrame) throws(FFmpegError) -> Void
    ) throws(FFmpegError) {
        guard let context else { return }
        MediaLog.clearLastError()
        try check(avcodec_send_packet(context, packet.pointer), "avcodec_send_packet")
        try receive(body)
    }

    /// Signals the end of the stream and hands the frames still held to `body`.
    public mutating func drain(_ body: (borrowing DecodedFrame) throws(FFmpegError) -> Void) throws(FFmpegError) {
        guard let context else { return }
        let sent = avcodec_send_packet(context, nil)
        if sent != CFFmpeg_AVERROR_EOF() {
            try check(sent, "avcodec_send_packet")
        }
        try receive(body)
    }

    private mutating func receive(_ body: (borrowing DecodedFrame) throws(FFmpegError) -> Void) throws(FFmpegError) {
        guard let context, let frame else { return }
        while true {
            let received = avcodec_receive_frame(context, frame)
            if received == CFFmpeg_AVERROR(EAGAIN) || received == CFFmpeg_AVERROR_EOF() {
                return
            }
            try check(received, "avcodec_receive_frame")
            defer { av_frame_unref(frame) }
            try body(DecodedFrame(frame))
        }
    }
}

/// A decoded frame, valid only inside the closure it is handed to.
public struct DecodedFrame: ~Copyable {
    fileprivate let frame: UnsafeMutablePointer<AVFrame>

    fileprivate init(_ frame: UnsafeMutablePointer<AVFrame>) {
        self.frame = frame
    }

    /// The decoder's best guess of the frame's presentation time, in the stream's time base.
    public var timestamp: Int64? {
        let value = frame.pointee.best_effort_timestamp
        return value == CFFmpeg_AV_NOPTS_VALUE() ? nil : value
    }

    /// Picture width and height in pixels (0 for sound).
    public var width: Int { Int(frame.pointee.width) }
    /// The frame's height in pixels.
    public var height: Int { Int(frame.pointee.height) }

    /// The luma plane's bytes, row by row without padding, for 8-bit YUV pictures; nil otherwise.
    public var lumaPlane: [UInt8]? {
        guard width > 0, height > 0, Self.eightBitYUV.contains(frame.pointee.format),
            let data = frame.pointee.data.0
        else { return nil }
        let stride = Int(frame.pointee.linesize.0)
        var plane = [UInt8](repeating: 0, count: width * height)
        plane.withUnsafeMutableBufferPointer { output in
            for row in 0..<height {
                guard let target = output.baseAddress?.advanced(by: row * width) else { return }
                target.update(from: data.advanced(by: row * stride), count: width)
            }
        }
        return plane
    }

    /// A copy of the frame that outlives the closure.
    ///
    /// The corresponding C function is `av_frame_clone`.
    public func picture() throws(FFmpegError) -> Picture {
        guard let copy = av_frame_clone(frame) else { throw outOfMemory("av_frame_clone") }
        return Picture(copy)
    }

    private static let eightBitYUV: Set<Int32> = [
        AV_PIX_FMT_YUV420P.rawValue, AV_PIX_FMT_YUVJ420P.rawValue, AV_PIX_FMT_YUV422P.rawValue,
        AV_PIX_FMT_YUVJ422P.rawValue, AV_PIX_FMT_YUV444P.rawValue, AV_PIX_FMT_YUVJ444P.rawValue,
        AV_PIX_FMT_NV12.rawValue, AV_PIX_FMT_GRAY8.rawValue,
    ]
}
