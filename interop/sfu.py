"""A minimal LiveKit-protocol signal server and SFU for the interop harness.

It speaks just enough of the LiveKit signal protocol (protobuf over a WebSocket, livekit-protocol's
stubs) for the native SDK to join, publish and subscribe, and terminates every peer connection
itself with aiortc. It never decodes media: encoded frames are captured before any decoder, as
depacketized bytes, which is exactly what a receiver's FrameCryptor sees; and frames it is asked to
send are packetized from bytes as they are (no re-encode).

It binds only to the address it is given (an address of the harness's own network namespace) and
configures no STUN or TURN server.
"""

from __future__ import annotations

import asyncio
import fractions
import json
import logging
import queue
import threading
import time
from dataclasses import dataclass, field

import aiortc.rtcrtpreceiver
import aiortc.rtp
import av
import jwt
from aiortc import MediaStreamTrack, RTCConfiguration, RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp
from livekit.protocol import models, rtc

from capture import LOG as RTP_LOG
from websockets.asyncio.server import serve
from websockets.http11 import Response
from websockets.datastructures import Headers

log = logging.getLogger("interop.sfu")


@dataclass
class CapturedFrame:
    """One depacketized frame as the SFU received it."""

    data: bytes
    timestamp: int


@dataclass
class Capture:
    """Frames received from publishers, per codec name (VP8, H264, opus, …)."""

    frames: dict[str, list[CapturedFrame]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, codec: str, frame: CapturedFrame) -> None:
        with self.lock:
            self.frames.setdefault(codec, []).append(frame)

    def take(self, codec: str) -> list[CapturedFrame]:
        with self.lock:
            return list(self.frames.get(codec, []))


CAPTURE = Capture()


def _capturing_worker(loop, input_q: queue.Queue, output_q, decode_error) -> None:
    """Stands in for aiortc's decoder thread: records each assembled frame, decodes nothing."""
    while True:
        task = input_q.get()
        if task is None:
            asyncio.run_coroutine_threadsafe(output_q.put(None), loop)
            break
        codec, encoded_frame = task
        CAPTURE.add(codec.name, CapturedFrame(bytes(encoded_frame.data), encoded_frame.timestamp))


aiortc.rtcrtpreceiver.decoder_worker = _capturing_worker


def vp9_depayload(payload: bytes) -> bytes:
    """The VP9 bytes of one RTP payload: the payload descriptor (RFC 9628 §4.2) removed."""
    flags = payload[0]
    index = 1
    if flags & 0x80:  # I: picture ID, 7 or 15 bits
        index += 2 if payload[index] & 0x80 else 1
    if flags & 0x20:  # L: layer indices, plus TL0PICIDX in non-flexible mode
        index += 1 if flags & 0x10 else 2
    if flags & 0x10 and flags & 0x40:  # F and P: up to three reference indices
        while True:
            more = payload[index] & 0x01
            index += 1
            if not more:
                break
    if flags & 0x02:  # V: scalability structure
        header = payload[index]
        index += 1
        spatial_layers = (header >> 5) + 1
        if header & 0x10:  # Y: resolutions
            index += 4 * spatial_layers
        if header & 0x08:  # G: picture group description
            groups = payload[index]
            index += 1
            for _ in range(groups):
                references = (payload[index] >> 2) & 0x03
                index += 1 + references
    return payload[index:]


def av1_depayload(payload: bytes) -> bytes:
    """One AV1 RTP payload without its aggregation header. A native sender's sealed AV1 frame is no
    OBU stream; its packets are joined as they are (how native-captures.json was captured). This
    gives the sealed frame exactly when it went in one packet; a frame the native packetizer split
    into fragments comes out damaged, as a native receiver gets it (docs/INTEROP.md)."""
    return payload[1:]


def _install_receive_only_codecs() -> None:
    """aiortc has no VP9 or AV1: offer them for receiving and depacketize them (never decoded)."""
    from aiortc.codecs import CODECS
    from aiortc.rtcrtpparameters import RTCRtcpFeedback, RTCRtpCodecParameters

    for mime, parameters in (("video/VP9", {"profile-id": "0"}), ("video/AV1", {})):
        CODECS["video"].append(
            RTCRtpCodecParameters(
                mimeType=mime,
                clockRate=90000,
                payloadType=max(codec.payloadType for codec in CODECS["video"]) + 1,
                rtcpFeedback=[RTCRtcpFeedback(type="nack"), RTCRtcpFeedback(type="nack", parameter="pli")],
                parameters=parameters,
            )
        )
    # libwebrtc gives newer codecs (AV1) payload types 35-63 as well; aiortc would keep its own
    # type for them in an answer, which then clashes with another of the offer's.
    aiortc.rtp.DYNAMIC_PAYLOAD_TYPES = range(35, 128)
    original = aiortc.rtcrtpreceiver.depayload
    depayloaders = {"VP9": vp9_depayload, "AV1": av1_depayload}

    def depayload(codec, payload: bytes) -> bytes:
        special = depayloaders.get(codec.name)
        return special(payload) if special else original(codec, payload)

    aiortc.rtcrtpreceiver.depayload = depayload


