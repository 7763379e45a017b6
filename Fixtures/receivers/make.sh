#!/usr/bin/env bash
# Builds the receiver-profile fixtures (docs/SDKS.md) that verdicts.json lists: each source of
# Fixtures/media encrypted by framecrypt with the fixture's keys (and scenario) at a fixed seed,
# chosen so that SDK receivers disagree on it. ReceiverProfileTests checks that the committed files
# are what this builds and that each SDK shows what verdicts.json says.
# Usage: Fixtures/receivers/make.sh FRAMECRYPT OUTPUT_DIR
set -euo pipefail
framecrypt=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
chmod 600 "$here"/keys/*.json
python3 - "$here/verdicts.json" <<'PY' | while IFS=$'\t' read -r file source keys participant scenario sender; do
import json, sys
for f in json.load(open(sys.argv[1]))["fixtures"]:
    fields = [f["file"], f["source"], f["keys"]] + [f.get(name, "-") for name in ("participant", "scenario", "sender")]
    print("\t".join(fields))
PY
    args=("$here/../media/$source" -o "$out/$file" --key-file "$here/$keys" --seed 24 --force -q)
    [ "$participant" = - ] || args+=(--participant "$participant")
    [ "$scenario" = - ] || args+=(--scenario "$here/$scenario")
    [ "$sender" = - ] || args+=(--sender "$sender")
    "$framecrypt" encrypt "${args[@]}" 2> >(grep -v -- '--seed is for test fixtures only' >&2)
done
