#!/usr/bin/env python3
"""Compares two media files packet by packet, as ffprobe reads them, across containers.

Each stream's packets must match in payload (MD5), key flag, and presentation and decoding time in
seconds to within half a tick of the coarser of the two streams' time bases, so a file remuxed into a
container with another time base still compares. Streams are matched by order.
Usage: scripts/compare-packets.py [--encrypted] ORIGINAL COPY
  --encrypted  read without parsers (-fflags +noparse), as encrypted files must be read.
Exit status: 0 when every packet matches, 1 when they differ (the first differences on stderr),
2 when a file cannot be read.
"""
import json
import subprocess
import sys
from fractions import Fraction


def probe(path, encrypted):
    command = ["ffprobe", "-v", "error"] + (["-fflags", "+noparse"] if encrypted else [])
    command += ["-show_streams", "-show_packets", "-show_data_hash", "MD5", "-of", "json", path]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"compare-packets: {path}: {result.stderr.strip() or 'ffprobe failed'}")
    data = json.loads(result.stdout)
    streams = {}
    for stream in data.get("streams", []):
        streams[stream["index"]] = (Fraction(stream["time_base"]), [])
    for packet in data.get("packets", []):
        streams[packet["stream_index"]][1].append(packet)
    return [streams[index] for index in sorted(streams)]


def seconds(packet, field, time_base):
    value = packet.get(field)
    return None if value is None else Fraction(int(value)) * time_base


def compare(original, copy):
    problems = []
    if len(original) != len(copy):
        return [f"{len(original)} streams in the original, {len(copy)} in the copy"]
    for index, ((base_a, packets_a), (base_b, packets_b)) in enumerate(zip(original, copy)):
        tolerance = max(base_a, base_b) / 2
        if len(packets_a) != len(packets_b):
            problems.append(f"stream {index}: {len(packets_a)} packets in the original, {len(packets_b)} in the copy")
        for number, (a, b) in enumerate(zip(packets_a, packets_b)):
            if a.get("data_hash") != b.get("data_hash"):
                problems.append(f"stream {index} packet {number}: payloads differ")
            if a.get("flags", "")[:1] != b.get("flags", "")[:1]:
                problems.append(f"stream {index} packet {number}: key flag {a.get('flags')} vs {b.get('flags')}")
            for field in ("pts", "dts"):
                ta, tb = seconds(a, field, base_a), seconds(b, field, base_b)
                if (ta is None) != (tb is None) or (ta is not None and abs(ta - tb) > tolerance):
                    show = lambda t: "none" if t is None else f"{float(t):.6f}"
                    problems.append(f"stream {index} packet {number}: {field} {show(ta)} s vs {show(tb)} s")
    return problems


def main():
    arguments = sys.argv[1:]
    encrypted = "--encrypted" in arguments
    arguments = [a for a in arguments if a != "--encrypted"]
    if len(arguments) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    original, copy = probe(arguments[0], encrypted), probe(arguments[1], encrypted)
    problems = compare(original, copy)
    if problems:
        print(f"round trip differs ({len(problems)} differences):", file=sys.stderr)
        for problem in problems[:int(__import__("os").environ.get("SHOW", "12"))]:
            print(f"  {problem}", file=sys.stderr)
        sys.exit(1)
    count = sum(len(packets) for _, packets in original)
    print(f"round trip exact: {count} packets match (data, key flags, times) in {arguments[1]}")


if __name__ == "__main__":
    main()
