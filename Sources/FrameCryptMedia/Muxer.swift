internal import CFFmpeg

/// What a new output stream is made of: codec parameters, a preferred time base, frame rates,
/// aspect ratio, tags and disposition.
public struct OutputStreamSpec {
    /// The codec parameters the output stream declares.
    public var parameters: CodecParameters
    /// The muxer may pick another time base; read ``Muxer/timeBase(ofStream:)`` after the header.
    public var timeBase: Rational
    /// The output stream's tags.
    public var metadata: [MetadataEntry]
    /// The output stream's disposition flags.
    public var disposition: StreamDisposition
    /// Side data (a rotation's display matrix…).
    public var sideData: [StreamSideData]
    /// How many frames the muxer may see out of presentation order; it derives the decoding
    /// timestamps of packets that have none from this (`AVCodecParameters.video_delay`).
    public var reorderDelay: Int?

    /// The average frame rate to declare (0/0 when unknown).
    public var averageFrameRate: Rational
    /// The base frame rate to declare (0/0 when unknown).
    public var baseFrameRate: Rational
    /// The pixel aspect ratio to declare (0/1 when unknown).
    public var sampleAspectRatio: Rational

    /// The spec of a new stream with `parameters` in `timeBase`, tagged with `metadata`.
    public init(parameters: CodecParameters, timeBase: Rational, metadata: [MetadataEntry] = []) {
        self.parameters = parameters
        self.timeBase = timeBase
        self.metadata = metadata
        disposition = StreamDisposition(rawValue: 0)
        sideData = []
        averageFrameRate = Rational(numerator: 0, denominator: 0)
        baseFrameRate = Rational(numerator: 0, denominator: 0)
        sampleAspectRatio = Rational(numerator: 0, denominator: 1)
    }

    /// The spec of a stream that copies `stream`, with its parameters, tags and disposition.
    public init(copying stream: MediaStream) {
        parameters = stream.parameters
        timeBase = stream.timeBase
        metadata = stream.metadata
        disposition = stream.disposition
        sideData = stream.sideData
        averageFrameRate = stream.averageFrameRate
        baseFrameRate = stream.baseFrameRate
        sampleAspectRatio = stream.sampleAspectRatio
    }
}

/// A media file being written: streams are added first, then the header, packets and trailer.
///
/// Packets are written exactly as given: FFmpeg's automatic bitstream filters (`AVFMT_FLAG_AUTO_BSF`)
/// are turned off, since they would rewrite encrypted payloads (`vp9_superframe` merges frames).
/// IVF is written here through FFmpeg's I/O layer rather than its IVF muxer, which filters VP9 and
/// AV1 frames whatever the flags say (``IVFFraming``).
///
/// - Important: owns its `AVFormatContext` and output file handle. ``finish()`` writes the trailer
///   and closes the file; a muxer dropped without it frees everything and leaves the partial file
///   for the caller to remove.
public struct Muxer: ~Copyable {
    private let context: UnsafeMutablePointer<AVFormatContext>
    private let path: String
    /// Added to each stream's timestamps after conversion to its time base (see ``writeHeader()``).
    private var timestampOffsets: [Int64] = []
    /// True for IVF, whose headers this type writes itself.
    private let writesIVF: Bool
    /// IVF: frames written, for the file header's count.
    private var ivfFrames: UInt32 = 0

    /// Prepares `formatName` output (`mp4`, `mov`, `matroska`, `webm`, `ogg`…) to `path`.
    ///
    /// - Parameters:
    ///   - bitExact: leave out everything random or version-dependent (Matroska segment and track ids,
    ///     Ogg serial numbers, encoder strings), so the same input gives the same bytes.
    ///   - shiftsNegativeTimestamps: let the muxer shift timestamps so none is negative, as it does by
    ///     default; false writes them as given (`avoid_negative_ts` disabled), so that a remux into
    ///     the source's own container keeps every timestamp.
    ///
    /// The corresponding C function is `avformat_alloc_output_context2`.
    public init(path: String, formatName: String, bitExact: Bool, shiftsNegativeTimestamps: Bool) throws(FFmpegError) {
        MediaLog.install()
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        try ff({ avformat_alloc_output_context2(&context, nil, formatName, path) }, "avformat_alloc_output_context2")
        guard let context else { throw outOfMemory("avformat_alloc_output_context2") }
        context.pointee.flags &= ~AVFMT_FLAG_AUTO_BSF
        if bitExact {
            context.pointee.flags |= AVFMT_FLAG_BITEXACT
        }
        if !shiftsNegativeTimestamps {
            context.pointee.avoid_negative_ts = AVFMT_AVOID_NEG_TS_DISABLED
        }
        self.context = context
        self.path = path
        writesIVF = formatName == "ivf"
    }

