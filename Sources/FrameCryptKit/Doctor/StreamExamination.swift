import FrameCryptCore
import FrameCryptFormat

/// The doctor's trials on one file's sampled streams: the keys as given, then each other reading
/// of them, until one opens every sampled frame of a stream.
struct StreamExamination {
    /// How a set of keys did on a stream's samples.
    struct Trial {
        var opened = 0
        /// Positions (in the samples) of the frames that did not open.
        var failed: [Int] = []
        var maxSteps = 0
        var recovered: [ClearPrefixRecovery: Int] = [:]

        var opensAll: Bool { failed.isEmpty && opened > 0 }
    }

    let samples: [StreamSamples]
    let keys: KeySet
    let trailer: [UInt8]?
    /// Each stream's trial with the keys as given, once computed.
    private var baselines: [Int: Trial] = [:]

    init(samples: [StreamSamples], keys: KeySet, trailer: [UInt8]?) {
        self.samples = samples
        self.keys = keys
        self.trailer = trailer
    }

    /// The cause that explains `stream`'s frames, and what it changes for the SDK verdicts.
    mutating func diagnose(_ stream: StreamSamples) throws(FrameCryptError) -> (
        diagnosis: StreamDiagnosis, fix: Fix.Change?
    ) {
        // Every stream's baseline first: a stream's diagnosis may rest on another's (header-altered).
        for other in samples {
            _ = try baseline(other)
        }
        let sealed = Self.sealed(stream)
        let baseline = try baseline(stream)
        func result(_ cause: DiagnosisCause, _ summary: String, remedy: String? = nil, fix: Fix.Change? = nil)
            -> (StreamDiagnosis, Fix.Change?)
        {
            let diagnosis = StreamDiagnosis(
                index: stream.index,
                kind: stream.kind,
                codec: stream.codecName,
                participant: stream.participant,
                cause: cause,
                summary: summary,
                remedy: remedy,
                framesSampled: stream.frames.count,
                framesOpened: baseline.opened,
                notes: notes(stream, baseline: baseline)
            )
            return (diagnosis, fix)
        }
        if sealed.isEmpty {
            if let extra = try bytesAfterTrailer(stream, frames: Array(stream.frames.indices)) {
                return result(
                    .bytesAfterTrailer,
                    "every frame opens once its last \(extra) bytes are removed: they were added after encryption, after the FrameCryptor trailer",
                    remedy: "remove what appended them (a transport or a tool's own trailer) before decrypting"
                )
            }
            return result(.notEncrypted, "no frame carries a FrameCryptor trailer: the stream was sent in clear")
        }
        if baseline.opensAll, trailer == nil, let trailerBytes = Self.unknownServerTrailer(stream.frames.map(\.bytes)) {
            return result(
                .serverTrailerUnknown,
                "the keys open every sampled frame; the others are the SFU's blank frames behind a \(trailerBytes.count)-byte trailer, which receivers drop unless they know it",
                remedy:
                    "give the room's server-injected-frame trailer with --sif-trailer (the SDKs get it from the join response)",
                fix: .trailer(trailerBytes)
            )
        }
        if baseline.opensAll && stream.packetTrailers > 0 {
            return result(
                .packetTrailer,
                "the keys open every sampled frame; \(stream.packetTrailers) carry LiveKit's packet trailer (LKTS) after the FrameCryptor trailer",
                remedy:
                    "JS receivers strip it; for native receivers the SFU must strip it (a native receiver reads its last byte as the key index)"
            )
        }
        if baseline.opensAll {
            return result(.keysFit, "the keys open every sampled frame")
        }
        if let found = try keyReading(stream, sealed: sealed) {
            return result(found.cause, found.summary, remedy: found.remedy, fix: found.fix)
        }
        let ratcheted = try trial(
            stream,
            frames: sealed,
            keys: keys,
            participant: stream.participant,
            window: Doctor.ratchetSearch
        )
        if ratcheted.opensAll {
            return result(
                .ratchetBeyondWindow,
                "the sender's key is \(ratcheted.maxSteps) ratchet steps ahead of the given one, beyond the 16 a receiver searches",
                remedy: "decrypt with --ratchet-window \(ratcheted.maxSteps), or give the sender's current key"
            )
        }
        if stream.codec.isH26x, try vp8ClearBytes(stream, frames: baseline.failed) {
            return result(
                .vp8ClearBytes,
                "the \(stream.codecName) frames were sealed with VP8's clear bytes (10 on key frames, 3 otherwise), as a sender that did not know the codec does",
                remedy:
                    "native receivers open none of these and JS only those whose clear bytes hold no slice header: the sender must know its codec (a JS sender on a browser that hides it, as Safari did, does not)"
            )
        }
        if let extra = try bytesAfterTrailer(stream, frames: baseline.failed) {
            return result(
                .bytesAfterTrailer,
                "the frames open once their last \(extra) bytes are removed: they were added after encryption",
                remedy: "remove what appended them before decrypting"
            )
        }
        if let witness = witness(for: stream) {
            return result(
                .headerAltered,
                "the same key opens stream \(witness) but not these frames, whose trailers parse: their clear header, which is authenticated, was changed after encryption",
                remedy: "decrypt the recording as it was first written, before the remux that changed it"
            )
        }
        return result(
            .unexplained,
            "no reading of the given keys opens these frames (tried: participants, key indices, KDF, string or bytes, salt, key size, \(Doctor.ratchetSearch) ratchet steps, clear-byte rules, appended bytes)",
            remedy: "the sender used another key, or the frames were damaged"
        )
    }

