internal import CByteScan

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Finds zero bytes with the C library's vectorised `memchr`, and pairs of zero bytes with
/// `fc_zero_pair_search` (CByteScan, AVX2 where the CPU has it).
///
/// Every pattern the NAL scanners look for (start codes `00 00 01`, escapes `00 00 03`, bytes to
/// escape after `00 00`) begins with two zero bytes, which slice data and ciphertext hold about
/// once in 64 KiB. Jumping from pair to pair makes a scan cost a fraction of a byte-by-byte loop;
/// this is the only unsafe code in the module.
enum ZeroByteSearch {
    /// The index of the first zero byte of `bytes` at or after `start`, or `bytes.count` if none.
    static func first(in bytes: Span<UInt8>, from start: Int) -> Int {
        guard start < bytes.count else { return bytes.count }
        return unsafe bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, let found = unsafe memchr(base + start, 0, buffer.count - start)
            else { return buffer.count }
            return unsafe UnsafeRawPointer(found) - UnsafeRawPointer(base)
        }
    }

    /// The index of the first `00 00 last` in `bytes` that starts at or after `start` and ends
    /// before `end` (which defaults to the end of `bytes`), or nil.
    static func firstPattern(endingWith last: UInt8, in bytes: Span<UInt8>, from start: Int, before end: Int? = nil)
        -> Int?
    {
        firstPattern(in: bytes, from: start, before: end) { $0 == last }
    }

    /// The index of the first two zero bytes in `bytes` whose next byte satisfies `third`, starting
    /// at or after `start` and ending before `end` (which defaults to the end of `bytes`), or nil.
    static func firstPattern(
        in bytes: Span<UInt8>,
        from start: Int,
        before end: Int? = nil,
        third: (UInt8) -> Bool
    ) -> Int? {
        let end = min(end ?? bytes.count, bytes.count)
        guard start >= 0, start + 2 < end else { return nil }
        // One pass over the raw buffer, stopping only at pairs of zeros. A pair found at i has
        // i + 1 < end - 1, so its third byte is inside the range.
        return unsafe bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            var index = start
            while index + 2 < end {
                let pair = unsafe fc_zero_pair_search(base, index, end - 1)
                guard pair < end - 1 else { return nil }
                if unsafe third(base[pair + 2]) {
                    return pair
                }
                index = pair + 1
            }
            return nil
        }
    }
}
