import Testing

@testable import FrameCryptFormat

/// The NAL scanners jump from zero byte to zero byte; these tests hold them to byte-by-byte
/// references written straight from libwebrtc's `WriteRbsp`/`ParseRbsp` and `FindNaluIndices`, on
/// random byte strings dense in zeros and small values, read through slices that do not start at 0.
@Suite("NAL scanning against byte-by-byte references")
struct NALScanTests {
    /// A reproducible byte source skewed toward the bytes the patterns are made of.
    private struct Bytes {
        private var generator: SplitMix64

        init(seed: UInt64) {
            generator = SplitMix64(seed: seed)
        }

        mutating func next() -> UInt64 {
            generator.next()
        }

        /// `count` bytes, about half of them 0–3 and a third of them zero.
        mutating func string(count: Int) -> [UInt8] {
            (0..<count).map { _ in
                let value = next()
                if value % 3 == 0 {
                    return 0
                }
                return value % 2 == 0 ? UInt8(value >> 8 & 3) : UInt8(truncatingIfNeeded: value >> 16)
            }
        }
    }

    /// libwebrtc's `WriteRbsp`: an 0x03 before any byte ≤ 3 that follows two zeros.
    private func referenceEscape(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        var zeros = 0
        for byte in bytes {
            if zeros >= 2 && byte <= 3 {
                output.append(3)
                zeros = 0
            }
            output.append(byte)
            zeros = byte == 0 ? zeros + 1 : 0
        }
        return output
    }

    /// The start offsets of every non-overlapping `00 00 last`, left to right.
    private func referencePatterns(_ last: UInt8, in bytes: [UInt8]) -> [Int] {
        var found: [Int] = []
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == 0 && bytes[index + 1] == 0 && bytes[index + 2] == last {
                found.append(index)
                index += 3
            } else {
                index += 1
            }
        }
        return found
    }

    /// Random strings behind a two-byte lead-in, so the slices' indices start at 2.
    private func samples() -> [ArraySlice<UInt8>] {
        var source = Bytes(seed: 0x4652_414D)
        return (0..<400).map { round in
            let bytes = [0xAA, 0xBB] + source.string(count: round % 97)
            return bytes[2...]
        }
    }

    @Test("escape matches WriteRbsp, is needed exactly when it changes something, and unescape undoes it")
    func escapeMatchesReference() {
        for bytes in samples() {
            var escaped: [UInt8] = []
            EmulationPrevention.escape(bytes, appendingTo: &escaped)
            #expect(escaped == referenceEscape(bytes), "input \(Array(bytes))")
            #expect(EmulationPrevention.needsEscaping(bytes) == (escaped != Array(bytes)), "input \(Array(bytes))")
            var restored: [UInt8] = []
            EmulationPrevention.unescape(escaped[...], appendingTo: &restored)
            #expect(restored == Array(bytes))
        }
    }

    @Test("escape counts and the unescape window match a byte-by-byte search for 00 00 03")
    func escapesMatchReference() {
        for bytes in samples() {
            let escapes = referencePatterns(3, in: Array(bytes))
            #expect(EmulationPrevention.escapeCount(bytes) == escapes.count)
            let windowed = referencePatterns(3, in: Array(bytes)).contains { $0 + 3 < bytes.count }
            #expect(EmulationPrevention.needsUnescaping(bytes) == windowed, "input \(Array(bytes))")
        }
    }

    @Test("Annex B frames split at every start code and come back from the length-prefixed form")
    func annexBSplitsAtEveryStartCode() {
        var source = Bytes(seed: 7)
        for round in 0..<300 {
            let units = (0...(round % 5)).map { _ in
                var unit: [UInt8] = []
                EmulationPrevention.escape([0x65] + source.string(count: Int(source.next() % 60)), appendingTo: &unit)
                return unit.last == 0 ? unit + [0x80] : unit
            }
            let annexB = units.flatMap { NALFraming.startCode + $0 }
            var prefixed: [UInt8] = []
            #expect(NALFraming.appendLengthPrefixed(ofAnnexB: annexB, lengthSize: 4, to: &prefixed))
            let expected: [UInt8] = units.flatMap { unit -> [UInt8] in
                [0, 0, UInt8(unit.count >> 8), UInt8(unit.count & 0xFF)] + unit
            }
            #expect(prefixed == expected)
            var back: [UInt8] = []
            #expect(NALFraming.appendAnnexB(ofLengthPrefixed: prefixed, lengthSize: 4, to: &back))
            #expect(back == annexB)
        }
    }

    @Test("the first slice header is found after the first start code followed by a slice type")
    func firstSliceMatchesReference() {
        for bytes in samples() {
            let headers = referencePatterns(1, in: Array(bytes)).map { $0 + 3 }.filter { $0 < bytes.count }
            let expected = headers.first { NALUnitScanner.isSlice(Array(bytes)[$0], codec: .h264) }
            #expect(NALUnitScanner.firstSliceHeaderOffset(in: bytes, codec: .h264) == expected, "input \(Array(bytes))")
        }
    }
}
