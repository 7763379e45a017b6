"""The RTP the fake SFU receives, kept as it arrived, and written as the captures framecrypt reads
(docs/CAPTURES.md): pcap and rtpdump of the clear RTP (after the SFU's SRTP layer, as an SFU
operator's capture holds it), a pcap of the SRTP packets themselves with the session's SRTP keys,
and a Janus-style `.mjr` recording built from the same packets.

The SFU is aiortc; its DTLS transport is wrapped, not changed: every SRTP packet is recorded before
libsrtp opens it and every RTP packet after, with the receiving master key and salt the DTLS
handshake exported (RFC 5764 §4.2)."""

from __future__ import annotations

import base64
import json
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiortc.rtcdtlstransport as dtls

# OpenSSL's names of the DTLS-SRTP profiles → the names framecrypt's SRTP key files use.
PROFILE_NAMES = {
    b"SRTP_AES128_CM_SHA1_80": "AES_CM_128_HMAC_SHA1_80",
    b"SRTP_AEAD_AES_128_GCM": "AEAD_AES_128_GCM",
    b"SRTP_AEAD_AES_256_GCM": "AEAD_AES_256_GCM",
}


@dataclass
class Packet:
    time: float
    data: bytes
    source: tuple[str, int]
    destination: tuple[str, int]


@dataclass
class RTPLog:
    clear: list[Packet] = field(default_factory=list)
    protected: list[Packet] = field(default_factory=list)
    # (profile name, master key + salt) of each SRTP session the SFU received on.
    keys: list[tuple[str, bytes]] = field(default_factory=list)
    # The SFU's answer to the publisher: which payload type is which codec.
    sdp: str = ""

    def clear_all(self) -> None:
        self.clear.clear()
        self.protected.clear()
        self.keys.clear()
        self.sdp = ""


LOG = RTPLog()


def _endpoints(transport) -> tuple[tuple[str, int], tuple[str, int]]:
    """(sender, receiver) of the ICE pair the transport uses; fixed addresses if aioice hides it."""
    try:
        pair = next(iter(transport.transport._connection._nominated.values()))
        return (pair.remote_candidate.host, pair.remote_candidate.port), (pair.local_candidate.host, pair.local_candidate.port)
    except Exception:  # noqa: BLE001 - aioice internals differ between versions
        return ("10.231.7.2", 50000), ("10.231.7.1", 50002)


class _RecordingSession:
    """libsrtp's receiving session, recording each SRTP packet it is given."""

    def __init__(self, session, transport) -> None:
        self._session = session
        self._transport = transport

    def unprotect(self, data: bytes) -> bytes:
        LOG.protected.append(Packet(time.time(), bytes(data), *_endpoints(self._transport)))
        return self._session.unprotect(data)

    def unprotect_rtcp(self, data: bytes) -> bytes:
        return self._session.unprotect_rtcp(data)


def _install() -> None:
    setup = dtls.RTCDtlsTransport._setup_srtp
    handle = dtls.RTCDtlsTransport._handle_rtp_data

    def setup_recording(self) -> None:
        setup(self)
        if self._rx_srtp is None:
            return
        selected = self._ssl.get_selected_srtp_profile()
        profile = next(p for p in self._srtp_profiles if p.openssl_profile == selected)
        view = self._ssl.export_keying_material(b"EXTRACTOR-dtls_srtp", 2 * (profile.key_length + profile.salt_length))
        LOG.keys.append((PROFILE_NAMES[selected], profile.get_key_and_salt(view, 0 if self._role == "server" else 1)))
        self._rx_srtp = _RecordingSession(self._rx_srtp, self)

    async def handle_recording(self, data: bytes, arrival_time_ms: int) -> None:
        LOG.clear.append(Packet(time.time(), bytes(data), *_endpoints(self)))
        await handle(self, data, arrival_time_ms)

    dtls.RTCDtlsTransport._setup_srtp = setup_recording
    dtls.RTCDtlsTransport._handle_rtp_data = handle_recording


_install()


