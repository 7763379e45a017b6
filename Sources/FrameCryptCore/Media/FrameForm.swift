package import FrameCryptFormat

/// Turns a container packet into the frame a WebRTC receiver sees (`framecrypt-profile.md` §2):
/// length-prefixed H.264/H.265 packets become Annex B, stored AV1 frames lose their storage
/// envelope (``AV1Storage``), everything else is taken as it is.
///
/// A frame with no slice is sealed whole and stored as one opaque NAL unit, so a packet holding a
/// single unit is also offered without its length field when its Annex B form is not accepted.
package struct FrameForm {
    /// The packets' NAL length size; nil when packets already are the frame form.
    package let lengthSize: Int?
    private let codec: FrameCodec?
    private var annexB: [UInt8] = []

    package init(lengthSize: Int?, codec: FrameCodec?) {
        self.lengthSize = lengthSize
        self.codec = codec
    }

    /// Runs `attempt` on the frame form of `payload` and returns the first result `accepts` takes
    /// (else the Annex B attempt's); nil when the packet's NAL lengths run past its end.
    package mutating func read<Result>(
        _ payload: [UInt8],
        _ attempt: ([UInt8]) -> Result,
        accepts: (Result) -> Bool
    ) -> Result? {
        if codec == .av1, let sealed = AV1Storage.sealed(in: payload[...]) {
            annexB.removeAll(keepingCapacity: true)
            annexB.append(contentsOf: sealed)
            return attempt(annexB)
        }
        guard let lengthSize else { return attempt(payload) }
        annexB.removeAll(keepingCapacity: true)
        guard NALFraming.appendAnnexB(ofLengthPrefixed: payload, lengthSize: lengthSize, to: &annexB) else {
            return nil
        }
        let singleUnit =
            payload.count > lengthSize
            && annexB.count == payload.count - lengthSize + NALFraming.startCode.count
        // An H.264 unit whose header byte is zero (NAL type 0, which no encoder writes) is a frame
        // sealed whole, so its own bytes come first. (In H.265 a zero byte opens a TRAIL_N slice.)
        if singleUnit && codec == .h264 && payload[lengthSize] == 0 {
            let whole = attempt(Array(payload[lengthSize...]))
            return accepts(whole) ? whole : attempt(annexB)
        }
        let first = attempt(annexB)
        guard !accepts(first), singleUnit else {
            return first
        }
        let whole = attempt(Array(payload[lengthSize...]))
        return accepts(whole) ? whole : first
    }
}
