internal import CSRTP

/// libsrtp2 sessions for the keys of ``SRTPKeys``: one per entry, inbound (to open packets) or
/// outbound (to protect them).
///
/// - Important: owns its `srtp_t` sessions and deallocates them in `deinit`. libsrtp keeps its
///   own copy of the keys; the copies given to it here are zeroed once it has them.
package final class SRTPSession {
    private var sessions: [(session: srtp_t, ssrc: UInt32?)] = []
    /// For each SSRC, the session that opened its first packet.
    private var chosen: [UInt32: Int] = [:]

    /// Whether libsrtp initialised; done once per process.
    private static let initialised: Bool = srtp_init() == srtp_err_status_ok

    /// Sessions for `keys`, protecting (`outbound`) or opening packets.
    ///
    /// - Throws: ``CaptureError`` (`keyFailure`) when libsrtp refuses a key.
    package init(keys: SRTPKeys, outbound: Bool) throws(CaptureError) {
        guard Self.initialised else { throw CaptureError(.keyFailure, "libsrtp2 did not initialise") }
        for (number, entry) in keys.entries.enumerated() {
            var policy = srtp_policy_t()
            switch entry.profile {
            case .aesCM128HMACSHA1_80:
                srtp_crypto_policy_set_rtp_default(&policy.rtp)
                srtp_crypto_policy_set_rtp_default(&policy.rtcp)
            case .aesCM128HMACSHA1_32:
                srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp)
                srtp_crypto_policy_set_rtp_default(&policy.rtcp)
            case .aeadAES128GCM:
                srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
                srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
            case .aeadAES256GCM:
                srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtp)
                srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtcp)
            }
            if let ssrc = entry.ssrc {
                policy.ssrc.type = ssrc_specific
                policy.ssrc.value = ssrc
            } else {
                policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound
            }
            // The largest replay window libsrtp allows, so late packets of a capture still open.
            policy.window_size = 0x7FFF
            policy.allow_repeat_tx = 1
            var material = entry.material
            var session: srtp_t?
            let status = material.withUnsafeMutableBufferPointer { buffer in
                policy.key = buffer.baseAddress
                return srtp_create(&session, &policy)
            }
            for index in material.indices { material[index] = 0 }
            guard status == srtp_err_status_ok, let session else {
                throw CaptureError(
                    .keyFailure,
                    "SRTP key \(number) (\(entry.profile.rawValue)): libsrtp refused it (status \(status.rawValue))"
                )
            }
            sessions.append((session, entry.ssrc))
        }
    }

    deinit {
        for (session, _) in sessions {
            srtp_dealloc(session)
        }
    }

    /// The RTP packet inside SRTP packet `bytes`, or nil when no key authenticates it.
    package func unprotect(_ bytes: [UInt8], ssrc: UInt32) -> [UInt8]? {
        let order =
            chosen[ssrc].map { first in [first] + sessions.indices.filter { $0 != first } } ?? Array(sessions.indices)
        for index in order where sessions[index].ssrc == nil || sessions[index].ssrc == ssrc {
            var packet = bytes
            var length = Int32(packet.count)
            let status = packet.withUnsafeMutableBytes {
                srtp_unprotect(sessions[index].session, $0.baseAddress, &length)
            }
            if status == srtp_err_status_ok {
                chosen[ssrc] = index
                return Array(packet.prefix(Int(length)))
            }
        }
        return nil
    }

    /// RTP packet `bytes` protected with the first key that applies to `ssrc`.
    ///
    /// - Throws: ``CaptureError`` (`keyFailure`) when no key applies or libsrtp fails.
    package func protect(_ bytes: [UInt8], ssrc: UInt32) throws(CaptureError) -> [UInt8] {
        guard let index = sessions.indices.first(where: { sessions[$0].ssrc == nil || sessions[$0].ssrc == ssrc })
        else {
            throw CaptureError(.keyFailure, "no SRTP key applies to SSRC \(SSRCText.hex(ssrc))")
        }
        var packet = bytes + [UInt8](repeating: 0, count: Int(SRTP_MAX_TRAILER_LEN))
        var length = Int32(bytes.count)
        let status = packet.withUnsafeMutableBytes { srtp_protect(sessions[index].session, $0.baseAddress, &length) }
        guard status == srtp_err_status_ok else {
            throw CaptureError(
                .keyFailure,
                "libsrtp could not protect a packet of SSRC \(SSRCText.hex(ssrc)) (status \(status.rawValue))"
            )
        }
        return Array(packet.prefix(Int(length)))
    }
}
