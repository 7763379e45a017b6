import Testing

@testable import FrameCryptFormat

@Suite("Byte encodings and key material")
struct ByteEncodingTests {
    @Test("hex both ways")
    func hex() {
        #expect(ByteEncoding.hex([0x00, 0x0F, 0xA0, 0xFF]) == "000fa0ff")
        #expect(ByteEncoding.bytes(hex: "000FA0ff") == [0x00, 0x0F, 0xA0, 0xFF])
        #expect(ByteEncoding.bytes(hex: "") == [])
        #expect(ByteEncoding.bytes(hex: "abc") == nil)
        #expect(ByteEncoding.bytes(hex: "zz") == nil)
        #expect(ByteEncoding.bytes(hex: "0x00") == nil)
    }

    @Test(
        "base64 with and without padding (RFC 4648 §10)",
        arguments: [
            ("", ""), ("Zg==", "f"), ("Zm8=", "fo"), ("Zm9v", "foo"), ("Zm9vYg", "foob"), ("Zm9vYmFy", "foobar"),
        ]
    )
    func base64(encoded: String, decoded: String) {
        #expect(ByteEncoding.bytes(base64: encoded) == Array(decoded.utf8))
    }

    @Test("invalid base64 is refused", arguments: ["Z", "Zm9v!", "Zg===", "Zh==", "Zm 9v"])
    func invalidBase64(text: String) {
        #expect(ByteEncoding.bytes(base64: text) == nil)
    }

    @Test("key material decodes text, hex and base64 and refuses empty or malformed material")
    func keyMaterial() throws {
        #expect(try KeyMaterialSpec.text("12345").decodedBytes() == Array("12345".utf8))
        #expect(try KeyMaterialSpec.hex("3132").decodedBytes() == [0x31, 0x32])
        #expect(try KeyMaterialSpec.base64("MTI=").decodedBytes() == [0x31, 0x32])
        #expect(throws: KeyMaterialSpec.Failure.empty) { try KeyMaterialSpec.text("").decodedBytes() }
        #expect(throws: KeyMaterialSpec.Failure.empty) { try KeyMaterialSpec.hex("").decodedBytes() }
        #expect(throws: KeyMaterialSpec.Failure.invalidHex) { try KeyMaterialSpec.hex("secret-xyz").decodedBytes() }
        #expect(throws: KeyMaterialSpec.Failure.invalidBase64) {
            try KeyMaterialSpec.base64("secret-xyz!").decodedBytes()
        }
    }

    @Test("failure messages never repeat the material")
    func failureMessagesAreClean() {
        for failure in [KeyMaterialSpec.Failure.empty, .invalidHex, .invalidBase64] {
            #expect(!failure.description.contains("secret-xyz"))
        }
    }

    @Test("state names follow libwebrtc and VideoSDK")
    func stateNames() {
        #expect(FrameCryptionState.keyRatcheted.rawValue == 5)
        #expect(
            FrameCryptionState.allCases.map(\.name) == [
                "new", "ok", "encryptionFailed", "decryptionFailed", "missingKey", "keyRatcheted", "internalError",
            ]
        )
        #expect(FrameCryptionState.ok.videoSDKName(encrypting: true) == "EncryptionSuccess")
        #expect(FrameCryptionState.ok.videoSDKName(encrypting: false) == "DecryptionSuccess")
        #expect(FrameCryptionState.decryptionFailed.videoSDKName(encrypting: false) == "DecryptionFailed")
        #expect(FrameCryptionState.missingKey.videoSDKName(encrypting: false) == nil)
    }
}
