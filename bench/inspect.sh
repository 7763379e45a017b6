#!/usr/bin/env bash
# inspect on a one-hour 720p H.264+AAC encrypted file against `ffprobe -show_packets` on the same
# file, wall time and peak memory with /usr/bin/time -v on the release build. The hour is six
# copies of the 10-minute clip `make bench` uses, joined with ffmpeg's concat demuxer (-c copy).
# Usage: bench/inspect.sh   (needs ffmpeg and GNU time: scripts/install-deps.sh ffmpeg time)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh ffmpeg time
source bench/common.sh
work=.build/bench
clip=$work/long-10min-720p.mp4
hour=$work/long-60min-720p.mp4
encrypted=$work/long-60min-720p-encrypted.mp4
mkdir -p "$work"
make_clip 10 "$clip"
swift build -c release --static-swift-stdlib --product framecrypt >/dev/null
binary=.build/release/framecrypt
make_hour "$clip" "$hour"
if [ ! -f "$encrypted" ]; then
    "$binary" encrypt "$hour" -o "$encrypted" -q --key-file Fixtures/keys/shared.json
fi
ls -l "$encrypted"
measure "ffprobe -show_packets (reference)" ffprobe -v error -show_packets "$encrypted"
measure "ffprobe -show_packets -of json" ffprobe -v error -show_packets -of json "$encrypted"
measure "framecrypt inspect" "$binary" inspect "$encrypted"
measure "framecrypt inspect --json" "$binary" inspect --json "$encrypted"
measure "framecrypt inspect --frames --json" "$binary" inspect --frames --json "$encrypted"
measure "framecrypt verify-keys" "$binary" verify-keys "$encrypted" --key-file Fixtures/keys/shared.json
