#!/usr/bin/env bash
# Makes the real-world recording corpus: small clips written the way other tools write them
# (GStreamer 1.22 muxers as LiveKit Egress uses them, mkvmerge, FFmpeg's TS/IVF/live-WebM as OBS,
# HLS and track egress write them), then the encrypted files that other tools change after
# encryption (mkvmerge's remux and lacing, an elementary-stream round trip).
#
# Usage: Fixtures/realworld/make.sh OUTDIR [FRAMECRYPT]
#   OUTDIR      where the files go (Fixtures/realworld/media holds the committed copy)
#   FRAMECRYPT  the framecrypt binary for the encrypted files (default .build/debug/framecrypt);
#               they use Fixtures/keys/shared.json
# Needs gst-launch-1.0 (gstreamer1.0-tools, -plugins-base/-good/-bad/-ugly, -libav), mkvmerge
# (mkvtoolnix) and ffmpeg: `scripts/install-deps.sh` with the realworld extras installs them.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: make.sh OUTDIR [FRAMECRYPT]}
framecrypt=${2:-$root/.build/debug/framecrypt}
keys=$root/Fixtures/keys/shared.json
mkdir -p "$out"
cd "$out"

# 0.5 s at 160x120, 30 fps; a 440 Hz tone at 48 kHz (25 Opus frames of 20 ms).
video="videotestsrc num-buffers=15 pattern=ball ! video/x-raw,width=160,height=120,framerate=30/1,format=I420"
audio="audiotestsrc num-buffers=25 samplesperbuffer=960 freq=440 ! audio/x-raw,rate=48000,channels=2"
h264="x264enc speed-preset=veryfast bitrate=150 key-int-max=10 bframes=0 ! h264parse"
h264b="x264enc speed-preset=veryfast bitrate=150 key-int-max=10 bframes=2 ! h264parse"
vp8="vp8enc deadline=1 target-bitrate=150000 keyframe-max-dist=10"
aac="avenc_aac bitrate=48000 ! aacparse"
gst() { gst-launch-1.0 -q "$@" >/dev/null; }

# LiveKit Egress's muxers (room composite and track composite): webmmux, mp4mux, qtmux, oggmux,
# matroskamux; fragmented MP4 as its streaming outputs write it.
gst $video ! $vp8 ! webmmux name=m ! filesink location=gst-webmmux-vp8-opus.webm $audio ! opusenc ! m.
gst $video ! $h264 ! mp4mux name=m ! filesink location=gst-mp4mux-h264-aac.mp4 $audio ! $aac ! m.
gst $video ! $h264 ! mp4mux fragment-duration=100 name=m ! filesink location=gst-mp4mux-fragmented-h264-aac.mp4 \
    $audio ! $aac ! m.
gst $video ! $h264b ! mp4mux fragment-duration=100 name=m ! filesink location=gst-mp4mux-fragmented-bframes-h264-aac.mp4 \
    $audio ! $aac ! m.
gst $video ! $h264 ! qtmux name=m ! filesink location=gst-qtmux-h264-aac.mov $audio ! $aac ! m.
gst $audio ! opusenc ! oggmux ! filesink location=gst-oggmux-opus.ogg
gst $video ! av1enc cpu-used=8 target-bitrate=150 ! av1parse ! matroskamux name=m ! filesink location=gst-matroskamux-av1-opus.mkv \
    $audio ! opusenc ! m.
# HLS segment egress: MPEG-TS with H.264 and AAC.
gst $video ! $h264 ! mpegtsmux name=m ! filesink location=gst-mpegtsmux-h264-aac.ts $audio ! $aac ! m.

ff() { ffmpeg -v error -y "$@"; }
# OBS-style MPEG-TS with H.265 and Opus.
ff -f lavfi -i "testsrc2=size=160x120:rate=30:duration=0.5" -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=0.5" \
    -c:v libx265 -preset veryfast -x265-params "log-level=error:pools=none:frame-threads=1" -g 10 -b:v 150k \
    -c:a libopus -b:a 32k -f mpegts ffmpeg-h265-opus.ts
ff -f lavfi -i "testsrc2=size=160x120:rate=30:duration=0.5" \
    -c:v libx265 -preset veryfast -x265-params "log-level=error:pools=none:frame-threads=1" -g 10 -b:v 150k \
    -tag:v hvc1 ffmpeg-h265.mp4
# Track egress (passthrough): IVF.
ff -i gst-webmmux-vp8-opus.webm -map 0:v -c copy ffmpeg-vp8.ivf
ff -f lavfi -i "testsrc2=size=160x120:rate=30:duration=0.5" -c:v libvpx-vp9 -b:v 150k -g 10 -row-mt 0 ffmpeg-vp9.ivf
ff -i gst-matroskamux-av1-opus.mkv -map 0:v -c copy ffmpeg-av1.ivf
# Browsers' MediaRecorder: WebM written live (unknown sizes, no cues), and Chrome's H.264 in a
# WebM DocType (libwebm writes it; FFmpeg and mkvmerge refuse to, so the DocType is set by hand).
ff -i gst-webmmux-vp8-opus.webm -map 0 -c copy -live 1 -f webm mediarecorder-vp8-opus.webm
ff -i gst-mp4mux-h264-aac.mp4 -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=0.5" -map 0:v -map 1:a \
    -c:v copy -c:a libopus -b:a 32k -live 1 -f matroska mediarecorder-h264-opus.webm
python3 - mediarecorder-h264-opus.webm <<'PY'
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
doctype = bytes([0x42, 0x82, 0x88]) + b"matroska"
at = data.index(doctype)
# DocType "webm" (7 bytes) and a 4-byte Void element keep the EBML header's size.
data[at:at + len(doctype)] = bytes([0x42, 0x82, 0x84]) + b"webm" + bytes([0xEC, 0x82, 0x00, 0x00])
open(path, "wb").write(data)
PY
# mkvmerge of a GStreamer MP4.
mkvmerge -q -o mkvmerge-h264-aac.mkv gst-mp4mux-h264-aac.mp4

# Encrypted files that other tools changed afterwards.
"$framecrypt" encrypt gst-mp4mux-h264-aac.mp4 -o encrypted-h264-aac.mkv --key-file "$keys" --force --seed 20 >/dev/null
mkvmerge -q -o encrypted-mkvmerge-h264-aac.mkv encrypted-h264-aac.mkv
"$framecrypt" encrypt gst-webmmux-vp8-opus.webm -o encrypted-vp8-opus.webm --key-file "$keys" --force --seed 20 >/dev/null
mkvmerge -q --webm -o encrypted-mkvmerge-laced-vp8-opus.webm encrypted-vp8-opus.webm
"$framecrypt" encrypt ffmpeg-h265.mp4 -o encrypted-h265.mp4 --key-file "$keys" --force --seed 20 >/dev/null
# Decoding ciphertext while probing logs errors; they say nothing here.
ffmpeg -v quiet -y -fflags +noparse -i encrypted-h265.mp4 -c copy -bsf:v hevc_mp4toannexb encrypted-h265.hevc
ffmpeg -v quiet -y -r 30 -i encrypted-h265.hevc -c copy encrypted-elementary-roundtrip-h265.mp4
rm -f encrypted-h265.hevc encrypted-h264-aac.mkv encrypted-vp8-opus.webm encrypted-h265.mp4