    /// A different reading of the keys that opens every sampled frame: another participant's keys,
    /// a key at another index, the other KDF, string for bytes, another salt, the other key size.
    private func keyReading(_ stream: StreamSamples, sealed: [Int]) throws(FrameCryptError)
        -> (cause: DiagnosisCause, summary: String, remedy: String, fix: Fix.Change)?
    {
        if keys.mode == .perParticipant {
            for other in keys.participants where other != stream.participant {
                if try trial(stream, frames: sealed, keys: keys, participant: other).opensAll {
                    return (
                        .wrongParticipant,
                        "the frames open with \(other)'s keys, not \(stream.participant.map { "\($0)'s" } ?? "those of no participant")",
                        "decrypt with --map \(stream.index)=\(other)",
                        .participant(other)
                    )
                }
            }
        }
        let indices = Set(
            sealed.compactMap { FrameExamination(stream.frames[$0].bytes[...], codec: stream.codec).keyIndex }
        )
        for index in indices.sorted() {
            for position in 0..<keys.keyCount {
                guard let variant = keys.single(position, at: Int(index)) else { continue }
                if try trial(stream, frames: sealed, keys: variant.keys, participant: stream.participant).opensAll {
                    return (
                        .wrongKeyIndex,
                        "the frames carry key index \(index); \(variant.change) opens them",
                        "put that key at index \(index) in the key file (framecrypt keys add FILE --index \(index))",
                        .keys(variant)
                    )
                }
            }
        }
        for (cause, variant, remedy) in keyVariants() {
            if try trial(stream, frames: sealed, keys: variant.keys, participant: stream.participant).opensAll {
                return (cause, "the frames open with \(variant.change)", remedy, .keys(variant))
            }
        }
        return nil
    }

    /// The other readings of the keys, each with its cause and the change to make.
    private func keyVariants() -> [(DiagnosisCause, KeyVariant, String)] {
        let stated = keys.parameters
        var variants: [(DiagnosisCause, KeyVariant, String)] = []
        for function in KeyDerivationFunction.allCases where function != stated.function {
            variants.append(
                (
                    .wrongKDF,
                    KeyVariant(
                        change: "\(function.rawValue) instead of \(stated.function.rawValue)",
                        keys: keys.derived(by: function)
                    ),
                    "set \"kdf\": \"\(function.rawValue)\" in the key file"
                )
            )
        }
        for variant in keys.stringBytesVariants() {
            variants.append(
                (.stringVersusBytes, variant, "write the key in the key file as the sender used it: \(variant.change)")
            )
        }
        let salts = [KeyDerivationParameters.defaultRatchetSalt, ""].filter { Array($0.utf8) != stated.ratchetSalt }
        for salt in salts {
            let name = salt.isEmpty ? "an empty salt (the native key provider's own default)" : "the salt \(salt)"
            variants.append(
                (
                    .wrongSalt,
                    KeyVariant(change: name, keys: keys.salted(Array(salt.utf8))),
                    "set \"ratchetSalt\": \"\(salt)\" in the key file"
                )
            )
        }
        let otherBits = stated.keyBits == 128 ? 256 : 128
        variants.append(
            (
                .wrongKeySize,
                KeyVariant(change: "\(otherBits)-bit AES keys", keys: keys.sized(otherBits)),
                "set \"keyBits\": \(otherBits) in the key file"
            )
        )
        return variants
    }

    /// The keys as given on a stream's sealed samples, with framecrypt's receiver (16 ratchet steps,
    /// clear prefixes recovered), computed once.
    private mutating func baseline(_ stream: StreamSamples) throws(FrameCryptError) -> Trial {
        if let known = baselines[stream.index] {
            return known
        }
        let trial = try trial(
            stream,
            frames: Self.sealed(stream),
            keys: keys,
            participant: stream.participant,
            recovers: true
        )
        baselines[stream.index] = trial
        return trial
    }

