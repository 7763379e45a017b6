#!/usr/bin/env bash
# Builds the receiver-profile fixtures (docs/SDKS.md): each is a small file encrypted by framecrypt
# with a fixed seed, chosen so that SDK receivers disagree on it. verdicts.json says what each SDK
# shows; ReceiverProfileTests checks both the bytes of these files and those verdicts.
# Usage: Fixtures/receivers/make.sh FRAMECRYPT OUTPUT_DIR
set -euo pipefail
framecrypt=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
media=$here/../media
mkdir -p "$out"
chmod 600 "$here"/keys/*.json
run() {
    "$framecrypt" encrypt "$@" --seed 24 --force -q 2> >(grep -v -- '--seed is for test fixtures only' >&2)
}
run "$media/vp8-opus.webm" -o "$out/ratchet-two-steps.webm" --key-file "$here/keys/alice.json" \
    --participant alice --scenario "$here/scenarios/ratchet-two-steps.json"
run "$media/vp8-opus.webm" -o "$out/ratchet-one-step.webm" --key-file "$here/keys/alice.json" \
    --participant alice --scenario "$here/scenarios/ratchet-one-step.json"
run "$media/vp8-opus.webm" -o "$out/non-ascii-text-key.webm" --key-file "$here/keys/non-ascii-text.json"
run "$media/vp8-opus.webm" -o "$out/bytes-key-pbkdf2.webm" --key-file "$here/keys/bytes-pbkdf2.json"
run "$media/vp8-opus.webm" -o "$out/bytes-key-hkdf.webm" --key-file "$here/keys/bytes-hkdf.json"
run "$media/vp8-opus.webm" -o "$out/aes-256.webm" --key-file "$here/keys/aes-256.json"
run "$media/av1-opus.mp4" -o "$out/av1.mp4" --key-file "$here/keys/text.json"
run "$media/h264-small-slices.mp4" -o "$out/server-frames-h264.mp4" --key-file "$here/keys/text.json" \
    --scenario "$here/scenarios/server-frames.json"
run "$media/h264-aac.mp4" -o "$out/long-prefix-h264.mp4" --key-file "$here/keys/text.json"