    /// True when FFmpeg's `formatName` muxer says it can store every codec of `parameters`; false
    /// when it says it cannot, or cannot tell. The corresponding C function is `avformat_query_codec`.
    public static func canStore(_ parameters: [CodecParameters], formatName: String) -> Bool {
        guard let format = av_guess_format(formatName, nil, nil) else { return false }
        return parameters.allSatisfy {
            avformat_query_codec(format, $0.pointer.pointee.codec_id, FF_COMPLIANCE_NORMAL) == 1
        }
    }

    deinit {
        if context.pointee.pb != nil {
            avio_closep(&context.pointee.pb)
        }
        avformat_free_context(context)
    }

    /// Sets file-level tags.
    public func setMetadata(_ entries: [MetadataEntry]) throws(FFmpegError) {
        try MetadataDictionary.set(entries, in: &context.pointee.metadata)
    }

    /// Sets the file's chapters, before the header is written; a second call changes nothing.
    public func setChapters(_ chapters: [Chapter]) throws(FFmpegError) {
        try Chapter.set(chapters, in: context)
    }

    /// Adds a stream; streams are numbered in the order they are added.
    ///
    /// The source's codec tag (`hvc1`, `avc1`…) is kept when the output format accepts it for the
    /// codec, so that a same-format remux keeps it; otherwise the muxer chooses.
    ///
    /// The corresponding C functions are `avformat_new_stream` and `avcodec_parameters_copy`.
    public func addStream(_ spec: OutputStreamSpec) throws(FFmpegError) {
        guard let stream = avformat_new_stream(context, nil) else { throw outOfMemory("avformat_new_stream") }
        guard let codecpar = stream.pointee.codecpar else { throw outOfMemory("AVStream.codecpar") }
        try ff({ avcodec_parameters_copy(codecpar, spec.parameters.pointer) }, "avcodec_parameters_copy")
        if let reorderDelay = spec.reorderDelay {
            codecpar.pointee.video_delay = Int32(reorderDelay)
        }
        if !keepsCodecTag(codecpar.pointee.codec_tag, of: codecpar.pointee.codec_id) {
            codecpar.pointee.codec_tag = 0
        }
        stream.pointee.time_base = spec.timeBase.rational
        stream.pointee.avg_frame_rate = spec.averageFrameRate.rational
        stream.pointee.r_frame_rate = spec.baseFrameRate.rational
        if spec.sampleAspectRatio.numerator != 0 {
            // The MP4 muxer writes `pasp` from the codec parameters, which the demuxer leaves unset.
            stream.pointee.sample_aspect_ratio = spec.sampleAspectRatio.rational
            codecpar.pointee.sample_aspect_ratio = spec.sampleAspectRatio.rational
        }
        stream.pointee.disposition = spec.disposition.rawValue
        try MetadataDictionary.set(spec.metadata, in: &stream.pointee.metadata)
        try StreamSideData.add(spec.sideData, to: stream)
    }

    private func keepsCodecTag(_ tag: UInt32, of codec: AVCodecID) -> Bool {
        guard let tags = context.pointee.oformat.pointee.codec_tag else { return true }
        if av_codec_get_id(tags, tag) == codec {
            return true
        }
        var known: UInt32 = 0
        return av_codec_get_tag2(tags, codec, &known) == 0
    }

