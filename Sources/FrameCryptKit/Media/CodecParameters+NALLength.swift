import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

extension CodecParameters {
    /// The NAL length size the avcC/hvcC declares for an H.264/H.265 stream stored length-prefixed;
    /// nil for other codecs and for Annex B streams, whose packets already are the frame form.
    func nalLengthSize(codec: FrameCodec) -> Int? {
        codec.isH26x ? NALFraming.lengthSize(inConfigurationRecord: extradata, codec: codec) : nil
    }

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
            throw FrameCryptError(.internalFailure, "cannot copy codec parameters: \(error)", cause: error)
        }
    }
}
