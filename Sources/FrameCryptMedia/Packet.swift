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
        get { Self.timestamp(pointer.pointee.pts) }
        set { pointer.pointee.pts = newValue ?? CFFmpeg_AV_NOPTS_VALUE() }
    }

    /// Decoding timestamp in the stream's time base; nil when unknown (the muxer then derives it).
    public var dts: Int64? {
        get { Self.timestamp(pointer.pointee.dts) }
        set { pointer.pointee.dts = newValue ?? CFFmpeg_AV_NOPTS_VALUE() }
    }

    /// Duration in the stream's time base; 0 when unknown.
    public var duration: Int64 {
        get { pointer.pointee.duration }
        set { pointer.pointee.duration = newValue }
    }

    /// True when the container marks the packet as a key frame (`AV_PKT_FLAG_KEY`).
    public var isKeyFrame: Bool {
        get { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }
        set {
            pointer.pointee.flags =
                newValue ? pointer.pointee.flags | AV_PKT_FLAG_KEY : pointer.pointee.flags & ~AV_PKT_FLAG_KEY
        }
    }

    /// The payload size in bytes.
    public var size: Int {
        Int(pointer.pointee.size)
    }

    /// The payload's byte at `offset`, or nil past its end; no copy.
    public func byte(at offset: Int) -> UInt8? {
        guard offset >= 0, offset < size, let data = pointer.pointee.data else { return nil }
        return data[offset]
    }

    /// The payload's first `count` bytes (fewer when the payload is shorter).
    public func prefix(_ count: Int) -> [UInt8] {
        guard let data = pointer.pointee.data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: min(count, size)))
    }

    /// Drops the payload's first `count` bytes (a container's framing in front of the frame), without
    /// copying: the payload then starts inside the same buffer.
    public mutating func dropFirst(_ count: Int) {
        guard count > 0, count <= size else { return }
        pointer.pointee.data += count
        pointer.pointee.size -= Int32(count)
    }

    /// Runs `body` with the payload where it lies, for the duration of the call: reading it costs no
    /// copy. The bytes must not be kept or written.
    public func withPayload<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        guard let data = pointer.pointee.data, size > 0 else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeBufferPointer(start: UnsafePointer(data), count: size))
    }

    /// Replaces the contents of `bytes` with a copy of the payload.
    public func copyPayload(into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        guard let data = pointer.pointee.data, size > 0 else { return }
        bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: size))
    }

    /// Gives the packet a spare payload buffer of at least `capacity` bytes for ``setPayload(_:)``,
    /// taken from `pool`.
    ///
    /// Call it on the thread that reads and writes packets when another thread will transform the
    /// payload: the spare is allocated here, and the buffer it replaces is kept in the packet and
    /// freed here after writing. Memory allocated on one thread and freed on another makes both
    /// threads fight over the C library's allocator locks. The spare rides in `opaque_ref`, which
    /// FFmpeg leaves to its caller and frees with the packet.
    public mutating func reserveSpare(capacity: Int, from pool: PayloadPool) throws(FFmpegError) {
        guard pointer.pointee.opaque_ref == nil else { return }
        guard let buffer = pool.buffer(capacity: capacity + Int(AV_INPUT_BUFFER_PADDING_SIZE)) else {
            throw outOfMemory("av_buffer_pool_get")
        }
        pointer.pointee.opaque_ref = buffer
    }

    /// Replaces the payload with `bytes`, keeping timestamps, flags and side data.
    ///
    /// The payload goes into the spare buffer when ``reserveSpare(capacity:from:)`` left one big enough,
    /// and the old payload's buffer takes the spare's place until the packet is cleared; otherwise
    /// into a new buffer sized to fit. Either way one copy, where making the demuxer's buffer
    /// writable and growing it could cost two. The corresponding C functions are `av_buffer_alloc`
    /// and `av_buffer_unref`.
    public mutating func setPayload(_ bytes: [UInt8]) throws(FFmpegError) {
        let padding = Int(AV_INPUT_BUFFER_PADDING_SIZE)
        let buffer: UnsafeMutablePointer<AVBufferRef>
        if let spare = pointer.pointee.opaque_ref, spare.pointee.size >= bytes.count + padding {
            buffer = spare
            pointer.pointee.opaque_ref = pointer.pointee.buf
        } else {
            guard let allocated = av_buffer_alloc(bytes.count + padding) else { throw outOfMemory("av_buffer_alloc") }
            buffer = allocated
            av_buffer_unref(&pointer.pointee.buf)
        }
        guard let data = buffer.pointee.data else { throw outOfMemory("av_buffer_alloc") }
        bytes.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            data.update(from: base, count: source.count)
        }
        (data + bytes.count).initialize(repeating: 0, count: padding)
        pointer.pointee.buf = buffer
        pointer.pointee.data = data
        pointer.pointee.size = Int32(bytes.count)
    }

    /// Drops the payload and resets every field. The corresponding C function is `av_packet_unref`.
    public mutating func clear() {
        av_packet_unref(pointer)
    }

    private static func timestamp(_ value: Int64) -> Int64? {
        value == CFFmpeg_AV_NOPTS_VALUE() ? nil : value
    }
}
