import FrameCryptFormat
import FrameCryptMedia

extension CodecParameters {
    /// A copy whose avcC/hvcC declares `lengthSize`-byte NAL lengths: wider for encrypted streams,
    /// the source's own again on decryption.
    func declaringNALLengthSize(_ lengthSize: Int, codec: FrameCodec) throws(FrameCryptError) -> CodecParameters {
        guard NALFraming.lengthSizes.contains(lengthSize) else {
            throw FrameCryptError(.malformedInput, "NAL length size \(lengthSize) is not 1 to 4")
        }
        do {
            let copy = try copy()
            try copy.setExtradata(NALFraming.configurationRecord(extradata, codec: codec, lengthSize: lengthSize))
            return copy
        } catch {
            throw FrameCryptError(.internalFailure, "cannot copy codec parameters: \(error)")
        }
    }
}
