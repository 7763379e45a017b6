/// What to read from a capture and how: payload-type codecs, which streams, whose they are, and
/// SRTP keys.
package struct CaptureSelection: Sendable {
    /// Payload type → codec, from `--sdp` and `--pt`.
    package var payloadTypes = PayloadTypeMap()
    /// Only these SSRCs (`--ssrc`); empty: all.
    package var ssrcs: Set<UInt32> = []
    /// Only these payload types (`--payload-type`); empty: all mapped.
    package var payloadTypeFilter: Set<UInt8> = []
    /// `--filter`.
    package var filter: PacketFilter? = nil
    /// SSRC → participant identity (`--map SSRC=ID`).
    package var participants: [UInt32: String] = [:]
    /// SRTP master keys (`--srtp-key-file`), for SRTP captures.
    package var srtp: SRTPKeys? = nil

    package init() {}
}
