import COpenSSL
import FrameCryptFormat
import FrameCryptTestSupport
import Testing

@testable import FrameCryptCrypto

private func secret(_ hex: String) -> SecretBytes {
    var bytes = ByteEncoding.bytes(hex: hex) ?? []
    return SecretBytes(wiping: &bytes)
}

private func hex(_ secret: SecretBytes) -> String {
    secret.withUnsafeBytes { ByteEncoding.hex($0) }
}

@Suite("Key derivation")
struct KeyDerivationTests {
    @Test("HKDF-SHA256, RFC 5869 test case 1")
    func hkdfRFC5869() throws {
        let okm = try KeyDerivation.hkdfSHA256(
            keyMaterial: secret(String(repeating: "0b", count: 22)),
            salt: ByteEncoding.bytes(hex: "000102030405060708090a0b0c") ?? [],
            info: ByteEncoding.bytes(hex: "f0f1f2f3f4f5f6f7f8f9") ?? [],
            length: 42
        )
        #expect(hex(okm) == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    @Test("PBKDF2-HMAC-SHA256, RFC 7914 §11 first vector")
    func pbkdf2RFC7914() throws {
        let key = try KeyDerivation.pbkdf2SHA256(
            password: secret(ByteEncoding.hex(Array("passwd".utf8))),
            salt: Array("salt".utf8),
            iterations: 1,
            length: 64
        )
        #expect(
            hex(key)
                == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
        )
    }

