/// Why a received frame cannot be read as a FrameCryptor frame, before any key is tried.
public enum FrameFormatFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// After the clear prefix there are fewer bytes than tag, IV and trailer need (30).
    case truncated(bodyLength: Int)
    /// The trailer's IV-length byte is not 12.
    case malformedTrailer(ivLength: UInt8)

    public var description: String {
        switch self {
        case .truncated(let length):
            "frame too short: \(length) bytes after the clear prefix, at least \(FrameLayout.overhead) needed"
        case .malformedTrailer(let ivLength):
            "malformed trailer: IV length \(ivLength), expected \(FrameIV.byteCount)"
        }
    }
}

/// A received frame split into its parts, ready to be opened with a key.
public struct SealedFrame: Sendable {
    /// The key index from the trailer.
    public let keyIndex: UInt8
    /// The IV from the frame.
    public let iv: FrameIV
    /// The AAD: the clear prefix as the codec rule (or the caller) delimited it.
    public let aad: ArraySlice<UInt8>
    /// Ciphertext followed by the tag.
    let ciphertextAndTag: ArraySlice<UInt8>
}

/// Seals and opens single frames in the FrameCryptor layout:
/// `clear prefix ‖ E(ciphertext ‖ tag ‖ IV ‖ 0x0C ‖ key index)`, E being emulation prevention for
/// H.264/H.265 and identity otherwise. AV1 has no clear prefix and, as libwebrtc's native sender
/// does, loses a leading temporal-delimiter OBU before it is sealed (``AV1Storage``).
///
/// One value per stream: it keeps a scratch buffer so that frames cost no allocation once warm.
public struct FrameTransform: Sendable {
    private var scratch: [UInt8] = []

    /// A transform with empty scratch buffers.
    public init() {}

    /// Encrypts `frame` (in frame form) and writes the wire frame into `output`, replacing its contents.
    ///
    /// - Parameters:
    ///   - clearBytes: how many leading bytes stay clear and become the AAD: the codec rule's
    ///     ``ClearPrefix/length(of:codec:)`` for every receiver, or what a particular sender uses.
    /// - Throws: ``CipherFailure`` if the cipher failed; `output` is then empty.
    public mutating func seal(
        _ frame: [UInt8],
        codec: FrameCodec,
        clearBytes: Int,
        iv: FrameIV,
        keyIndex: UInt8,
        cipher: some FrameCipher,
        into output: inout [UInt8]
    ) throws(CipherFailure) {
        let start = codec == .av1 ? AV1Storage.temporalDelimiterLength(of: frame[...]) : 0
        let prefix = frame[start..<min(frame.count, start + clearBytes)]
        let body = frame[prefix.endIndex...]
        Self.replacePrefix(of: &output, with: prefix)
        do {
            try cipher.seal(body, authenticating: prefix, iv: iv, into: &output, at: prefix.count)
        } catch {
            output.removeAll(keepingCapacity: true)
            throw error
        }
        appendTrailer(iv: iv, keyIndex: keyIndex, to: &output)
        // Escaping is rarely needed, so the tail is sealed in place and copied only when it is.
        if codec.isH26x && EmulationPrevention.needsEscaping(output.span.extracting(prefix.count...)) {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: output[prefix.count...])
            output.removeSubrange(prefix.count...)
            EmulationPrevention.escape(scratch[...], appendingTo: &output)
        }
    }

    /// Splits a received frame into clear prefix, ciphertext, IV and key index, removing
    /// emulation-prevention bytes first for H.264/H.265.
    ///
    /// - Parameters:
    ///   - clearBytes: the clear prefix to assume; nil for the codec rule, as every receiver reads it.
    /// The returned value may share this transform's scratch buffer; use it before the next call.
    public mutating func parse(
        _ frame: ArraySlice<UInt8>,
        codec: FrameCodec,
        clearBytes: Int? = nil
    ) -> Result<SealedFrame, FrameFormatFailure> {
        let prefixLength = min(clearBytes ?? ClearPrefix.length(of: frame, codec: codec), frame.count)
        var tail = frame[(frame.startIndex + prefixLength)...]
        if codec.isH26x && EmulationPrevention.needsUnescaping(tail) {
            scratch.removeAll(keepingCapacity: true)
            EmulationPrevention.unescape(tail, appendingTo: &scratch)
            tail = scratch[...]
        }
        guard tail.count >= FrameLayout.overhead else { return .failure(.truncated(bodyLength: tail.count)) }
        let ivLength = tail[tail.endIndex - 2]
        guard ivLength == FrameIV.byteCount else { return .failure(.malformedTrailer(ivLength: ivLength)) }
        let ivStart = tail.endIndex - FrameLayout.trailerLength - FrameIV.byteCount
        guard let iv = FrameIV(bytes: tail[ivStart..<(ivStart + FrameIV.byteCount)]) else {
            return .failure(.truncated(bodyLength: tail.count))
        }
        return .success(
            SealedFrame(
                keyIndex: tail[tail.endIndex - 1],
                iv: iv,
                aad: frame[..<(frame.startIndex + prefixLength)],
                ciphertextAndTag: tail[..<ivStart]
            )
        )
    }

    /// Decrypts a parsed frame with one key and writes the frame-form plaintext into `output`,
    /// replacing its contents.
    ///
    /// - Returns: false when the key does not authenticate the frame; `output` is then empty.
    /// - Throws: ``CipherFailure`` when the cipher failed; `output` is then empty.
    public static func open(_ frame: SealedFrame, cipher: some FrameCipher, into output: inout [UInt8])
        throws(CipherFailure) -> Bool
    {
        let prefix = frame.aad
        replacePrefix(of: &output, with: prefix)
        let opened: Bool
        do {
            opened = try cipher.open(
                frame.ciphertextAndTag,
                authenticating: frame.aad,
                iv: frame.iv,
                into: &output,
                at: prefix.count
            )
        } catch {
            output.removeAll(keepingCapacity: true)
            throw error
        }
        if !opened {
            output.removeAll(keepingCapacity: true)
        }
        return opened
    }

    /// Makes `output` start with `prefix`. Bytes after it are left in place for the cipher to
    /// overwrite, so a buffer reused across frames is never zero-filled.
    private static func replacePrefix(of output: inout [UInt8], with prefix: ArraySlice<UInt8>) {
        if output.count >= prefix.count {
            output.replaceSubrange(0..<prefix.count, with: prefix)
        } else {
            output.removeAll(keepingCapacity: true)
            output.append(contentsOf: prefix)
        }
    }

    private func appendTrailer(iv: FrameIV, keyIndex: UInt8, to output: inout [UInt8]) {
        iv.append(to: &output)
        output.append(UInt8(FrameIV.byteCount))
        output.append(keyIndex)
    }
}

extension SealedFrame {
    /// The same frame with other bytes as its AAD: the clear prefix as a particular sender saw it
    /// (``ClearPrefixRecovery``).
    public func authenticating(_ clearPrefix: ArraySlice<UInt8>) -> SealedFrame {
        SealedFrame(keyIndex: keyIndex, iv: iv, aad: clearPrefix, ciphertextAndTag: ciphertextAndTag)
    }
}
