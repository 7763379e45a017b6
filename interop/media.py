"""Known frames for the native peer, and captured frames written where framecrypt reads them."""

from __future__ import annotations

import fractions
import struct
import subprocess
from pathlib import Path

import av

FOURCC = {"vp8": b"VP80", "vp9": b"VP90", "av1": b"AV01", "h264": b"H264"}


def make_clip(
    path: Path, codec: str, seconds: int, width: int = 320, height: int = 240, fps: int = 30, sei: bool = True
) -> None:
    """Encodes a test pattern with the ffmpeg CLI: keyframes every half second; without `sei`,
    H.264 loses x264's settings SEI (a 600-byte clear prefix on the first keyframe)."""
    encoders = {
        "vp8": ["-c:v", "libvpx", "-b:v", "300k"],
        "vp9": ["-c:v", "libvpx-vp9", "-b:v", "300k", "-row-mt", "1"],
        "h264": ["-c:v", "libx264", "-bf", "0", "-x264-params", "repeat-headers=1"],
        "av1": ["-c:v", "libaom-av1", "-cpu-used", "8", "-b:v", "300k", "-lag-in-frames", "0"],
    }
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate={fps}"]
        + ["-t", str(seconds), "-g", str(fps // 2), "-pix_fmt", "yuv420p"]
        + encoders[codec]
        + ([] if sei or codec != "h264" else ["-bsf:v", "filter_units=remove_types=6"])
        + [str(path)],
        check=True,
    )


def annex_b(packet: bytes) -> bytes:
    """4-byte-length-prefixed NAL units (MP4) as Annex B with a 4-byte start code before each."""
    out, index = bytearray(), 0
    while index + 4 <= len(packet):
        size = int.from_bytes(packet[index : index + 4], "big")
        out += b"\x00\x00\x00\x01" + packet[index + 4 : index + 4 + size]
        index += 4 + size
    return bytes(out)


def length_prefixed(frame: bytes) -> bytes:
    """Annex B (3- or 4-byte start codes) as 4-byte-length-prefixed NAL units."""
    units, index, start = [], 0, None
    while index + 3 <= len(frame):
        if frame[index : index + 3] == b"\x00\x00\x01":
            if start is not None:
                units.append(frame[start : index - 1 if frame[index - 1] == 0 and index > start else index])
            index += 3
            start = index
        else:
            index += 1
    if start is not None:
        units.append(frame[start:])
    return b"".join(len(unit).to_bytes(4, "big") + unit for unit in units)


def nal_units(packet: bytes) -> list[bytes]:
    """The NAL units of a 4-byte-length-prefixed packet."""
    units, index = [], 0
    while index + 4 <= len(packet):
        size = int.from_bytes(packet[index : index + 4], "big")
        units.append(packet[index + 4 : index + 4 + size])
        index += 4 + size
    return units


def long_sei_everywhere(source: Path, path: Path) -> None:
    """Copies an x264 MP4, giving every keyframe the settings SEI of the first (a clear prefix of
    600+ bytes on each), so that a receiver meets many such keyframes, not one."""
    frames = read_frames(source)
    sei = next(unit for unit in nal_units(frames[0][0]) if unit[0] & 0x1F == 6)
    rebuilt = []
    for data, key in frames:
        units = nal_units(data)
        if key and sei not in units:
            slice_at = next(i for i, unit in enumerate(units) if unit[0] & 0x1F == 5)
            units.insert(slice_at, sei)
        rebuilt.append((b"".join(b"\x00\x00\x00\x01" + unit for unit in units), key))
    write_mp4(path, source, rebuilt)


def av1_stored(sealed: bytes, key: bool) -> bytes:
    """A sealed AV1 frame behind framecrypt's storage envelope (docs/FORMAT.md): MP4's muxer
    rewrites AV1 samples OBU by OBU and cannot take a sealed frame as it is."""
    size, rest = bytearray(), 1 + len(sealed)
    while True:
        size.append((rest & 0x7F) | (0x80 if rest > 0x7F else 0))
        rest >>= 7
        if not rest:
            break
    return (b"\x0a\x00" if key else b"") + b"\x32" + bytes(size) + b"\x00" + sealed


def write_mp4(
    path: Path, template: Path, frames: list[tuple[bytes, bool]], h264: bool = True, fps: int = 30
) -> None:
    """Writes frames (H.264 as Annex B, made length-prefixed; others as they are) into MP4 with
    the template's configuration record."""
    with av.open(str(template)) as source, av.open(str(path), "w", format="mp4") as container:
        original = source.streams.video[0]
        if h264:
            stream = container.add_stream_from_template(original)
        else:
            # PyAV has no AV1 encoder by the template's decoder name: a stream of the codec, with
            # the template's size and configuration record.
            stream = container.add_stream("av1", rate=fps)
            stream.codec_context.width = original.codec_context.width
            stream.codec_context.height = original.codec_context.height
            stream.codec_context.extradata = original.codec_context.extradata
        for index, (frame, key) in enumerate(frames):
            packet = av.Packet(length_prefixed(frame) if h264 else frame)
            packet.stream = stream
            packet.time_base = fractions.Fraction(1, fps)
            packet.pts = packet.dts = index
            packet.is_keyframe = key
            container.mux(packet)


def read_frames(path: Path) -> list[tuple[bytes, bool]]:
    """Every video packet of `path` with its key flag, as the demuxer gives it."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [(bytes(packet), bool(packet.is_keyframe)) for packet in container.demux(stream) if packet.size]


def read_audio_frames(path: Path) -> list[tuple[bytes, bool]]:
    """Every audio packet of `path`."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return [(bytes(packet), True) for packet in container.demux(stream) if packet.size]


def write_ivf(path: Path, codec: str, frames: list[bytes], width: int, height: int, fps: int = 30) -> None:
    """Writes frames as they are into an IVF file (no muxer touches them)."""
    with open(path, "wb") as out:
        out.write(b"DKIF" + struct.pack("<HH4sHHIIII", 0, 32, FOURCC[codec], width, height, fps, 1, len(frames), 0))
        for index, frame in enumerate(frames):
            out.write(struct.pack("<IQ", len(frame), index))
            out.write(frame)


def write_ogg_opus(path: Path, template: Path, frames: list[bytes]) -> None:
    """Writes Opus frames (20 ms each) into Ogg with the template's stream header."""
    with av.open(str(template)) as source, av.open(str(path), "w", format="ogg") as container:
        stream = container.add_stream_from_template(source.streams.audio[0])
        for index, frame in enumerate(frames):
            packet = av.Packet(frame)
            packet.stream = stream
            packet.time_base = fractions.Fraction(1, 48000)
            packet.pts = packet.dts = index * 960
            packet.duration = 960
            container.mux(packet)


def make_opus_template(path: Path, seconds: float = 0.2) -> None:
    """A mono Opus tone in Ogg (20 ms frames): a clip, or the header captured frames go under."""
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
        + ["-t", str(seconds), "-ac", "1", "-c:a", "libopus", str(path)],
        check=True,
    )
