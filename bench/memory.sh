#!/usr/bin/env bash
# Peak memory of encrypt and decrypt on a 10-minute 720p H.264+AAC file (made once with the ffmpeg
# CLI into .build/bench/), measured with /usr/bin/time -v on the release build.
# Usage: bench/memory.sh [minutes]   (needs ffmpeg and GNU time: scripts/install-deps.sh ffmpeg time)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
work=.build/bench
input=$work/long-${minutes}min-720p.mp4
mkdir -p "$work"
if [ ! -f "$input" ]; then
    echo "making $input"
    ffmpeg -hide_banner -loglevel error -y \
        -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=$((minutes * 60))" \
        -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$((minutes * 60))" \
        -c:v libx264 -preset ultrafast -g 60 -b:v 1500k -pix_fmt yuv420p -c:a aac -b:a 64k "$input"
fi
swift build -c release --product framecrypt >/dev/null
binary=.build/release/framecrypt
keys=(--key-file Fixtures/keys/shared.json)
ls -l "$input"
measure() {
    local label=$1
    shift
    /usr/bin/time -v "$@" 2>"$work/time.log" >/dev/null
    local peak seconds
    peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.log")
    seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.log")
    echo "$label: peak RSS $((peak / 1024)) MB, wall $seconds"
}
measure "encrypt" "$binary" encrypt "$input" -o "$work/encrypted.mp4" --force -q "${keys[@]}"
measure "decrypt" "$binary" decrypt "$work/encrypted.mp4" -o "$work/decrypted.mp4" --force -q "${keys[@]}"
measure "ffmpeg -c copy (reference)" ffmpeg -v error -y -i "$input" -map 0 -c copy "$work/copy.mp4"
