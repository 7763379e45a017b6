internal import CFFmpeg

/// One compressed frame as FFmpeg holds it: payload, stream index, timestamps and flags.
///
/// - Important: the packet owns its `AVPacket` and frees it when it goes away. One packet is meant
///   to be reused for a whole file: reading into it replaces its contents, and writing it hands the
///   payload to the muxer and leaves the packet blank.
public struct Packet: ~Copyable {
    let pointer: UnsafeMutablePointer<AVPacket>

    /// An empty packet. The corresponding C function is `av_packet_alloc`.
    public init() throws(FFmpegError) {
        guard let pointer = av_packet_alloc() else { throw outOfMemory("av_packet_alloc") }
        self.pointer = pointer
    }

    deinit {
        var pointer: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&pointer)
    }

    /// The index of the stream the packet belongs to.
    public var streamIndex: Int {
        Int(pointer.pointee.stream_index)
    }

    /// Presentation timestamp in the stream's time base; nil when unknown (`AV_NOPTS_VALUE`).
    public var pts: Int64? {
        Self.timestamp(pointer.pointee.pts)
    }

    /// Decoding timestamp in the stream's time base; nil when unknown (the muxer then derives it).
    public var dts: Int64? {
        get { Self.timestamp(pointer.pointee.dts) }
        nonmutating set { pointer.pointee.dts = newValue ?? CFFmpeg_AV_NOPTS_VALUE() }
    }

    /// Duration in the stream's time base; 0 when unknown.
    public var duration: Int64 {
        pointer.pointee.duration
    }

    /// True when the container marks the packet as a key frame (`AV_PKT_FLAG_KEY`).
    public var isKeyFrame: Bool {
        get { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }
        nonmutating set {
            pointer.pointee.flags =
                newValue ? pointer.pointee.flags | AV_PKT_FLAG_KEY : pointer.pointee.flags & ~AV_PKT_FLAG_KEY
        }
    }

    /// The payload size in bytes.
    public var size: Int {
        Int(pointer.pointee.size)
    }

    /// Replaces the contents of `bytes` with a copy of the payload.
    public func copyPayload(into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        guard let data = pointer.pointee.data, size > 0 else { return }
        bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: size))
    }

    /// Replaces the payload with `bytes`, keeping timestamps, flags and side data.
    ///
    /// The payload gets a buffer of its own, sized to fit and padded as FFmpeg requires: one
    /// allocation and one copy, where making the demuxer's buffer writable and growing it could
    /// cost two of each. The corresponding C functions are `av_buffer_alloc` and `av_buffer_unref`.
    public func setPayload(_ bytes: [UInt8]) throws(FFmpegError) {
        let padding = Int(AV_INPUT_BUFFER_PADDING_SIZE)
        guard let buffer = av_buffer_alloc(bytes.count + padding), let data = buffer.pointee.data else {
            throw outOfMemory("av_buffer_alloc")
        }
        bytes.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            data.update(from: base, count: source.count)
        }
        (data + bytes.count).initialize(repeating: 0, count: padding)
        av_buffer_unref(&pointer.pointee.buf)
        pointer.pointee.buf = buffer
        pointer.pointee.data = data
        pointer.pointee.size = Int32(bytes.count)
    }

    /// Drops the payload and resets every field. The corresponding C function is `av_packet_unref`.
    public func clear() {
        av_packet_unref(pointer)
    }

    private static func timestamp(_ value: Int64) -> Int64? {
        value == CFFmpeg_AV_NOPTS_VALUE() ? nil : value
    }
}
