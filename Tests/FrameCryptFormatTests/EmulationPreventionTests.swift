import Testing

@testable import FrameCryptFormat

@Suite("Emulation prevention")
struct EmulationPreventionTests {
    private func escaped(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        EmulationPrevention.escape(bytes[...], appendingTo: &output)
        return output
    }

    private func unescaped(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        EmulationPrevention.unescape(bytes[...], appendingTo: &output)
        return output
    }

    /// True when `bytes` holds `00 00 00`, `00 00 01` or `00 00 02`, which escaping must prevent
    /// (`00 00 03` is the escape itself).
    private func hasEmulatedStartCode(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3
            && (0..<(bytes.count - 2)).contains { bytes[$0] == 0 && bytes[$0 + 1] == 0 && bytes[$0 + 2] <= 2 }
    }

    @Test(
        "escapes like libwebrtc's WriteRbsp",
        arguments: [
            ([0, 0, 0], [0, 0, 3, 0]),
            ([0, 0, 1], [0, 0, 3, 1]),
            ([0, 0, 2], [0, 0, 3, 2]),
            ([0, 0, 3], [0, 0, 3, 3]),
            ([0, 0, 4], [0, 0, 4]),
            ([0, 0, 0, 0], [0, 0, 3, 0, 0]),
            ([0, 0, 0, 0, 0, 0], [0, 0, 3, 0, 0, 3, 0, 0]),
            ([0xAA, 0, 0], [0xAA, 0, 0]),
            ([0, 0xAA, 0, 1], [0, 0xAA, 0, 1]),
        ] as [([UInt8], [UInt8])]
    )
    func knownEscapes(input: [UInt8], expected: [UInt8]) {
        #expect(escaped(input) == expected)
        #expect(unescaped(expected) == input)
    }

    @Test("a run of zeros at every position and of every length round-trips and never looks like a start code")
    func zeroRunsEverywhere() {
        for length in 1...24 {
            for start in 0..<length {
                for run in 1...(length - start) {
                    for filler: UInt8 in [0x01, 0x03, 0xAA] {
                        var bytes = [UInt8](repeating: filler, count: length)
                        bytes.replaceSubrange(start..<(start + run), with: repeatElement(0, count: run))
                        let output = escaped(bytes)
                        #expect(unescaped(output) == bytes)
                        #expect(!hasEmulatedStartCode(output), "bytes \(bytes) escaped to \(output)")
                    }
                }
            }
        }
    }

    @Test("every short sequence over the critical bytes round-trips")
    func exhaustiveSmallAlphabet() {
        let alphabet: [UInt8] = [0, 1, 3, 4]
        for length in 1...7 {
            let total = Int(pow4(length))
            for code in 0..<total {
                var value = code
                var bytes: [UInt8] = []
                for _ in 0..<length {
                    bytes.append(alphabet[value % 4])
                    value /= 4
                }
                let output = escaped(bytes)
                #expect(unescaped(output) == bytes)
                #expect(!hasEmulatedStartCode(output))
            }
        }
    }

    private func pow4(_ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { value, _ in value * 4 }
    }

    @Test("a tail that ends in zeros is not escaped at its end")
    func trailingZeros() {
        #expect(escaped([0xAA, 0, 0]) == [0xAA, 0, 0])
        #expect(escaped([0, 0, 0xAA, 0, 0]) == [0, 0, 0xAA, 0, 0])
        #expect(unescaped([0xAA, 0, 0]) == [0xAA, 0, 0])
    }

    @Test("receivers unescape only when 00 00 03 starts at least four bytes before the end")
    func unescapeWindow() {
        #expect(EmulationPrevention.needsUnescaping([0, 0, 3, 1][...]))
        #expect(!EmulationPrevention.needsUnescaping([9, 0, 0, 3][...]))
        #expect(!EmulationPrevention.needsUnescaping([0, 0, 3][...]))
        #expect(EmulationPrevention.needsUnescaping([7, 7, 0, 0, 3, 7, 7][...]))
        #expect(!EmulationPrevention.needsUnescaping([0, 0, 4, 0, 0, 5][...]))
    }
}
