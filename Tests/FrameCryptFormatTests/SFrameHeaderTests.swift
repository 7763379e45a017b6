import Testing

@testable import FrameCryptFormat

@Suite("SFrame header")
struct SFrameHeaderTests {
    /// Values at every edge of the short and long forms.
    static let edges: [UInt64] = [0, 1, 7, 8, 255, 256, 65535, 65536, UInt64(UInt32.max), 1 << 56, .max]

    /// The bytes a value takes after the config byte.
    private static func extraBytes(_ value: UInt64) -> Int {
        switch value {
        case 0...7: 0
        case 8...0xFF: 1
        case 0x100...0xFFFF: 2
        case 0x1_0000...0xFF_FFFF: 3
        case 0x100_0000...0xFFFF_FFFF: 4
        case 0x1_0000_0000...0xFF_FFFF_FFFF: 5
        case 0x100_0000_0000...0xFFFF_FFFF_FFFF: 6
        case 0x1_0000_0000_0000...0xFF_FFFF_FFFF_FFFF: 7
        default: 8
        }
    }

    @Test("KID and CTR at 0, 7, 8, 255, 256 … 2^64−1 encode minimally and parse back", arguments: edges, edges)
    func roundTrip(keyID: UInt64, counter: UInt64) throws {
        let header = SFrameHeader(keyID: keyID, counter: counter)
        let bytes = header.encoded
        #expect(bytes.count == 1 + Self.extraBytes(keyID) + Self.extraBytes(counter))
        #expect(bytes.count == header.encodedLength)
        let config = try #require(bytes.first)
        #expect((config & 0x80 != 0) == (keyID > 7))
        #expect((config & 0x08 != 0) == (counter > 7))
        let parsed = try SFrameHeader.parse((bytes + [0xAB, 0xCD])[...]).get()
        #expect(parsed.header == header)
        #expect(parsed.length == bytes.count)
    }

    @Test(
        "exact bytes at the form boundaries",
        arguments: [
            (0, 0, "00"), (7, 7, "77"), (7, 8, "7808"), (8, 7, "8708"), (8, 8, "880808"), (255, 0, "80ff"),
            (256, 0, "900100"), (0, 255, "08ff"), (0, 256, "090100"), (0x123, 0x4567, "9901234567"),
            (UInt64.max, 0, "f0ffffffffffffffff"),
        ] as [(UInt64, UInt64, String)]
    )
    func exactBytes(keyID: UInt64, counter: UInt64, expected: String) {
        #expect(ByteEncoding.hex(SFrameHeader(keyID: keyID, counter: counter).encoded) == expected)
    }

    @Test(
        "non-minimal long forms, truncated headers and empty frames are refused",
        arguments: [
            ("8005", SFrameHeaderFailure.notMinimal(field: "KID")),
            ("9000ff", .notMinimal(field: "KID")),
            ("0907", .truncated(needed: 3, available: 2)),
            ("090008", .notMinimal(field: "CTR")),
            ("0a000001", .notMinimal(field: "CTR")),
            ("9901", .truncated(needed: 5, available: 2)),
            ("ff", .truncated(needed: 17, available: 1)),
            ("", .empty),
        ]
    )
    func refused(hex: String, failure: SFrameHeaderFailure) throws {
        let bytes = try #require(ByteEncoding.bytes(hex: hex))
        #expect(throws: failure) { try SFrameHeader.parse(bytes[...]).get() }
    }
}

@Suite("SFrame cipher suites and nonces")
struct SFrameCipherSuiteTests {
    @Test("the five suites of RFC 9605 with their key, nonce and tag lengths")
    func table() {
        let rows = SFrameCipherSuite.allCases.map { ($0.rawValue, $0.name, $0.keyLength, $0.tagLength, $0.isGCM) }
        #expect(rows.map(\.0) == [1, 2, 3, 4, 5])
        #expect(rows.map(\.2) == [48, 48, 48, 16, 32])
        #expect(rows.map(\.3) == [10, 8, 4, 16, 16])
        #expect(rows.map(\.4) == [false, false, false, true, true])
        #expect(SFrameCipherSuite.aes256GCMSHA512_128.hash.length == 64)
        #expect(SFrameCipherSuite.defaultSuite == .aes128GCMSHA256_128)
    }

