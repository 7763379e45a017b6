#!/usr/bin/env bash
# Installs the Debian packages framecrypt builds against, when any is missing.
# Usage: scripts/install-deps.sh [extra-package ...]   (as root, or with sudo available)
set -euo pipefail

packages=(pkg-config libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libssl-dev libcurl4-openssl-dev libsrtp2-dev "$@")
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
        sudo=sudo
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null; then
    echo "install-deps: no Swift toolchain on PATH (expected Swift 6.2 or later, e.g. /opt/swift/usr/bin)" >&2
    exit 1
fi
