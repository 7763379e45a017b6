#!/usr/bin/env bash
# make interop: LiveKit's native FrameCryptor (PyPI livekit, libwebrtc inside liblivekit_ffi.so)
# against framecrypt, through a real session with our own signal server and SFU (interop/).
#
# libwebrtc and aioice ignore loopback, so everything runs in a network namespace made here: a
# veth pair with both ends inside it, addresses that exist only there, no route out. The namespace
# and every process in it are removed on every exit path. No STUN or TURN server is configured.
#
#   scripts/interop.sh [FILTER]     run the matrix (rows whose name contains FILTER)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"

scripts/install-deps.sh ffmpeg python3 python3-venv iproute2

venv=.build/interop-venv
if ! "$venv/bin/python" -c "import livekit.rtc, aiortc, av, websockets" 2>/dev/null; then
  echo "interop: creating $venv (pinned in interop/requirements.txt)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r interop/requirements.txt
fi

swift build --product framecrypt >&2
framecrypt=$(pwd)/.build/debug/framecrypt

ns="fcinterop$$"
host=10.231.7.1
peer=10.231.7.2
cleanup() {
  ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

ip netns add "$ns"
ip -n "$ns" link add fc0 type veth peer name fc1
ip -n "$ns" addr add "$host/30" dev fc0
ip -n "$ns" addr add "$peer/30" dev fc1
ip -n "$ns" link set lo up
ip -n "$ns" link set fc0 up
ip -n "$ns" link set fc1 up

work=.build/interop
rm -rf "$work"
mkdir -p "$work"
ip netns exec "$ns" timeout 540 "$venv/bin/python" interop/harness.py \
  --framecrypt "$framecrypt" --work "$work" --host "$host" --only="${1:-}"
