internal import CFFmpeg

/// An owned copy of a stream's codec parameters (codec, dimensions, sample rate, extradata…).
///
/// A class rather than a `~Copyable` struct because stream lists hold them; each instance still has
/// a single `AVCodecParameters` that it frees in `deinit`.
public final class CodecParameters {
    let pointer: UnsafeMutablePointer<AVCodecParameters>

    /// Copies `source`. The corresponding C functions are `avcodec_parameters_alloc` and
    /// `avcodec_parameters_copy`.
    init(copying source: UnsafePointer<AVCodecParameters>) throws(FFmpegError) {
        guard let pointer = avcodec_parameters_alloc() else { throw outOfMemory("avcodec_parameters_alloc") }
        self.pointer = pointer
        try ff({ avcodec_parameters_copy(pointer, source) }, "avcodec_parameters_copy")
    }

    /// Parameters for a stream of the codec FFmpeg calls `codecName` (`vp8`, `h264`, `opus`…) that
    /// no file described: frames read off the network. Video gets `width`×`height` (0 when
    /// unknown), audio `sampleRate` and `channels`.
    ///
    /// The corresponding C functions are `avcodec_descriptor_get_by_name` and
    /// `avcodec_parameters_alloc`.
    public init(codecName: String, width: Int = 0, height: Int = 0, sampleRate: Int = 0, channels: Int = 0)
        throws(FFmpegError)
    {
        guard let descriptor = avcodec_descriptor_get_by_name(codecName) else {
            throw FFmpegError(code: CFFmpeg_AVERROR(EINVAL), operation: "avcodec_descriptor_get_by_name(\(codecName))")
        }
        guard let pointer = avcodec_parameters_alloc() else { throw outOfMemory("avcodec_parameters_alloc") }
        self.pointer = pointer
        pointer.pointee.codec_type = descriptor.pointee.type
        pointer.pointee.codec_id = descriptor.pointee.id
        if descriptor.pointee.type == AVMEDIA_TYPE_VIDEO {
            pointer.pointee.width = Int32(width)
            pointer.pointee.height = Int32(height)
        } else if descriptor.pointee.type == AVMEDIA_TYPE_AUDIO {
            setAudioFormat(sampleRate: sampleRate, channels: channels)
        }
    }

    deinit {
        var pointer: UnsafeMutablePointer<AVCodecParameters>? = pointer
        avcodec_parameters_free(&pointer)
    }

    /// An independent copy, for example to change the extradata of an output stream.
    public func copy() throws(FFmpegError) -> CodecParameters {
        try CodecParameters(copying: pointer)
    }

    /// The codec-specific configuration record (avcC, hvcC, OpusHead, AudioSpecificConfig…).
    public var extradata: [UInt8] {
        guard let data = pointer.pointee.extradata, pointer.pointee.extradata_size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(pointer.pointee.extradata_size)))
    }

    /// Replaces the extradata, in FFmpeg-allocated memory with the zeroed padding FFmpeg requires.
    ///
    /// The corresponding C functions are `av_mallocz` and `av_freep`.
    public func setExtradata(_ bytes: [UInt8]) throws(FFmpegError) {
        let padding = Int(AV_INPUT_BUFFER_PADDING_SIZE)
        guard let raw = av_mallocz(bytes.count + padding) else { throw outOfMemory("av_mallocz") }
        let data = raw.assumingMemoryBound(to: UInt8.self)
        bytes.withUnsafeBufferPointer { source in
            if let base = source.baseAddress {
                data.update(from: base, count: source.count)
            }
        }
        av_freep(&pointer.pointee.extradata)
        pointer.pointee.extradata = data
        pointer.pointee.extradata_size = Int32(bytes.count)
    }

    /// Sets the sample rate and the default channel layout for `channels` channels, for audio whose
    /// container states them only in each frame's header (ADTS in MPEG-TS, when frames are
    /// encrypted and cannot be probed by decoding). The corresponding C function is
    /// `av_channel_layout_default`.
    public func setAudioFormat(sampleRate: Int, channels: Int) {
        pointer.pointee.sample_rate = Int32(sampleRate)
        av_channel_layout_uninit(&pointer.pointee.ch_layout)
        av_channel_layout_default(&pointer.pointee.ch_layout, Int32(channels))
    }

    /// The picture width and height, or 0 for other streams.
    public var size: (width: Int, height: Int) {
        (Int(pointer.pointee.width), Int(pointer.pointee.height))
    }

    /// The audio sample rate, or 0 for other streams.
    public var sampleRate: Int {
        Int(pointer.pointee.sample_rate)
    }
}
