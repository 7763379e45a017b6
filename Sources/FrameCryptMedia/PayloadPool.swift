internal import CFFmpeg

/// Payload buffers recycled across the packets of a job, in power-of-two size classes.
///
/// A job that rewrites every payload needs a new buffer per packet; taking it from FFmpeg's buffer
/// pools instead of the C allocator makes it a list operation, and a buffer the muxer lets go of
/// goes back to its pool. Buffers bigger than the largest class are allocated as they come.
///
/// - Important: the pools are freed when the last buffer taken from them is released, so packets
///   may outlive this object. The corresponding C functions are `av_buffer_pool_init`,
///   `av_buffer_pool_get` and `av_buffer_pool_uninit`.
public final class PayloadPool {
    private static let smallestClass = 12
    private static let largestClass = 26
    private var pools: [OpaquePointer?]

    /// An empty pool; buffers are allocated on first use.
    public init() {
        pools = Array(repeating: nil, count: Self.largestClass - Self.smallestClass + 1)
    }

    deinit {
        for index in pools.indices where pools[index] != nil {
            av_buffer_pool_uninit(&pools[index])
        }
    }

    /// A buffer of at least `capacity` bytes (padding included by the caller), or nil without memory.
    func buffer(capacity: Int) -> UnsafeMutablePointer<AVBufferRef>? {
        var sizeClass = Self.smallestClass
        while 1 << sizeClass < capacity {
            sizeClass += 1
        }
        guard sizeClass <= Self.largestClass else { return av_buffer_alloc(capacity) }
        let index = sizeClass - Self.smallestClass
        if pools[index] == nil {
            pools[index] = av_buffer_pool_init(1 << sizeClass, nil)
        }
        return pools[index].flatMap { av_buffer_pool_get($0) }
    }
}