    @Test("suites are found by registry name in any case or by number")
    func names() {
        #expect(SFrameCipherSuite(named: "aes_128_ctr_hmac_sha256_32") == .aes128CTRHMACSHA256_32)
        #expect(SFrameCipherSuite(named: "AES_256_GCM_SHA512_128") == .aes256GCMSHA512_128)
        #expect(SFrameCipherSuite(named: "4") == .aes128GCMSHA256_128)
        #expect(SFrameCipherSuite(named: "0x0001") == .aes128CTRHMACSHA256_80)
        #expect(SFrameCipherSuite(named: "0") == nil)
        #expect(SFrameCipherSuite(named: "6") == nil)
        #expect(SFrameCipherSuite(named: "AES_128_GCM") == nil)
    }

    @Test("labels bind the 8-byte KID and the 2-byte suite")
    func labels() {
        let suite = SFrameCipherSuite.aes128CTRHMACSHA256_80
        #expect(
            ByteEncoding.hex(suite.keyLabel(keyID: 0x123))
                == "534672616d6520312e3020536563726574206b65792000000000000001230001"
        )
        #expect(suite.saltLabel(keyID: .max).suffix(10) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 1])
    }

    @Test("the nonce is the salt XOR the counter in its last 8 bytes")
    func nonce() throws {
        let salt = try #require(ByteEncoding.bytes(hex: "50b29329a04dc0f184ac3168"))
        let nonces = try #require(SFrameNonce(salt: salt))
        #expect(ByteEncoding.hex(nonces.bytes(counter: 0x4567)) == "50b29329a04dc0f184ac740f")
        #expect(nonces.bytes(counter: 0) == salt)
        #expect(nonces.words(counter: 0x4567) == (0x50b2_9329, 0xa04d_c0f1, 0x84ac_740f))
        #expect(SFrameNonce(salt: salt.dropLast()) == nil)
        let flipped = nonces.bytes(counter: .max)
        #expect(flipped.prefix(4) == salt.prefix(4))
        #expect(zip(flipped.suffix(8), salt.suffix(8)).allSatisfy { $0 == ~$1 })
    }
}

@Suite("Counter sets")
struct CounterSetTests {
    /// Inserts each counter and returns which were new.
    private static func insert(_ counters: [UInt64], into set: inout CounterSet) -> [Bool] {
        counters.map { set.insert($0) }
    }

    @Test("consecutive counters stay one run; repeats are refused; gaps are listed")
    func runs() {
        var set = CounterSet()
        #expect(Self.insert(Array(0..<1000), into: &set).allSatisfy { $0 })
        #expect(set.runs == [0...999])
        #expect(Self.insert([500, 1005, 1003], into: &set) == [false, true, true])
        #expect(set.gaps == [1000...1002, 1004...1004])
        #expect(Self.insert([1004], into: &set) == [true])
        #expect(set.runs == [0...999, 1003...1005])
        #expect(Self.insert([1001, 1000, 1002, 1002], into: &set) == [true, true, true, false])
        #expect(set.runs == [0...1005])
        #expect(set.count == 1006)
        #expect(set.contains(0) && set.contains(1005) && !set.contains(1006))
    }

    @Test("the largest counters and values inserted out of order")
    func edges() {
        var set = CounterSet()
        #expect(Self.insert([.max, .max - 1, .max, 0], into: &set) == [true, true, false, true])
        #expect(set.runs == [0...0, (UInt64.max - 1)...UInt64.max])
        #expect(set.count == 3)
        var full = CounterSet()
        _ = Self.insert([0, .max], into: &full)
        #expect(full.gaps == [1...(UInt64.max - 1)])
    }
}