_install_receive_only_codecs()


class InjectedTrack(MediaStreamTrack):
    """A track whose frames are given as encoded bytes (frame form) and sent in real time without
    encoding: aiortc only packetizes them."""

    def __init__(self, kind: str, frames: list[tuple[bytes, bool]], clock_rate: int, frame_ticks: int) -> None:
        super().__init__()
        self.kind = kind
        self._frames = frames
        self._clock_rate = clock_rate
        self._frame_ticks = frame_ticks
        self._index = 0
        self._start: float | None = None

    async def recv(self):
        if self._index >= len(self._frames):
            self.stop()
            raise aiortc.mediastreams.MediaStreamError
        if self._start is None:
            self._start = time.monotonic()
        due = self._start + self._index * self._frame_ticks / self._clock_rate
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        data, key = self._frames[self._index]
        packet = av.Packet(data)
        packet.pts = self._index * self._frame_ticks
        packet.time_base = fractions.Fraction(1, self._clock_rate)
        packet.is_keyframe = key
        self._index += 1
        return packet


@dataclass
class Participant:
    identity: str
    sid: str
    ws: object
    publisher: RTCPeerConnection
    subscriber: RTCPeerConnection
    tracks: list = field(default_factory=list)


class SignalServer:
    """The signal server: one room, participants by token identity."""

    def __init__(self, host: str, port: int, sif_trailer: bytes = b"") -> None:
        self.host = host
        self.port = port
        self.sif_trailer = sif_trailer
        self.participants: dict[str, Participant] = {}
        self._server = None
        self._counter = 0
        self.track_published = asyncio.Event()

    async def start(self) -> None:
        self._server = await serve(self._handle, self.host, self.port, process_request=self._route)

    async def stop(self) -> None:
        for participant in list(self.participants.values()):
            await participant.publisher.close()
            await participant.subscriber.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def _next_id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}_{self._counter:08d}"

    @staticmethod
    def _route(connection, request):
        # Clients try the single-connection path /rtc/v1 first and fall back to /rtc.
        if not request.path.startswith("/rtc") or request.path.startswith("/rtc/v1"):
            return Response(404, "Not Found", Headers(), b"not found\n")
        return None

    @staticmethod
    def _identity(request) -> str:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not token and "access_token=" in request.path:
            token = request.path.split("access_token=", 1)[1].split("&", 1)[0]
        claims = jwt.decode(token, options={"verify_signature": False})
        return claims.get("sub") or claims.get("identity") or "anonymous"

    async def _send(self, ws, response: rtc.SignalResponse) -> None:
        await ws.send(response.SerializeToString())

    def _info(self, participant: Participant) -> models.ParticipantInfo:
        info = models.ParticipantInfo(
            sid=participant.sid,
            identity=participant.identity,
            state=models.ParticipantInfo.State.ACTIVE,
            is_publisher=bool(participant.tracks),
            permission=models.ParticipantPermission(
                can_subscribe=True, can_publish=True, can_publish_data=True
            ),
        )
        info.tracks.extend(participant.tracks)
        return info

    async def _handle(self, ws) -> None:
        identity = self._identity(ws.request)
        config = RTCConfiguration(iceServers=[])
        participant = Participant(
            identity=identity,
            sid=self._next_id("PA"),
            ws=ws,
            publisher=RTCPeerConnection(config),
            subscriber=RTCPeerConnection(config),
        )
        self.participants[identity] = participant

        @participant.publisher.on("track")
        def on_track(track) -> None:
            log.info("%s publishes %s", identity, track.kind)

        join = rtc.JoinResponse(
            room=models.Room(sid="RM_interop", name="interop"),
            participant=self._info(participant),
            server_version="1.9.0",
            subscriber_primary=False,
            ping_interval=10,
            ping_timeout=30,
            server_info=models.ServerInfo(
                edition=models.ServerInfo.Edition.Standard, version="1.9.0", protocol=16
            ),
            sif_trailer=self.sif_trailer,
        )
        join.other_participants.extend(
            self._info(other) for other in self.participants.values() if other.identity != identity
        )
        await self._send(ws, rtc.SignalResponse(join=join))
        try:
            async for message in ws:
                request = rtc.SignalRequest()
                request.ParseFromString(message)
                await self._dispatch(participant, request)
        finally:
            self.participants.pop(identity, None)
            await participant.publisher.close()
            await participant.subscriber.close()

    async def _dispatch(self, participant: Participant, request: rtc.SignalRequest) -> None:
        kind = request.WhichOneof("message")
        if kind == "offer":
            pc = participant.publisher
            await pc.setRemoteDescription(RTCSessionDescription(request.offer.sdp, "offer"))
            await pc.setLocalDescription(await pc.createAnswer())
            RTP_LOG.sdp = pc.localDescription.sdp
            answer = rtc.SessionDescription(
                type="answer", sdp=pc.localDescription.sdp, id=request.offer.id
            )
            await self._send(participant.ws, rtc.SignalResponse(answer=answer))
        elif kind == "answer":
            await participant.subscriber.setRemoteDescription(
                RTCSessionDescription(request.answer.sdp, "answer")
            )
        elif kind == "trickle":
            init = json.loads(request.trickle.candidateInit)
            line = init.get("candidate", "")
            if not line:
                return
            candidate = candidate_from_sdp(line.split(":", 1)[1])
            candidate.sdpMid = init.get("sdpMid")
            candidate.sdpMLineIndex = init.get("sdpMLineIndex")
            pc = participant.publisher if request.trickle.target == rtc.PUBLISHER else participant.subscriber
            await pc.addIceCandidate(candidate)
        elif kind == "add_track":
            add = request.add_track
            mime = ""
            if add.simulcast_codecs:
                codec = add.simulcast_codecs[0].codec
                mime = codec if "/" in codec else ("video/" if add.type == models.VIDEO else "audio/") + codec
            info = models.TrackInfo(
                sid=self._next_id("TR"),
                type=add.type,
                name=add.name,
                width=add.width,
                height=add.height,
                source=add.source,
                mime_type=mime,
                encryption=add.encryption,
                stream=add.stream,
            )
            info.packet_trailer_features.extend(add.packet_trailer_features)
            participant.tracks.append(info)
            await self._send(
                participant.ws,
                rtc.SignalResponse(track_published=rtc.TrackPublishedResponse(cid=add.cid, track=info)),
            )
            self.track_published.set()
        elif kind == "ping_req":
            pong = rtc.Pong(last_ping_timestamp=request.ping_req.timestamp, timestamp=int(time.time() * 1000))
            await self._send(participant.ws, rtc.SignalResponse(pong_resp=pong))
        elif kind == "ping":
            await self._send(participant.ws, rtc.SignalResponse(pong=int(time.time() * 1000)))
        elif kind == "leave":
            await participant.ws.close()

    async def send_to(self, identity: str, publisher: str, info: models.TrackInfo, track: MediaStreamTrack) -> None:
        """Forwards `track` to `identity` as `publisher`'s track `info`: the update first, then an offer."""
        participant = self.participants[identity]
        owner = models.ParticipantInfo(
            sid="PA_" + publisher,
            identity=publisher,
            state=models.ParticipantInfo.State.ACTIVE,
            is_publisher=True,
            permission=models.ParticipantPermission(can_subscribe=True, can_publish=True),
        )
        owner.tracks.append(info)
        update = rtc.ParticipantUpdate()
        update.participants.append(owner)
        await self._send(participant.ws, rtc.SignalResponse(update=update))
        pc = participant.subscriber
        pc.addTrack(track)
        for transceiver in pc.getTransceivers():
            if transceiver.sender.track is track:
                # LiveKit clients map a remote track by its stream id, "participant sid|track sid".
                transceiver.sender._stream_id = f"{owner.sid}|{info.sid}"
                transceiver.sender._track_id = info.sid
                # Offer only the track's codec: aiortc would otherwise send with the first codec the
                # answer lists (VP8) and packetize H.264 bytes as VP8.
                capabilities = RTCRtpSender.getCapabilities(track.kind).codecs
                transceiver.setCodecPreferences(
                    [codec for codec in capabilities if codec.mimeType.lower() in (info.mime_type.lower(), f"{track.kind}/rtx")]
                )
        await pc.setLocalDescription(await pc.createOffer())
        offer = rtc.SessionDescription(type="offer", sdp=pc.localDescription.sdp, id=1)
        await self._send(participant.ws, rtc.SignalResponse(offer=offer))
