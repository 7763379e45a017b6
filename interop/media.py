"""Known frames for the native peer, and captured frames written where framecrypt reads them."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import av

FOURCC = {"vp8": b"VP80", "vp9": b"VP90", "av1": b"AV01"}


def make_clip(path: Path, codec: str, seconds: int, width: int = 320, height: int = 240, fps: int = 30) -> None:
    """Encodes a test pattern with the ffmpeg CLI: keyframes every half second."""
    encoders = {
        "vp8": ["-c:v", "libvpx", "-b:v", "300k"],
        "vp9": ["-c:v", "libvpx-vp9", "-b:v", "300k", "-row-mt", "1"],
        "h264": ["-c:v", "libx264", "-bsf:v", "h264_mp4toannexb", "-x264-params", "repeat-headers=1"],
    }
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate={fps}"]
        + ["-t", str(seconds), "-g", str(fps // 2), "-pix_fmt", "yuv420p"]
        + encoders[codec]
        + [str(path)],
        check=True,
    )


def read_frames(path: Path) -> list[tuple[bytes, bool]]:
    """Every video packet of `path` with its key flag, as the demuxer gives it."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [(bytes(packet), bool(packet.is_keyframe)) for packet in container.demux(stream) if packet.size]


def write_ivf(path: Path, codec: str, frames: list[bytes], width: int, height: int, fps: int = 30) -> None:
    """Writes frames as they are into an IVF file (no muxer touches them)."""
    with open(path, "wb") as out:
        out.write(b"DKIF" + struct.pack("<HH4sHHIIII", 0, 32, FOURCC[codec], width, height, fps, 1, len(frames), 0))
        for index, frame in enumerate(frames):
            out.write(struct.pack("<IQ", len(frame), index))
            out.write(frame)


def write_annexb_matroska(path: Path, frames: list[bytes], fps: int = 30) -> None:
    """Writes Annex B H.264 frames into Matroska without configuration record, as they are."""
    with av.open(str(path), "w", format="matroska") as container:
        stream = container.add_stream("h264", rate=fps)
        stream.width, stream.height = 320, 240
        for index, frame in enumerate(frames):
            packet = av.Packet(frame)
            packet.stream = stream
            packet.pts = packet.dts = index
            packet.time_base = stream.time_base if stream.time_base else None
            container.mux(packet)
