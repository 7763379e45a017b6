#!/usr/bin/env python3
"""Checks that the package's targets keep their layers (docs/ARCHITECTURE.md): reads the target
graph from `swift package describe --type json` and fails, naming the path, when a target reaches
one it must not (FrameCryptCore reaching FFmpeg, the media jobs reaching batches, ...)."""
import json
import subprocess
import sys

# target: targets its dependency closure must not contain
FORBIDDEN = {
    "FrameCryptShared": {"CFFmpeg", "COpenSSL", "CCurl", "FrameCryptMedia", "FrameCryptCore", "FrameCryptKit"},
    "FrameCryptFormat": {"CFFmpeg", "COpenSSL", "FrameCryptMedia", "FrameCryptCrypto", "FrameCryptCore"},
    "FrameCryptCrypto": {"CFFmpeg", "FrameCryptMedia", "FrameCryptCore"},
    "FrameCryptMedia": {"COpenSSL", "FrameCryptCrypto", "FrameCryptCore", "FrameCryptKit"},
    "FrameCryptCore": {"CFFmpeg", "FrameCryptMedia", "FrameCryptKit", "FrameCryptBatch", "FrameCryptCLI"},
    "FrameCryptCapture": {"CFFmpeg", "COpenSSL", "FrameCryptMedia", "FrameCryptCore", "FrameCryptKit", "FrameCryptBatch", "FrameCryptCLI"},
    "FrameCryptKit": {"FrameCryptBatch", "FrameCryptCLI"},
    "FrameCryptBatch": {"FrameCryptCLI"},
}


def main() -> int:
    described = subprocess.run(
        ["swift", "package", "describe", "--type", "json"], capture_output=True, text=True, check=True
    ).stdout
    graph = {target["name"]: target.get("target_dependencies", []) for target in json.loads(described)["targets"]}
    failures = []
    for target, forbidden in FORBIDDEN.items():
        if target not in graph:
            failures.append(f"{target}: no such target")
            continue
        paths = {target: [target]}
        pending = [target]
        while pending:
            current = pending.pop()
            for dependency in graph.get(current, []):
                if dependency not in paths:
                    paths[dependency] = paths[current] + [dependency]
                    pending.append(dependency)
        failures += [f"{target} must not reach {name}: " + " -> ".join(paths[name]) for name in sorted(forbidden & paths.keys())]
    for failure in failures:
        print(f"check-layers: {failure}", file=sys.stderr)
    print(f"check-layers: {len(FORBIDDEN)} targets, {len(failures)} violations")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
