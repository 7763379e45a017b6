#!/usr/bin/env bash
# The man pages in man/: framecrypt(1) and one page per subcommand, generated from the command
# definitions by swift-argument-parser's generate-manual plugin, with the hand-written sections in
# man/sections/*.mdoc (keys, file format, exit status, server-side recording) spliced into
# framecrypt(1) in place of the generated EXIT STATUS section.
#
#   scripts/man.sh           rewrite man/*.1
#   scripts/man.sh --check   exit 1, showing the difference, when man/*.1 are stale (the .Dd date
#                            line is not compared)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"

generated=$(mktemp -d)
trap 'rm -rf "$generated"' EXIT
swift package --allow-writing-to-package-directory generate-manual --multi-page --configuration debug >/dev/null
cp .build/plugins/GenerateManual/outputs/framecrypt/*.1 "$generated/"

# framecrypt(1): drop the generated EXIT STATUS section, put the hand-written sections before SEE ALSO.
awk -v sections="$(cat man/sections/*.mdoc)" '
  /^\.Sh "EXIT STATUS"/ { skipping = 1; next }
  /^\.Sh / { skipping = 0 }
  /^\.Sh "SEE ALSO"/ { print sections }
  !skipping { print }
' "$generated/framecrypt.1" >"$generated/framecrypt.1.new"
mv "$generated/framecrypt.1.new" "$generated/framecrypt.1"

if [[ "${1:-}" == "--check" ]]; then
  stale=0
  for page in "$generated"/*.1 man/*.1; do
    name=$(basename "$page")
    if ! diff -u <(sed '/^\.Dd /d' "man/$name" 2>/dev/null) <(sed '/^\.Dd /d' "$generated/$name" 2>/dev/null) >&2; then
      echo "man/$name is stale" >&2
      stale=1
    fi
  done
  if [[ $stale == 1 ]]; then
    echo "the man pages do not match the command definitions: run 'make man' and commit man/" >&2
    exit 1
  fi
  echo "man pages up to date ($(ls man/*.1 | wc -l) pages)"
else
  rm -f man/*.1
  cp "$generated"/*.1 man/
  echo "wrote $(ls man/*.1 | wc -l) pages to man/"
fi
