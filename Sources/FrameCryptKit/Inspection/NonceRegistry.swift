import FrameCryptFormat

/// Remembers every (key scope, key index, IV) seen in a file, so that an IV used twice under what
/// may be the same key is found, in one stream or across streams. A hash set of small values: an
/// hour of audio and video is a few hundred thousand entries.
struct NonceRegistry {
    private struct Nonce: Hashable {
        let scope: Int
        let keyIndex: UInt8
        let iv: FrameIV
    }

    private struct Use {
        let stream: Int
        let frame: Int
    }

    /// A repeated IV: where it is repeated, and where it was first used.
    struct Reuse {
        let stream: Int
        let frame: Int
        let firstStream: Int
        let firstFrame: Int
    }

    private var scopes: [String: Int] = [:]
    private var uses: [Nonce: Use] = [:]
    private(set) var reuses: [Reuse] = []

    /// Records one encrypted frame's IV.
    mutating func record(scope: String, keyIndex: UInt8, iv: FrameIV, stream: Int, frame: Int) {
        let scopeNumber = scopes[scope] ?? scopes.count
        scopes[scope] = scopeNumber
        let nonce = Nonce(scope: scopeNumber, keyIndex: keyIndex, iv: iv)
        if let first = uses[nonce] {
            reuses.append(Reuse(stream: stream, frame: frame, firstStream: first.stream, firstFrame: first.frame))
        } else {
            uses[nonce] = Use(stream: stream, frame: frame)
        }
    }

    /// One finding per pair of streams (a stream with itself included) that repeat IVs.
    var findings: [Finding] {
        var pairs: [Int: [Int: [Reuse]]] = [:]
        for reuse in reuses {
            pairs[reuse.stream, default: [:]][reuse.firstStream, default: []].append(reuse)
        }
        var findings: [Finding] = []
        for stream in pairs.keys.sorted() {
            for (other, repeated) in (pairs[stream] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let first = repeated[0]
                let place = other == stream ? "earlier in the same stream" : "in stream \(other)"
                findings.append(
                    Finding(
                        code: .nonceReuse,
                        stream: stream,
                        otherStream: other == stream ? nil : other,
                        frames: repeated.map(\.frame),
                        message:
                            "IVs already used \(place) under the same key index, again in \(Finding.counted(repeated.count)) (first: frame \(first.frame) repeats frame \(first.firstFrame)): with one key, AES-GCM then leaks the XOR of the plaintexts and allows forgeries"
                    )
                )
            }
        }
        return findings
    }
}
