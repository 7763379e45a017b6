#!/usr/bin/env bash
# Builds the container image's root filesystem without a container engine: Debian bookworm from
# debootstrap --variant=minbase, the runtime packages of deploy/runtime-packages.txt, the user the
# Containerfile creates (its own `useradd` line), and framecrypt as `make install` builds it.
# Running a command inside it with chroot shows that the image's package list is complete.
# Usage: scripts/rootfs.sh [DIR]   (default .build/rootfs; as root; reused while the list is unchanged)
set -euo pipefail
cd "$(dirname "$0")/.."

root=$(realpath -m "${1:-.build/rootfs}")
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=$(grep -v '^#' deploy/runtime-packages.txt | xargs | tr ' ' ,)
add_user=$(sed -n 's/^RUN \(useradd .*\)$/\1/p' Containerfile)
[ -n "$add_user" ] || { echo "rootfs: the Containerfile has no 'RUN useradd' line" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "rootfs: debootstrap and chroot need root" >&2; exit 1; }
scripts/install-deps.sh debootstrap

recipe="$packages|$add_user"
if [ "$(cat "$root/.framecrypt-rootfs" 2>/dev/null)" != "$recipe" ]; then
    rm -rf "$root" "$root.part"
    mkdir -p "$(dirname "$root")"
    trap 'rm -rf "$root.part"' EXIT
    echo "rootfs: debootstrap bookworm (minbase + $packages) into $root"
    # In a mount namespace of its own, so nothing debootstrap mounts outlives it, whatever happens.
    unshare --mount --propagation private \
        debootstrap --variant=minbase --include="$packages" bookworm "$root.part" "$mirror" >"$root.log" 2>&1 \
        || { tail -n 20 "$root.log" >&2; echo "rootfs: debootstrap failed (whole log: $root.log)" >&2; exit 1; }
    # Unquoted: the Containerfile's words, split as its shell splits them.
    chroot "$root.part" $add_user
    echo "$recipe" >"$root.part/.framecrypt-rootfs"
    mv "$root.part" "$root"
    trap - EXIT
fi
make --no-print-directory install DESTDIR="$root" PREFIX=/usr/local >/dev/null
echo "rootfs: $root ready ($(du -sh "$root" | cut -f1))"