    @Test(
        "PBKDF2 as two compressions per iteration matches OpenSSL's PKCS5_PBKDF2_HMAC",
        arguments: [0, 1, 20, 63, 64, 65, 100]
    )
    func pbkdf2MatchesOpenSSL(passwordLength: Int) throws {
        let password = (0..<passwordLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for (iterations, length, salt) in [(1, 16, "LKFrameEncryptionKey"), (2, 33, ""), (1_000, 80, "salt")] {
            var expected = [UInt8](repeating: 0, count: length)
            let status = PKCS5_PBKDF2_HMAC(
                password.map { CChar(bitPattern: $0) },
                Int32(password.count),
                Array(salt.utf8),
                Int32(salt.utf8.count),
                Int32(iterations),
                EVP_sha256(),
                Int32(length),
                &expected
            )
            #expect(status == 1)
            let derived = try KeyDerivation.pbkdf2SHA256(
                password: secret(ByteEncoding.hex(password)),
                salt: Array(salt.utf8),
                iterations: iterations,
                length: length
            )
            #expect(hex(derived) == ByteEncoding.hex(expected), "\(iterations) iterations, \(length) bytes")
        }
    }

    @Test("the published FrameCryptor KDF vectors")
    func publishedVectors() throws {
        let file = try Fixtures.vectorJSON("framecryptor-published.json")
        let vectors = try #require(file["kdf"] as? [[String: Any]])
        #expect(vectors.count == 3)
        for vector in vectors {
            let material = secret(try #require(vector["material_hex"] as? String))
            let salt = ByteEncoding.bytes(hex: try #require(vector["salt_hex"] as? String)) ?? []
            let length = try #require(vector["length"] as? Int)
            let derived =
                vector["kdf"] as? String == "hkdf"
                ? try KeyDerivation.hkdfSHA256(
                    keyMaterial: material,
                    salt: salt,
                    info: [UInt8](repeating: 0, count: 128),
                    length: length
                )
                : try KeyDerivation.pbkdf2SHA256(
                    password: material,
                    salt: salt,
                    iterations: try #require(vector["iterations"] as? Int),
                    length: length
                )
            #expect(hex(derived) == vector["expected_hex"] as? String, "\(vector["id"] ?? "")")
        }
    }
}

@Suite("AES-GCM")
struct AESGCMTests {
    private let zeroNonce = AEADNonce(0, 0, 0)

    @Test(
        "GCM specification test cases 1, 2, 13 and 14 (all-zero key and IV)",
        arguments: [
            (16, 0, "58e2fccefa7e3061367f1d57a4e7455a"),
            (16, 16, "0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf"),
            (32, 0, "530f8afbc74536b9a963b4f1c4cb738b"),
            (32, 16, "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"),
        ]
    )
    func specificationVectors(keyLength: Int, plaintextLength: Int, expected: String) throws {
        let key = try AESGCMKey(key: secret(String(repeating: "00", count: keyLength)))
        let plaintext = [UInt8](repeating: 0, count: plaintextLength)
        var sealed: [UInt8] = []
        try key.seal(plaintext[...], authenticating: [][...], nonce: zeroNonce, into: &sealed, at: 0)
        #expect(ByteEncoding.hex(sealed) == expected)
        var opened: [UInt8] = [0xEE]
        #expect(try key.open(sealed[...], authenticating: [][...], nonce: zeroNonce, into: &opened, at: 1))
        #expect(opened == [0xEE] + plaintext)
    }

    @Test("any changed bit in ciphertext, tag, AAD or nonce fails authentication and leaves the output alone")
    func tamper() throws {
        let key = try AESGCMKey(key: secret("000102030405060708090a0b0c0d0e0f"))
        let aad: [UInt8] = [1, 2, 3]
        let nonce = AEADNonce(1, 2, 3)
        var sealed: [UInt8] = []
        try key.seal(Array("attack at dawn".utf8)[...], authenticating: aad[...], nonce: nonce, into: &sealed, at: 0)
        for index in sealed.indices {
            var tampered = sealed
            tampered[index] ^= 0x01
            var output: [UInt8] = [9]
            #expect(try !key.open(tampered[...], authenticating: aad[...], nonce: nonce, into: &output, at: 1))
            #expect(output == [9])
        }
        var output: [UInt8] = []
        #expect(try !key.open(sealed[...], authenticating: [1, 2, 4][...], nonce: nonce, into: &output, at: 0))
        #expect(try !key.open(sealed[...], authenticating: aad[...], nonce: AEADNonce(1, 2, 4), into: &output, at: 0))
        #expect(try !key.open(sealed.prefix(15), authenticating: aad[...], nonce: nonce, into: &output, at: 0))
        #expect(output.isEmpty)
    }

    @Test("only 16- and 32-byte keys are accepted", arguments: [1, 15, 24, 33])
    func keyLengths(length: Int) {
        #expect(throws: CryptoError.unsupportedKeyLength(length)) {
            try AESGCMKey(key: secret(String(repeating: "11", count: length)))
        }
    }
}

@Suite("Secrets and digests")
struct SecretsTests {
    @Test("secret bytes take the source array, wipe it, and never print themselves")
    func secretBytes() {
        var source = Array("correct horse".utf8)
        let key = SecretBytes(wiping: &source)
        #expect(source.isEmpty)
        #expect(key.count == 13)
        #expect("\(key)" == "SecretBytes(13 bytes, redacted)")
        #expect(!String(reflecting: key).contains("horse"))
        var same = Array("correct horse".utf8)
        var other = Array("correct house".utf8)
        #expect(key == SecretBytes(wiping: &same))
        #expect(key != SecretBytes(wiping: &other))
    }

    @Test("SHA-256 of \"abc\" (FIPS 180-2)")
    func sha256() throws {
        #expect(
            ByteEncoding.hex(try SHA256.digest(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
    }
}

@Suite("AES-CTR with truncated HMAC (RFC 9605 §4.5.1)")
struct AESCTRHMACTests {
    private let key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
    private let nonce = AEADNonce(0x1011_1213, 0x1415_1617, 0x1819_1A1B)

    @Test("tags of 10, 8 and 4 bytes: the body is the same, no tag is a prefix of a longer one")
    func truncation() throws {
        var tags: [Int: [UInt8]] = [:]
        var bodies: Set<[UInt8]> = []
        for length in [10, 8, 4] {
            let cipher = try AESCTRHMACKey(key: secret(key), tagLength: length)
            var sealed: [UInt8] = []
            try cipher.seal(Array("frame".utf8)[...], authenticating: [1][...], nonce: nonce, into: &sealed, at: 0)
            #expect(sealed.count == 5 + length)
            bodies.insert(Array(sealed.prefix(5)))
            tags[length] = Array(sealed.suffix(length))
        }
        #expect(bodies.count == 1)
        #expect(tags[10]?.prefix(8) != tags[8]?[...])
        #expect(tags[8]?.prefix(4) != tags[4]?[...])
    }

    @Test("empty plaintext gives the tag alone and opens to nothing; a key object seals alike every time")
    func emptyAndRepeated() throws {
        let cipher = try AESCTRHMACKey(key: secret(key), tagLength: 10)
        var first: [UInt8] = []
        try cipher.seal([][...], authenticating: [][...], nonce: nonce, into: &first, at: 0)
        #expect(first.count == 10)
        var second: [UInt8] = [7]
        try cipher.seal([][...], authenticating: [][...], nonce: nonce, into: &second, at: 1)
        #expect(Array(second.dropFirst()) == first)
        let fresh = try AESCTRHMACKey(key: secret(key), tagLength: 10)
        var third: [UInt8] = []
        try fresh.seal([][...], authenticating: [][...], nonce: nonce, into: &third, at: 0)
        #expect(third == first)
        var opened: [UInt8] = [1, 2]
        #expect(try cipher.open(first[...], authenticating: [][...], nonce: nonce, into: &opened, at: 2))
        #expect(opened == [1, 2])
    }

    @Test("a changed bit anywhere, other AAD or another nonce fails and writes nothing")
    func tamper() throws {
        let cipher = try AESCTRHMACKey(key: secret(key), tagLength: 4)
        var sealed: [UInt8] = []
        try cipher.seal(Array("attack".utf8)[...], authenticating: [5][...], nonce: nonce, into: &sealed, at: 0)
        for index in sealed.indices {
            var tampered = sealed
            tampered[index] ^= 0x80
            var output: [UInt8] = [9]
            #expect(try !cipher.open(tampered[...], authenticating: [5][...], nonce: nonce, into: &output, at: 1))
            #expect(output == [9])
        }
        var output: [UInt8] = []
        #expect(try !cipher.open(sealed[...], authenticating: [6][...], nonce: nonce, into: &output, at: 0))
        #expect(
            try !cipher.open(sealed[...], authenticating: [5][...], nonce: AEADNonce(0, 0, 0), into: &output, at: 0)
        )
        #expect(try !cipher.open(sealed.prefix(3), authenticating: [5][...], nonce: nonce, into: &output, at: 0))
        #expect(output.isEmpty)
    }

    @Test("only 48-byte keys and tags of 1 to 32 bytes are accepted")
    func setup() {
        #expect(throws: CryptoError.self) {
            try AESCTRHMACKey(key: secret(String(repeating: "11", count: 32)), tagLength: 10)
        }
        #expect(throws: CryptoError.self) { try AESCTRHMACKey(key: secret(key), tagLength: 33) }
        #expect(throws: CryptoError.self) { try AESCTRHMACKey(key: secret(key), tagLength: 0) }
    }
}

@Suite("HKDF extract and expand")
struct HKDFStepsTests {
    @Test("RFC 5869 test case 3 (empty salt and info), in two steps")
    func rfc5869CaseThree() throws {
        let prk = try KeyDerivation.hkdfExtract(
            hash: .sha256,
            salt: [],
            keyMaterial: secret(String(repeating: "0b", count: 22))
        )
        #expect(hex(prk) == "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04")
        let okm = try KeyDerivation.hkdfExpand(hash: .sha256, pseudorandomKey: prk, info: [], length: 42)
        #expect(hex(okm) == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    }

    @Test("SHA-512 extract gives 64 bytes; an empty salt equals a salt of 64 zero bytes")
    func sha512() throws {
        let material = secret("000102030405060708090a0b0c0d0e0f")
        let empty = try KeyDerivation.hkdfExtract(hash: .sha512, salt: [], keyMaterial: material)
        let zeros = try KeyDerivation.hkdfExtract(
            hash: .sha512,
            salt: [UInt8](repeating: 0, count: 64),
            keyMaterial: material
        )
        #expect(empty.count == 64)
        #expect(empty == zeros)
    }
}
