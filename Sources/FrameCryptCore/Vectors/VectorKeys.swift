import FrameCryptCrypto
import FrameCryptFormat

/// The keys that vectors with a `keyRef` point into (the vector file's `keyFile`, or keys given to
/// `vectors verify`), derived once per file.
final class VectorKeys {
    let keys: KeySet
    private let provider: KeyProvider?

    init(_ keys: KeySet) throws(FrameCryptError) {
        self.keys = keys
        provider = keys.scheme == .sframe ? nil : try keys.makeProvider()
    }

    /// A fresh copy of `participant`'s FrameCryptor ring (the shared ring for nil), with slot
    /// `keyIndex` ratcheted `steps` times; nil when the keys have nothing for that participant.
    func ring(participant: String?, keyIndex: Int?, steps: Int) throws(FrameCryptError) -> KeyRing? {
        guard let original = provider?.keyRing(for: participant ?? "") else { return nil }
        guard let keyIndex, steps > 0 else { return original.copy() }
        // Steps derived on the original are shared by every later copy.
        _ = try? original.chain(at: keyIndex)?.key(aheadBy: steps)
        let ring = original.copy()
        try ring.ratchetKey(at: keyIndex, steps: steps)
        return ring
    }

    /// A fresh SFrame scope of `participant`'s base keys under `suite` (no counters accepted yet).
    func sframeScope(participant: String?, suite: SFrameCipherSuite) -> SFrameKeyScope? {
        keys.makeSFrameKeys().scope(for: participant, suite: suite)
    }
}
