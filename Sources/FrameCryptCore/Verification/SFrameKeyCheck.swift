package import FrameCryptFormat

/// Checks one SFrame stream's sampled frames against its participant's keys, one KID at a time:
/// a KID no key serves is a missing key, a tag that fails is a wrong key or a damaged frame.
package final class SFrameKeyCheck: KeyChecking {
    private let scope: SFrameKeyScope?
    private let carriage: SFrameCarriage
    private var decryptor: SFrameDecryptor
    private let framesPerKeyIndex: Int?
    private var plain: [UInt8] = []
    private var tallies: [UInt64: KeyTally] = [:]
    package private(set) var firstFailedFrame: [UInt8]?

    package init(scope: SFrameKeyScope?, carriage: SFrameCarriage, framesPerKeyIndex: Int?) {
        self.scope = scope
        self.carriage = carriage
        decryptor = SFrameDecryptor(keys: scope)
        self.framesPerKeyIndex = framesPerKeyIndex
    }

    package func check(_ payload: [UInt8]) {
        guard let ciphertext = carriage.unwrap(payload[...]),
            case .success((let header, _)) = SFrameHeader.parse(ciphertext)
        else { return }
        var tally = tallies[header.keyID] ?? KeyTally()
        defer { tallies[header.keyID] = tally }
        guard tally.samplesNext(first: framesPerKeyIndex) else { return }
        tally.checked += 1
        switch decryptor.decrypt(ciphertext, into: &plain).outcome {
        case .decrypted:
            break
        case .failed(.unknownKeyID):
            tally.missing += 1
        default:
            tally.failed += 1
            firstFailedFrame = firstFailedFrame ?? Array(ciphertext)
        }
    }

    package var results: [KeyIndexCheck] {
        tallies.keys.sorted().map { keyID in
            let tally = tallies[keyID] ?? KeyTally()
            let key = try? scope?.key(for: keyID)
            return KeyIndexCheck(
                keyIndex: scope?.index(serving: keyID) ?? Int(keyID & 0xFF),
                keyID: keyID,
                status: tally.status,
                ratchetSteps: 0,
                framesChecked: tally.checked,
                framesFailed: tally.failed + tally.missing,
                keyFingerprint: key?.fingerprint
            )
        }
    }

    /// True when `scope`'s keys open `frame` (a ciphertext without carriage).
    package static func opens(_ frame: [UInt8], with scope: SFrameKeyScope) -> Bool {
        var decryptor = SFrameDecryptor(keys: scope)
        var plain: [UInt8] = []
        return decryptor.decrypt(frame[...], into: &plain).outcome.state == .ok
    }
}
