#!/usr/bin/env bash
# Checks `make install` as a user would run it: installs into a fresh PREFIX, then runs the
# installed binary with a bare PATH and environment (no Swift toolchain), renders the installed
# man pages and checks the shell completion scripts.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT
make --no-print-directory install PREFIX="$prefix" >/dev/null

run() { env -i PATH=/usr/bin:/bin HOME="$work" "$prefix/bin/framecrypt" "$@"; }
fail() { echo "check-install: $*" >&2; exit 1; }

run --version | grep -q '^framecrypt ' || fail "the installed binary does not report its version"
run encrypt Fixtures/media/vp8-opus.webm -o "$work/encrypted.webm" --key-file Fixtures/keys/shared.json -q
run verify-keys "$work/encrypted.webm" --key-file Fixtures/keys/shared.json >/dev/null \
    || fail "the installed binary's output does not verify"

pages=$(ls "$prefix/share/man/man1" | wc -l)
[ "$pages" -eq "$(ls man/*.1 | wc -l)" ] || fail "$pages man pages installed, expected $(ls man/*.1 | wc -l)"
for section in NAME SYNOPSIS KEYS "FILE FORMAT" "EXIT STATUS" "SERVER-SIDE RECORDING"; do
    MANWIDTH=100 man -l "$prefix/share/man/man1/framecrypt.1" 2>/dev/null | grep -q "^$section" \
        || fail "framecrypt(1) does not render a $section section"
done
MANPATH="$prefix/share/man" man -w framecrypt.encrypt >/dev/null || fail "man cannot find framecrypt.encrypt(1) under PREFIX"

bash -n "$prefix/share/bash-completion/completions/framecrypt" || fail "the bash completion does not parse"
grep -q -- '--output-dir' "$prefix/share/bash-completion/completions/framecrypt" || fail "bash completion lacks --output-dir"
grep -q 'verify-keys' "$prefix/share/zsh/site-functions/_framecrypt" || fail "zsh completion lacks verify-keys"
grep -q 'verify-keys' "$prefix/share/fish/vendor_completions.d/framecrypt.fish" || fail "fish completion lacks verify-keys"
echo "check-install: binary, $pages man pages and bash/zsh/fish completions installed and working"