    /// Positions of the samples that look sealed (a FrameCryptor trailer, or its IV with a bad length).
    private static func sealed(_ stream: StreamSamples) -> [Int] {
        stream.frames.indices.filter {
            let shape = FrameExamination(stream.frames[$0].bytes[...], codec: stream.codec).shape
            return shape == .sealed || shape == .badTrailer
        }
    }

    /// How `keys` do on the samples at `frames`, in order, as `participant`'s.
    private func trial(
        _ stream: StreamSamples,
        frames: [Int],
        keys: KeySet,
        participant: String?,
        window: Int = FrameDecryptor.defaultRatchetWindow,
        recovers: Bool = false
    ) throws(FrameCryptError) -> Trial {
        let ring = try keys.makeProvider().keyRing(for: participant ?? "")
        var decryptor = FrameDecryptor(
            codec: stream.codec,
            keys: ring,
            ratchetWindow: window,
            serverInjectedTrailer: trailer
        )
        decryptor.recoversClearPrefixes = recovers
        var trial = Trial()
        var output: [UInt8] = []
        for position in frames {
            switch decryptor.decrypt(stream.frames[position].bytes, into: &output) {
            case .decrypted(let steps):
                trial.opened += 1
                trial.maxSteps = max(trial.maxSteps, steps)
            case .recovered(let recovery):
                trial.opened += 1
                trial.recovered[recovery, default: 0] += 1
            case .passedThrough, .serverInjected:
                break
            case .failed:
                trial.failed.append(position)
            }
        }
        return trial
    }

    /// Whether every frame at `frames` opens under VP8's clear bytes with the given keys. Such a
    /// frame has no NAL structure, so it is also tried without the start code its stored form got.
    private func vp8ClearBytes(_ stream: StreamSamples, frames: [Int]) throws(FrameCryptError) -> Bool {
        guard !frames.isEmpty, let ring = try keys.makeProvider().keyRing(for: stream.participant ?? "") else {
            return false
        }
        return frames.allSatisfy { position in
            let frame = stream.frames[position].bytes[...]
            let forms =
                frame.starts(with: NALFraming.startCode)
                ? [frame, frame.dropFirst(NALFraming.startCode.count)] : [frame]
            return forms.contains { form in
                [ClearPrefix.vp8KeyFrame, ClearPrefix.vp8DeltaFrame].contains {
                    ring.opens(form, as: .vp8, clearBytes: $0)
                }
            }
        }
    }

    /// How many bytes follow the FrameCryptor trailer of every frame at `frames` (the same for all),
    /// or nil when removing up to 64 does not open them.
    private func bytesAfterTrailer(_ stream: StreamSamples, frames: [Int]) throws(FrameCryptError) -> Int? {
        let candidates = frames.filter { !stream.frames[$0].bytes.isEmpty }
        guard let first = candidates.first, let ring = try keys.makeProvider().keyRing(for: stream.participant ?? "")
        else { return nil }
        let frame = stream.frames[first].bytes[...]
        guard let extra = (1...min(64, frame.count)).first(where: { ring.opens(frame.dropLast($0), as: stream.codec) })
        else { return nil }
        let all = candidates.allSatisfy { ring.opens(stream.frames[$0].bytes.dropLast(extra)[...], as: stream.codec) }
        return all ? extra : nil
    }

    /// Another stream of the file whose frames the same key ring opens (any stream for a shared
    /// key, the same participant's otherwise).
    private func witness(for stream: StreamSamples) -> Int? {
        samples.first { other in
            other.index != stream.index && baselines[other.index]?.opensAll == true
                && (keys.mode == .shared || (stream.participant != nil && other.participant == stream.participant))
        }?.index
    }

    /// The trailer behind the known blank frames among `frames`, when there are some and they all
    /// carry the same one; nil otherwise.
    private static func unknownServerTrailer(_ frames: [[UInt8]]) -> [UInt8]? {
        let trailers = frames.compactMap { frame in
            ServerInjectedFrames.unknownTrailerLength(of: frame[...]).map { Array(frame.suffix($0)) }
        }
        guard let first = trailers.first, trailers.allSatisfy({ $0 == first }) else { return nil }
        return first
    }

    /// Things about a stream that do not stop framecrypt but that a user should know.
    private func notes(_ stream: StreamSamples, baseline: Trial) -> [String] {
        var notes: [String] = []
        for (recovery, count) in baseline.recovered.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            notes.append(
                "\(count) sampled frames open only with the clear prefix a real sender used (\(recovery.rawValue)); SDK receivers fail them"
            )
        }
        if baseline.maxSteps > 0 {
            notes.append(
                "the sender ratcheted up to \(baseline.maxSteps) steps ahead of the given key; SDKs with a smaller ratchet window fail from there"
            )
        }
        return notes
    }
}