def use_srtp_profile(name: str | None) -> None:
    """Offers only the named SRTP profile from now on (None: aiortc's own list)."""
    if not hasattr(use_srtp_profile, "default"):
        use_srtp_profile.default = list(dtls.SRTP_PROFILES)
    chosen = [p for p in use_srtp_profile.default if name is None or PROFILE_NAMES[p.openssl_profile] == name]
    dtls.SRTP_PROFILES[:] = chosen


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def write_pcap(path: Path, packets: list[Packet]) -> None:
    """Ethernet/IPv4/UDP frames in a microsecond pcap, as tcpdump writes them."""
    out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for number, packet in enumerate(packets):
        source = bytes(int(part) for part in packet.source[0].split("."))
        destination = bytes(int(part) for part in packet.destination[0].split("."))
        udp = struct.pack("!HHHH", packet.source[1], packet.destination[1], 8 + len(packet.data), 0) + packet.data
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), number & 0xFFFF, 0x4000, 64, 17, 0, source, destination)
        ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
        frame = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + ip + udp
        seconds = int(packet.time)
        out += struct.pack("<IIII", seconds, int((packet.time - seconds) * 1e6), len(frame), len(frame)) + frame
    path.write_bytes(bytes(out))


def write_rtpdump(path: Path, packets: list[Packet]) -> None:
    """rtptools' rtpdump format: the text line, the start time and source, then each packet."""
    start = packets[0].time if packets else 0.0
    source, destination = (packets[0].source, packets[0].destination) if packets else (("0.0.0.0", 0), ("0.0.0.0", 0))
    out = bytearray(f"#!rtpplay1.0 {destination[0]}/{destination[1]}\n".encode())
    address = struct.unpack("!I", bytes(int(part) for part in source[0].split(".")))[0]
    out += struct.pack("!IIIHH", int(start), int((start - int(start)) * 1e6), address, source[1], 0)
    for packet in packets:
        offset = int(round((packet.time - start) * 1000))
        out += struct.pack("!HHI", len(packet.data) + 8, len(packet.data), offset) + packet.data
    path.write_bytes(bytes(out))


def write_mjr(path: Path, packets: list[Packet], kind: str, codec: str) -> None:
    """A Janus recording (MJR00002, janus-gateway `record.c`) of one stream, marked end-to-end
    encrypted as Janus marks recordings of E2EE publishers."""
    start = packets[0].time if packets else 0.0
    header = json.dumps(
        {"t": kind, "c": codec, "s": int(start * 1e6), "u": int(start * 1e6), "e": True}, separators=(",", ":")
    ).encode()
    out = bytearray(b"MJR00002" + struct.pack("!H", len(header)) + header)
    for packet in packets:
        out += b"MEET" + struct.pack("!IH", int((packet.time - start) * 1000), len(packet.data)) + packet.data
    path.write_bytes(bytes(out))


def write_srtp_keys(path: Path, keys: list[tuple[str, bytes]]) -> None:
    """framecrypt's SRTP key file: each session's profile and inline key (master key and salt)."""
    path.write_text(json.dumps({"srtp": [{"profile": name, "key": base64.b64encode(key).decode()} for name, key in keys]}))
    path.chmod(0o600)


def payload_types(sdp: str, codec: str) -> set[int]:
    """The payload types the SDP maps to `codec` (VP8, VP9, H264, opus): H.264 has one per profile."""
    types = set()
    for line in sdp.splitlines():
        if line.startswith("a=rtpmap:"):
            number, encoding = line[len("a=rtpmap:"):].split(" ", 1)
            if encoding.split("/")[0].lower() == codec.lower():
                types.add(int(number))
    return types


def stream_of(packets: list[Packet], types: set[int]) -> list[Packet]:
    """The packets of the first SSRC sending one of payload types `types`."""
    ssrcs = [struct.unpack("!I", p.data[8:12])[0] for p in packets if len(p.data) >= 12 and p.data[1] & 0x7F in types]
    if not ssrcs:
        return []
    ssrc = ssrcs[0]
    return [p for p in packets if len(p.data) >= 12 and struct.unpack("!I", p.data[8:12])[0] == ssrc]


def damage(packets: list[Packet]) -> tuple[list[Packet], dict[str, int]]:
    """The packets with loss, duplication and reordering put in: every 37th packet dropped, every
    53rd sent twice, every 41st swapped with the one after it."""
    out: list[Packet] = []
    counts = {"dropped": 0, "duplicated": 0, "swapped": 0}
    index = 0
    while index < len(packets):
        packet = packets[index]
        if index and index % 37 == 0:
            counts["dropped"] += 1
        elif index and index % 41 == 0 and index + 1 < len(packets):
            out += [packets[index + 1], packet]
            counts["swapped"] += 1
            index += 1
        else:
            out.append(packet)
            if index and index % 53 == 0:
                out.append(packet)
                counts["duplicated"] += 1
        index += 1
    return out, counts
