#!/usr/bin/env bash
# Rebuilds Fixtures/cryptor/ (the regression fixtures for cryptor implementations) from its recipe,
# Fixtures/cryptor/suite.json, with a release build of framecrypt. The outputs are committed;
# `framecrypt fixtures verify` (part of `make test`) checks that a rebuild gives the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product framecrypt
.build/release/framecrypt fixtures build Fixtures/cryptor/suite.json
du -ch Fixtures/cryptor/*.* | tail -n 1
