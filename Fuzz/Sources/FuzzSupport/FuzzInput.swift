/// One fuzz input read front to back: selector bytes first, then the payload the target parses.
///
/// Seeds (made by scripts/fuzz-seeds.py) use the same layout, so a selector byte in a seed picks the
/// same codec or suite here.
package struct FuzzInput {
    private var bytes: ArraySlice<UInt8>

    /// Copies libFuzzer's buffer; `data` may be null when `size` is 0.
    package init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size))[...] } ?? []
    }

    /// The next byte, or 0 once the input is used up.
    package mutating func byte() -> UInt8 {
        bytes.popFirst() ?? 0
    }

    /// Everything not read yet.
    package var rest: [UInt8] {
        Array(bytes)
    }
}
