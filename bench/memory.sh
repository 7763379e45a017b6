#!/usr/bin/env bash
# Peak memory of encrypt and decrypt on a 10-minute 720p H.264+AAC file (made once with the ffmpeg
# CLI into .build/bench/), measured with /usr/bin/time -v on the release build.
# Usage: bench/memory.sh [minutes]   (needs ffmpeg and GNU time: scripts/install-deps.sh ffmpeg time)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
minutes=${1:-10}
work=.build/bench
input=$work/long-${minutes}min-720p.mp4
mkdir -p "$work"
make_clip "$minutes" "$input"
swift build -c release --product framecrypt >/dev/null
binary=.build/release/framecrypt
keys=(--key-file Fixtures/keys/shared.json)
ls -l "$input"
measure "encrypt" "$binary" encrypt "$input" -o "$work/encrypted.mp4" --force -q "${keys[@]}"
measure "decrypt" "$binary" decrypt "$work/encrypted.mp4" -o "$work/decrypted.mp4" --force -q "${keys[@]}"
measure "ffmpeg -c copy (reference)" ffmpeg -v error -y -i "$input" -map 0 -c copy "$work/copy.mp4"
