import Foundation

/// Checks a vector file against framecrypt's cryptor, in both directions where the vector allows.
///
/// Three schemas are read: framecrypt's profile vectors (a top-level `vectors` array), the published
/// FrameCryptor vectors (`kdf`, `ratchet_chain`, `frames` and `sif_sha256` sections) and the RFC 9605
/// SFrame vectors (`header`, `aes_ctr_hmac` and `sframe` sections). The whole file
/// is parsed before anything runs, so a malformed file fails without partial results.
package enum VectorVerifier {
    /// Verifies every vector in the file at `path`.
    ///
    /// - Throws: ``FrameCryptError`` `.inputMissing` for a file that cannot be read, `.malformedInput`
    ///   for one that is not a vector file (the message names the field at fault).
    ///
    /// - Parameter keys: the keys that `keyRef`s point into; nil to load the file's own `keyFile`
    ///   (relative to the vector file) when a vector needs it.
    package static func verify(file path: String, keys given: KeySet? = nil) throws(FrameCryptError) -> VectorReport {
        let root = JSONField(root: try JSONValue.load(path: path), file: path)
        var runs: [() -> VectorResult] = []
        var loaded: VectorKeys?
        let keys = { () throws(FrameCryptError) -> VectorKeys? in
            if let loaded { return loaded }
            var set = given
            if set == nil, let keyFile = try root.optional("keyFile")?.string() {
                let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
                set = try KeyFile.load(
                    path: keyFile.hasPrefix("/") ? keyFile : folder.appendingPathComponent(keyFile).path
                )
            }
            loaded = try set.map { (keys) throws(FrameCryptError) in try VectorKeys(keys) }
            return loaded
        }
        if let vectors = try root.optional("vectors") {
            for vector in try vectors.array() {
                if try vector.optional("scheme")?.string() == EncryptionScheme.sframe.rawValue {
                    runs.append(try ProfileSFrameVector(vector, keys: keys).run)
                } else {
                    runs.append(try ProfileFrameVector(vector, keys: keys).run)
                }
            }
        }
        for vector in try root.optional("kdf")?.array() ?? [] {
            runs.append(try PublishedKDFVector(vector).run)
        }
        for vector in try root.optional("ratchet_chain")?.array() ?? [] {
            runs.append(try PublishedRatchetChainVector(vector).run)
        }
        for vector in try root.optional("frames")?.array() ?? [] {
            runs.append(try PublishedFrameVector(vector).run)
        }
        if let digests = try root.optional("sif_sha256") {
            runs.append(try PinnedDigestVector(digests).run)
        }
        for vector in try root.optional("header")?.array() ?? [] {
            runs.append(try SFrameHeaderVector(vector).run)
        }
        for vector in try root.optional("aes_ctr_hmac")?.array() ?? [] {
            runs.append(try SFrameCTRHMACVector(vector).run)
        }
        for vector in try root.optional("sframe")?.array() ?? [] {
            runs.append(try SFrameFrameVector(vector).run)
        }
        guard !runs.isEmpty else {
            throw root.error(
                "no vectors: expected a \"vectors\" array, \"kdf\", \"ratchet_chain\", \"frames\" or \"sif_sha256\" sections, or SFrame \"header\", \"aes_ctr_hmac\" or \"sframe\" sections"
            )
        }
        return VectorReport(file: path, results: runs.map { $0() })
    }
}
