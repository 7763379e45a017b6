#!/usr/bin/env python3
"""Compares two media files packet by packet, as ffprobe reads them, across containers.

Each stream's packets must match in payload (MD5), key flag, and presentation and decoding time in
seconds to within half a tick of the coarser of the two streams' time bases (--ticks N allows N
ticks, for files a tool re-timed), so a file remuxed into a container with another time base still
compares. Decoding times are compared where both containers store them. Streams match by order.
AV1 payloads are compared without a leading temporal delimiter OBU, which MP4 and Matroska must not
store and FFmpeg's muxers drop.

Usage: scripts/compare-packets.py [--encrypted] [--ticks N | --tolerance SECONDS] [--no-dts] ORIGINAL COPY
  --encrypted  read without parsers (-fflags +noparse), as encrypted files must be read.
  --tolerance  the largest time difference allowed, for a copy that went through a container with
               a coarser time base than both files (half a tick of it).
  --no-dts     skip decoding times, for a copy that went through a container that stores none
               (Matroska, Ogg, IVF): they are derived again and the encoder's offset is gone.
Exit status: 0 when every packet matches, 1 when they differ (the first differences on stderr),
2 when a file cannot be read, 64 for a usage error.
"""
import hashlib
import json
import os
import subprocess
import sys
from fractions import Fraction

TEMPORAL_DELIMITER = bytes([0x12, 0x00])


def probe(path, encrypted):
    command = ["ffprobe", "-v", "quiet"] + (["-fflags", "+noparse"] if encrypted else [])
    command += ["-show_streams", "-show_packets", "-show_data", "-of", "json", path]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        print(f"compare-packets: {path}: cannot be read", file=sys.stderr)
        sys.exit(2)
    data = json.loads(result.stdout)
    streams = {}
    for stream in data.get("streams", []):
        streams[stream["index"]] = (Fraction(stream["time_base"]), stream.get("codec_name"), [])
    for packet in data.get("packets", []):
        streams[packet["stream_index"]][2].append(packet)
    return [streams[index] for index in sorted(streams)]


def payload_digest(packet, codec):
    """MD5 of the packet's bytes (ffprobe's hex dump), without a leading AV1 temporal delimiter."""
    lines = packet.get("data", "").strip().split("\n")
    # Each line: an 8-digit offset, ": ", then up to 8 groups of 4 hex digits in 39 columns.
    hex_text = "".join(line[10:49].replace(" ", "") for line in lines if len(line) > 10)
    payload = bytes.fromhex(hex_text)
    if codec == "av1" and payload.startswith(TEMPORAL_DELIMITER):
        payload = payload[len(TEMPORAL_DELIMITER):]
    return hashlib.md5(payload).hexdigest()


def seconds(packet, field, time_base):
    value = packet.get(field)
    return None if value is None else Fraction(int(value)) * time_base


def compare(original, copy, ticks, tolerance_seconds=None, decoding_times=True):
    problems = []
    if len(original) != len(copy):
        return [f"{len(original)} streams in the original, {len(copy)} in the copy"]
    for index, ((base_a, codec_a, packets_a), (base_b, _, packets_b)) in enumerate(zip(original, copy)):
        tolerance = max(base_a, base_b) * (ticks if ticks else Fraction(1, 2))
        if tolerance_seconds is not None:
            tolerance = max(tolerance, tolerance_seconds)
        if len(packets_a) != len(packets_b):
            problems.append(f"stream {index}: {len(packets_a)} packets in the original, {len(packets_b)} in the copy")
        for number, (a, b) in enumerate(zip(packets_a, packets_b)):
            if payload_digest(a, codec_a) != payload_digest(b, codec_a):
                problems.append(f"stream {index} packet {number}: payloads differ")
            if a.get("flags", "")[:1] != b.get("flags", "")[:1]:
                problems.append(f"stream {index} packet {number}: key flag {a.get('flags')} vs {b.get('flags')}")
            for field in ("pts", "dts") if decoding_times else ("pts",):
                ta, tb = seconds(a, field, base_a), seconds(b, field, base_b)
                if field == "dts" and (ta is None or tb is None):
                    continue
                if (ta is None) != (tb is None) or (ta is not None and abs(ta - tb) > tolerance):
                    show = lambda t: "none" if t is None else f"{float(t):.6f} s"
                    problems.append(f"stream {index} packet {number}: {field} {show(ta)} vs {show(tb)}")
    return problems


def main():
    arguments = sys.argv[1:]
    encrypted = "--encrypted" in arguments
    arguments = [a for a in arguments if a != "--encrypted"]
    decoding_times = "--no-dts" not in arguments
    arguments = [a for a in arguments if a != "--no-dts"]
    ticks = 0
    tolerance = None
    if "--ticks" in arguments:
        at = arguments.index("--ticks")
        ticks = int(arguments[at + 1])
        del arguments[at:at + 2]
    if "--tolerance" in arguments:
        at = arguments.index("--tolerance")
        tolerance = Fraction(arguments[at + 1])
        del arguments[at:at + 2]
    if len(arguments) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    original, copy = probe(arguments[0], encrypted), probe(arguments[1], encrypted)
    problems = compare(original, copy, ticks, tolerance, decoding_times)
    if problems:
        print(f"round trip differs ({len(problems)} differences):", file=sys.stderr)
        for problem in problems[: int(os.environ.get("SHOW", "12"))]:
            print(f"  {problem}", file=sys.stderr)
        sys.exit(1)
    count = sum(len(packets) for _, _, packets in original)
    print(f"round trip exact: {count} packets match (data, key flags, times) in {arguments[1]}")


if __name__ == "__main__":
    main()
