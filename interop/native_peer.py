"""LiveKit's native SDK (PyPI livekit: libwebrtc with the native FrameCryptor) as a peer."""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field

from livekit import api, rtc
from livekit.rtc._proto import room_pb2, track_pb2, video_frame_pb2

CODECS = {
    "vp8": video_frame_pb2.VideoCodec.VP8,
    "vp9": video_frame_pb2.VideoCodec.VP9,
    "h264": video_frame_pb2.VideoCodec.H264,
    "av1": video_frame_pb2.VideoCodec.AV1,
}
KDFS = {"pbkdf2": rtc.KeyDerivationFunction.PBKDF2, "hkdf": rtc.KeyDerivationFunction.HKDF}


@dataclass
class KeySetup:
    """What the native key provider holds."""

    material: bytes
    kdf: str = "pbkdf2"
    key_index: int = 0
    per_participant: bool = False
    ratchet_salt: bytes = b"LKFrameEncryptionKey"
    failure_tolerance: int = -1
    # Per-participant keys: whose key this is (default: the peer's own identity).
    owner: str = ""
    # Further keys by ring index (a rotation's next key).
    more: dict[int, bytes] = field(default_factory=dict)


@dataclass
class NativePeer:
    """One native participant: connects, publishes pre-encoded frames, records E2EE states."""

    url: str
    identity: str
    keys: KeySetup
    states: list[tuple[str, str]] = field(default_factory=list)
    decoded: int = 0
    room: rtc.Room | None = None
    _readers: list = field(default_factory=list)

    def token(self) -> str:
        grant = api.VideoGrants(room_join=True, room="interop", can_publish=True, can_subscribe=True)
        return (
            api.AccessToken("interop-key", "interop-secret-that-is-long-enough-for-hs256")
            .with_identity(self.identity)
            .with_grants(grant)
            .to_jwt()
        )

    async def connect(self, auto_subscribe: bool = False) -> None:
        options = rtc.KeyProviderOptions(
            shared_key=None if self.keys.per_participant else self.keys.material,
            ratchet_salt=self.keys.ratchet_salt,
            ratchet_window_size=16,
            failure_tolerance=self.keys.failure_tolerance,
            key_ring_size=16,
            key_derivation_function=KDFS[self.keys.kdf],
        )
        room = rtc.Room()

        @room.on("e2ee_state_changed")
        def on_state(participant, state) -> None:
            self.states.append((participant.identity, rtc.EncryptionState.Name(state)))

        @room.on("track_subscribed")
        def on_track(track, publication, participant) -> None:
            stream = rtc.VideoStream(track) if track.kind == rtc.TrackKind.KIND_VIDEO else rtc.AudioStream(track)
            self._readers.append(asyncio.ensure_future(self._count(stream)))

        await room.connect(
            self.url,
            self.token(),
            options=rtc.RoomOptions(auto_subscribe=auto_subscribe, encryption=rtc.E2EEOptions(key_provider_options=options)),
        )
        provider = room.e2ee_manager.key_provider
        if self.keys.per_participant:
            provider.set_key(self.keys.owner or self.identity, self.keys.material, self.keys.key_index)
        elif self.keys.key_index != 0:
            provider.set_shared_key(self.keys.material, self.keys.key_index)
        for index, material in self.keys.more.items():
            if self.keys.per_participant:
                provider.set_key(self.keys.owner or self.identity, material, index)
            else:
                provider.set_shared_key(material, index)
        self.room = room

    async def publish(
        self,
        codec: str,
        frames: list[tuple[bytes, bool]],
        width: int,
        height: int,
        fps: int = 30,
        ratchet_at: dict[int, int] | None = None,
        metadata: bool = False,
        rotate_at: dict[int, int] | None = None,
    ) -> None:
        """Publishes `frames` (frame form, key flag) in real time; ratchets the key before frame i
        `ratchet_at[i]` times; moves to key index `rotate_at[i]` before frame i; with `metadata`,
        attaches frame id i + 1 and user timestamp 1.7e15 + 1000 i to frame i."""
        assert self.room is not None
        source = rtc.EncodedVideoSource(width, height)
        track = rtc.LocalVideoTrack.create_video_track("video", source)
        options = rtc.TrackPublishOptions(
            source=rtc.TrackSource.SOURCE_CAMERA,
            video_codec=CODECS[codec],
            simulcast=False,
            video_encoder=room_pb2.ENCODER_BACKEND_PRE_ENCODED,
        )
        if metadata:
            options.frame_metadata_features.extend(
                [track_pb2.FrameMetadataFeature.FMF_USER_TIMESTAMP, track_pb2.FrameMetadataFeature.FMF_FRAME_ID]
            )
        await self.room.local_participant.publish_track(track, options)
        if self.keys.key_index != 0:
            for cryptor in self.room.e2ee_manager.frame_cryptors():
                if cryptor.participant_identity == self.identity:
                    cryptor.set_key_index(self.keys.key_index)
        start = asyncio.get_running_loop().time()
        for index, (data, key) in enumerate(frames):
            if index in (rotate_at or {}):
                for cryptor in self.room.e2ee_manager.frame_cryptors():
                    if cryptor.participant_identity == self.identity:
                        cryptor.set_key_index((rotate_at or {})[index])
            for _ in range((ratchet_at or {}).get(index, 0)):
                self.room.e2ee_manager.key_provider.ratchet_shared_key(self.keys.key_index)
            frame_metadata = None
            if metadata:
                frame_metadata = video_frame_pb2.FrameMetadata(
                    user_timestamp=1_700_000_000_000_000 + index * 1000, frame_id=index + 1
                )
            source.capture_frame(
                rtc.EncodedVideoFrame(
                    data=data,
                    width=width,
                    height=height,
                    codec=CODECS[codec],
                    frame_type=video_frame_pb2.EncodedFrameType.ENCODED_FRAME_KEY
                    if key
                    else video_frame_pb2.EncodedFrameType.ENCODED_FRAME_DELTA,
                    timestamp_us=index * 1_000_000 // fps,
                    metadata=frame_metadata,
                )
            )
            await asyncio.sleep(max(0.0, start + (index + 1) / fps - asyncio.get_running_loop().time()))

    async def publish_audio(self, seconds: float) -> None:
        """Publishes a 440 Hz tone for `seconds`; the native SDK encodes it with Opus and encrypts it."""
        assert self.room is not None
        source = rtc.AudioSource(48000, 1)
        track = rtc.LocalAudioTrack.create_audio_track("audio", source)
        await self.room.local_participant.publish_track(
            track, rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
        )
        samples = 480
        for block in range(int(seconds * 100)):
            frame = rtc.AudioFrame.create(48000, 1, samples)
            data = frame.data
            for index in range(samples):
                t = (block * samples + index) / 48000
                data[index] = int(8000 * math.sin(2 * math.pi * 440 * t))
            await source.capture_frame(frame)
        await asyncio.sleep(0.5)

    async def _count(self, stream) -> None:
        """Counts the pictures (audio: 10 ms frames) the native receiver decodes."""
        async for _ in stream:
            self.decoded += 1

    async def close(self) -> None:
        for reader in self._readers:
            reader.cancel()
        if self.room is not None:
            await self.room.disconnect()
