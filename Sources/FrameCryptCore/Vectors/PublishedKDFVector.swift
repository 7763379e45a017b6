import FrameCryptCrypto

/// A key-derivation vector from `framecryptor-published.json`: material and salt in, key out.
struct PublishedKDFVector {
    let id: String
    let function: KeyDerivationFunction
    let iterations: Int
    let material: SecretBytes
    let salt: [UInt8]
    let expected: SecretBytes

    init(_ json: JSONField) throws(FrameCryptError) {
        id = try json.field("id").string()
        function = try json.field("kdf").choice(KeyDerivationFunction.self)
        iterations =
            function == .pbkdf2
            ? try json.field("iterations").integer(in: 1...10_000_000) : KeyDerivationParameters.pbkdf2Iterations
        material = try json.field("material_hex").secretHexBytes()
        salt = try json.field("salt_hex").hexBytes()
        expected = try json.field("expected_hex").secretHexBytes()
        guard try json.field("length").integer(in: 1...64) == expected.count else {
            throw json.error("\"length\" does not match the length of \"expected_hex\"")
        }
    }

    func run() -> VectorResult {
        let failure: String?
        do {
            let derived =
                switch function {
                case .pbkdf2:
                    try KeyDerivation.pbkdf2SHA256(
                        password: material,
                        salt: salt,
                        iterations: iterations,
                        length: expected.count
                    )
                case .hkdf:
                    try KeyDerivation.hkdfSHA256(
                        keyMaterial: material,
                        salt: salt,
                        info: KeyDerivationParameters.hkdfInfo,
                        length: expected.count
                    )
                }
            failure = derived == expected ? nil : "derived key differs from expected_hex"
        } catch {
            failure = "\(error)"
        }
        return VectorResult(section: "kdf", id: id, checks: [VectorCheck("derive", failure: failure)])
    }
}
