#!/usr/bin/env bash
# Regenerates Fixtures/media/: small real clips (about 1.5 s, 320x240) for the media pipeline's tests.
# The outputs are committed; CI does not run this. Needs the ffmpeg CLI (scripts/install-deps.sh ffmpeg).
set -euo pipefail
cd "$(dirname "$0")"
out=media
mkdir -p "$out"

duration=1.5
video="testsrc2=size=320x240:rate=30:duration=$duration"
tone="sine=frequency=440:sample_rate=48000:duration=$duration"
tone2="sine=frequency=660:sample_rate=48000:duration=$duration"
common=(-hide_banner -loglevel error -y)
outs=(-fflags +bitexact -map_metadata -1)
vbits=(-flags:v +bitexact -threads 1)
abits=(-flags:a +bitexact)

ffmpeg "${common[@]}" -f lavfi -i "$video" -f lavfi -i "$tone" \
    -c:v libvpx -b:v 300k -g 15 "${vbits[@]}" -c:a libopus -b:a 48k "${abits[@]}" "${outs[@]}" "$out/vp8-opus.webm"
ffmpeg "${common[@]}" -f lavfi -i "$video" -f lavfi -i "$tone" \
    -c:v libvpx-vp9 -b:v 300k -g 15 -row-mt 0 "${vbits[@]}" -c:a libopus -b:a 48k "${abits[@]}" "${outs[@]}" "$out/vp9-opus.webm"
ffmpeg "${common[@]}" -f lavfi -i "$video" -f lavfi -i "$tone" \
    -c:v libx264 -preset veryfast -bf 0 -g 15 "${vbits[@]}" -pix_fmt yuv420p \
    -c:a aac -b:a 64k "${abits[@]}" "${outs[@]}" "$out/h264-aac.mp4"
ffmpeg "${common[@]}" -f lavfi -i "$video" -f lavfi -i "$tone" \
    -c:v libx264 -preset veryfast -bf 3 -g 30 "${vbits[@]}" -pix_fmt yuv420p \
    -c:a libopus -b:a 48k "${abits[@]}" "${outs[@]}" "$out/h264-bframes-opus.mkv"
ffmpeg "${common[@]}" -f lavfi -i "$video" -f lavfi -i "$tone" \
    -c:v libx265 -preset veryfast -x265-params "log-level=error:pools=none:frame-threads=1" -g 15 "${vbits[@]}" \
    -pix_fmt yuv420p -tag:v hvc1 -c:a aac -b:a 64k "${abits[@]}" "${outs[@]}" "$out/h265-aac.mp4"
ffmpeg "${common[@]}" -f lavfi -i "$video" -f lavfi -i "$tone" \
    -c:v libaom-av1 -cpu-used 8 -b:v 200k -g 15 "${vbits[@]}" -pix_fmt yuv420p \
    -c:a libopus -b:a 48k "${abits[@]}" "${outs[@]}" "$out/av1-opus.mp4"
# Small slices (at most 250 bytes, no SEI): every NAL unit fits a 1-byte length field, and encrypted
# ones outgrow it. The tests rewrite this file with 1- and 2-byte NAL lengths.
ffmpeg "${common[@]}" -f lavfi -i "testsrc2=size=160x96:rate=15:duration=1" \
    -c:v libx264 -preset veryfast -bf 0 -g 15 -x264-params slice-max-size=250 -bsf:v filter_units=remove_types=6 \
    "${vbits[@]}" -pix_fmt yuv420p "${outs[@]}" "$out/h264-small-slices.mp4"
ffmpeg "${common[@]}" -f lavfi -i "$tone" -c:a libopus -b:a 48k "${abits[@]}" "${outs[@]}" "$out/opus.ogg"
ffmpeg "${common[@]}" -f lavfi -i "$video" -f lavfi -i "testsrc=size=320x240:rate=30:duration=$duration" \
    -f lavfi -i "$tone" -f lavfi -i "$tone2" \
    -map 0:v -map 2:a -map 1:v -map 3:a \
    -c:v:0 libvpx -c:v:1 libvpx -b:v 200k -g 15 "${vbits[@]}" -c:a libopus -b:a 48k "${abits[@]}" \
    "${outs[@]}" -metadata:s:v:0 title=alice -metadata:s:a:0 title=alice -metadata:s:v:1 title=bob -metadata:s:a:1 title=bob \
    "$out/two-participants.mkv"

ls -l "$out"
du -ch "$out"/* | tail -n 1