    /// Opens the file and writes the header.
    ///
    /// FFmpeg 5.1's Matroska muxer writes an Opus stream's `CodecDelay` without moving its
    /// timestamps, while the demuxer moves them back by it; the muxer here adds it, so timestamps
    /// read back as they were written (later FFmpeg versions do this inside the muxer).
    ///
    /// - Parameter options: the muxer's private options (`movie_timescale`, `movflags`…), by name.
    ///
    /// The corresponding C functions are `avio_open`, `av_dict_set` and `avformat_write_header`.
    public mutating func writeHeader(options: [String: String] = [:]) throws(FFmpegError) {
        if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
            try ff({ avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE) }, "avio_open")
        }
        if writesIVF {
            try writeIVFHeader()
            return
        }
        var dictionary: OpaquePointer? = nil
        defer { av_dict_free(&dictionary) }
        for (name, value) in options.sorted(by: { $0.key < $1.key }) {
            try ff({ av_dict_set(&dictionary, name, value, 0) }, "av_dict_set")
        }
        try ff({ avformat_write_header(context, &dictionary) }, "avformat_write_header")
        let matroska = ["matroska", "webm"].contains(String(cString: context.pointee.oformat.pointee.name))
        timestampOffsets = (0..<Int(context.pointee.nb_streams)).map { index in
            guard matroska, avformat_version() >> 16 <= 59, let stream = context.pointee.streams?[index],
                let codecpar = stream.pointee.codecpar, codecpar.pointee.codec_id == AV_CODEC_ID_OPUS
            else { return 0 }
            let nanoseconds = AVRational(num: 1, den: 1_000_000_000)
            let delay = av_rescale_q(
                Int64(codecpar.pointee.initial_padding),
                AVRational(num: 1, den: 48_000),
                nanoseconds
            )
            return av_rescale_q(delay, nanoseconds, stream.pointee.time_base)
        }
    }

    /// IVF: one video stream, its file header written with FFmpeg's I/O functions.
    /// The corresponding C function is `avio_write`.
    private func writeIVFHeader() throws(FFmpegError) {
        guard context.pointee.nb_streams == 1, let stream = context.pointee.streams?[0],
            let codecpar = stream.pointee.codecpar, codecpar.pointee.codec_type == AVMEDIA_TYPE_VIDEO
        else {
            throw FFmpegError(
                code: CFFmpeg_AVERROR(EINVAL),
                operation: "ivf header",
                detail: "IVF holds exactly one video stream"
            )
        }
        let header = try IVFFraming.fileHeader(codecpar, timeBase: stream.pointee.time_base, frames: 0)
        avio_write(context.pointee.pb, header, Int32(header.count))
    }

    /// The time base the muxer chose for stream `index` (valid after ``writeHeader()``).
    public func timeBase(ofStream index: Int) -> Rational {
        guard let stream = context.pointee.streams?[index] else { return Rational(numerator: 1, denominator: 1) }
        return Rational(stream.pointee.time_base)
    }

    /// Writes `packet` to stream `index`, converting its timestamps from `timeBase`. The packet is
    /// blank afterwards, even on error.
    ///
    /// Packets are written in the order given, not re-interleaved: a remux keeps the source's
    /// interleaving, which is what players and FFmpeg's own timestamp guesses for containers without
    /// decoding timestamps depend on.
    ///
    /// The corresponding C functions are `av_packet_rescale_ts` and `av_write_frame`.
    public mutating func write(_ packet: inout Packet, toStream index: Int, from timeBase: Rational)
        throws(FFmpegError)
    {
        packet.pointer.pointee.stream_index = Int32(index)
        packet.pointer.pointee.pos = -1
        av_packet_rescale_ts(packet.pointer, timeBase.rational, self.timeBase(ofStream: index).rational)
        if timestampOffsets.indices.contains(index), timestampOffsets[index] != 0 {
            let offset = timestampOffsets[index]
            let none = CFFmpeg_AV_NOPTS_VALUE()
            if packet.pointer.pointee.pts != none {
                packet.pointer.pointee.pts += offset
            }
            if packet.pointer.pointee.dts != none {
                packet.pointer.pointee.dts += offset
            }
        }
        defer { av_packet_unref(packet.pointer) }
        if writesIVF {
            let pts = packet.pointer.pointee.pts != CFFmpeg_AV_NOPTS_VALUE() ? packet.pointer.pointee.pts : 0
            let size = Int(packet.pointer.pointee.size)
            let header = IVFFraming.frameHeader(size: size, pts: pts)
            avio_write(context.pointee.pb, header, Int32(header.count))
            if let data = packet.pointer.pointee.data {
                avio_write(context.pointee.pb, data, Int32(size))
            }
            ivfFrames += 1
            _ = try check(context.pointee.pb.pointee.error, "avio_write")
            return
        }
        try ff({ av_write_frame(context, packet.pointer) }, "av_write_frame")
    }

    /// Flushes queued packets, writes the trailer and closes the file.
    ///
    /// The corresponding C functions are `av_write_trailer` and `avio_closep`.
    public consuming func finish() throws(FFmpegError) {
        if writesIVF {
            let count = IVFFraming.littleEndian(Int(ivfFrames), bytes: 4)
            if avio_seek(context.pointee.pb, IVFFraming.frameCountOffset, SEEK_SET) >= 0 {
                avio_write(context.pointee.pb, count, Int32(count.count))
            }
            _ = try check(context.pointee.pb.pointee.error, "avio_write")
        } else {
            try ff({ av_write_trailer(context) }, "av_write_trailer")
        }
        if context.pointee.pb != nil {
            try ff({ avio_closep(&context.pointee.pb) }, "avio_closep")
        }
    }
}
