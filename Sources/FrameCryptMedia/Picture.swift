internal import CFFmpeg

/// A decoded picture kept after decoding, to be drawn into a snapshot.
///
/// - Important: owns its `AVFrame` (a reference to the decoder's buffers) and frees it in `deinit`.
public struct Picture: ~Copyable {
    fileprivate let frame: UnsafeMutablePointer<AVFrame>?

    init(_ frame: UnsafeMutablePointer<AVFrame>) {
        self.frame = frame
    }

    deinit {
        var frame = frame
        av_frame_free(&frame)
    }

    /// The picture's width in pixels.
    public var width: Int { Int(frame?.pointee.width ?? 0) }
    /// The picture's height in pixels.
    public var height: Int { Int(frame?.pointee.height ?? 0) }
}

/// Draws pictures side by side into one PNG image.
public enum SnapshotImage {
    /// PNG bytes of `pictures` scaled to the height of the first and laid out left to right; a nil
    /// entry leaves a black panel as wide as the first picture.
    ///
    /// - Throws: ``FFmpegError`` when scaling or PNG encoding fails.
    ///
    /// The corresponding C functions are `sws_getContext`, `sws_scale` and the PNG encoder's
    /// `avcodec_send_frame`/`avcodec_receive_packet`.
    public static func png(_ left: borrowing Picture?, _ right: borrowing Picture) throws(FFmpegError) -> [UInt8] {
        let height = right.height
        let panelWidth = right.width
        guard height > 0, panelWidth > 0 else {
            throw FFmpegError(code: CFFmpeg_AVERROR_INVALIDDATA(), operation: "snapshot: empty picture")
        }
        var canvas = av_frame_alloc()
        guard let target = canvas else { throw outOfMemory("av_frame_alloc") }
        defer { av_frame_free(&canvas) }
        target.pointee.width = Int32(2 * panelWidth)
        target.pointee.height = Int32(height)
        target.pointee.format = AV_PIX_FMT_RGB24.rawValue
        try ff({ av_frame_get_buffer(target, 0) }, "av_frame_get_buffer")
        for row in 0..<height {
            target.pointee.data.0?.advanced(by: row * Int(target.pointee.linesize.0))
                .update(repeating: 0, count: 2 * panelWidth * 3)
        }
        switch left {
        case .some(let picture):
            try draw(picture.frame, into: target, x: 0, width: panelWidth, height: height)
        case .none:
            break
        }
        try draw(right.frame, into: target, x: panelWidth, width: panelWidth, height: height)
        return try encodePNG(target)
    }

    private static func draw(
        _ source: UnsafeMutablePointer<AVFrame>?,
        into target: UnsafeMutablePointer<AVFrame>,
        x: Int,
        width: Int,
        height: Int
    ) throws(FFmpegError) {
        guard let source, source.pointee.width > 0, source.pointee.height > 0 else { return }
        guard
            let scaler = sws_getContext(
                source.pointee.width,
                source.pointee.height,
                AVPixelFormat(rawValue: source.pointee.format),
                Int32(width),
                Int32(height),
                AV_PIX_FMT_RGB24,
                SWS_BILINEAR,
                nil,
                nil,
                nil
            )
        else { throw FFmpegError(code: CFFmpeg_AVERROR(EINVAL), operation: "sws_getContext") }
        defer { sws_freeContext(scaler) }
        var destination: [UnsafeMutablePointer<UInt8>?] = [target.pointee.data.0?.advanced(by: x * 3), nil, nil, nil]
        var strides: [Int32] = [target.pointee.linesize.0, 0, 0, 0]
        let sourceData = withUnsafeBytes(of: source.pointee.data) { raw in
            Array(raw.bindMemory(to: UnsafePointer<UInt8>?.self).prefix(4))
        }
        let sourceStrides = withUnsafeBytes(of: source.pointee.linesize) {
            Array($0.bindMemory(to: Int32.self).prefix(4))
        }
        let rows = sws_scale(scaler, sourceData, sourceStrides, 0, source.pointee.height, &destination, &strides)
        try check(rows, "sws_scale")
    }

    private static func encodePNG(_ frame: UnsafeMutablePointer<AVFrame>) throws(FFmpegError) -> [UInt8] {
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_PNG) else {
            throw FFmpegError(code: CFFmpeg_AVERROR_ENCODER_NOT_FOUND(), operation: "avcodec_find_encoder(png)")
        }
        var context = avcodec_alloc_context3(codec)
        guard let encoder = context else { throw outOfMemory("avcodec_alloc_context3") }
        defer { avcodec_free_context(&context) }
        encoder.pointee.width = frame.pointee.width
        encoder.pointee.height = frame.pointee.height
        encoder.pointee.pix_fmt = AV_PIX_FMT_RGB24
        encoder.pointee.time_base = AVRational(num: 1, den: 1)
        try ff({ avcodec_open2(encoder, codec, nil) }, "avcodec_open2(png)")
        var packet = av_packet_alloc()
        guard let output = packet else { throw outOfMemory("av_packet_alloc") }
        defer { av_packet_free(&packet) }
        try ff({ avcodec_send_frame(encoder, frame) }, "avcodec_send_frame")
        try ff({ avcodec_receive_packet(encoder, output) }, "avcodec_receive_packet")
        guard let data = output.pointee.data else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(output.pointee.size)))
    }
}
