#!/usr/bin/env bash
# Compares two media files packet by packet as FFmpeg reads them (framemd5 with the files' own
# timestamps): stream, dts, pts, duration, size and payload MD5 of every packet.
# Usage: scripts/compare-packets.sh ORIGINAL COPY
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 ORIGINAL COPY" >&2; exit 64; }
digests() { ffmpeg -v error -copyts -i "$1" -map 0 -c copy -f framemd5 - | grep -v '^#'; }
original=$(digests "$1")
copy=$(digests "$2")
if [ "$original" = "$copy" ]; then
    echo "round trip exact: $(printf '%s\n' "$original" | wc -l) packets identical (data, pts, dts, duration) in $2"
else
    echo "round trip differs:" >&2
    diff <(printf '%s\n' "$original") <(printf '%s\n' "$copy") | head -n 20 >&2
    exit 1
fi
