import FrameCryptCrypto
import FrameCryptFormat

/// The `sif_sha256` section of `framecryptor-published.json`: SHA-256 digests the SDKs pin for the
/// server-injected blank frames, checked against framecrypt's built-in payloads.
struct PinnedDigestVector {
    let digests: [(name: String, digest: [UInt8])]

    init(_ json: JSONField) throws(FrameCryptError) {
        digests = try json.keys().filter { $0 != "source" }.map { name throws(FrameCryptError) in
            (name, try json.field(name).hexBytes())
        }
    }

    func run() -> VectorResult {
        let checks = digests.map { name, digest in
            guard let payload = ServerInjectedFrames.pinnedPayloads.first(where: { $0.name == name }) else {
                return VectorCheck(name, failure: "framecrypt has no built-in payload named \"\(name)\"")
            }
            do {
                let actual = try SHA256.digest(payload.bytes)
                return VectorCheck(name, failure: actual == digest ? nil : "SHA-256 of the built-in payload differs")
            } catch {
                return VectorCheck(name, failure: "\(error)")
            }
        }
        return VectorResult(section: "sif_sha256", id: "server-injected-frame payloads", checks: checks)
    }
}
