import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// The file and stream a handler works on, and the per-frame steps every encrypting and decrypting
/// handler shares: errors that name the frame, storing a payload, and the failure policy.
struct StreamContext {
    let file: String
    let description: StreamDescription

    /// An error about the stream as a whole.
    func streamFailure(_ kind: FrameCryptError.Kind, _ problem: String) -> FrameCryptError {
        FrameCryptError(kind, "\(file): \(description.label): \(problem)")
    }

    /// An error about frame `frame` (counted from 0) of this stream.
    func failure(_ kind: FrameCryptError.Kind, frame: Int, _ problem: String) -> FrameCryptError {
        FrameCryptError(kind, "\(file): \(description.label): frame \(frame): \(problem)")
    }

    /// Makes `bytes` the payload of `packet`.
    func store(_ bytes: [UInt8], in packet: inout Packet, frame: Int) throws(FrameCryptError) {
        do {
            try packet.setPayload(bytes)
        } catch {
            throw failure(.internalFailure, frame: frame, "cannot store the frame: \(error)")
        }
    }

    /// The frame form of a length-prefixed H.26x payload (Annex B), written into `frame`.
    func annexB<Payload: RandomAccessCollection<UInt8>>(
        of payload: Payload,
        lengthSize: Int,
        into frame: inout [UInt8],
        number: Int
    ) throws(FrameCryptError) where Payload.Index == Int {
        frame.removeAll(keepingCapacity: true)
        guard NALFraming.appendAnnexB(ofLengthPrefixed: payload, lengthSize: lengthSize, to: &frame) else {
            throw failure(.malformedInput, frame: number, "NAL unit lengths do not match the packet size")
        }
    }

    /// The container form of a decrypted frame: Annex B back to `lengthSize`-byte NAL lengths, or
    /// the frame itself when it is not Annex B or the stream is not length-prefixed.
    func containerForm(of plaintext: [UInt8], lengthSize: Int?, scratch: inout [UInt8]) -> [UInt8] {
        guard let lengthSize else { return plaintext }
        scratch.removeAll(keepingCapacity: true)
        return NALFraming.appendLengthPrefixed(ofAnnexB: plaintext, lengthSize: lengthSize, to: &scratch)
            ? scratch : plaintext
    }

    /// Applies `policy` to a frame that did not decrypt, after counting it.
    ///
    /// - Returns: true to write the frame (still encrypted), false to leave it out.
    /// - Throws: ``FrameCryptError`` `.keyFailure` under the fail policy.
    func reject(
        _ reason: DecryptFailure,
        policy: FailurePolicy,
        counters: inout StreamCounters
    ) throws(FrameCryptError) -> Bool {
        counters.recordFailure(reason.description)
        switch policy {
        case .fail:
            throw FrameCryptError(
                .keyFailure,
                "\(file): \(description.label): frame \(counters.frames - 1) does not decrypt: \(reason)"
            )
        case .drop:
            counters.dropped += 1
            return false
        case .keep:
            counters.keptEncrypted += 1
            return true
        }
    }
}
