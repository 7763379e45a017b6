#!/usr/bin/env python3
"""Times framecrypt encrypt/decrypt against ffmpeg -c copy, FFmpeg's CENC and Shaka Packager.

Every repetition runs each command once, in an order rotated by one each time, after `sync` and
after deleting the command's outputs (neither timed). Wall time comes from a monotonic clock around
the child, peak RSS from wait4(2). Writes a Markdown report with medians, ratios, the per-frame core
table and the machine it ran on. Usage: see bench/run.sh, which makes the inputs and the binaries.
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

# A throwaway CENC key and key id for the comparison tools (framecrypt uses its demo key file).
CENC_KEY = "00112233445566778899aabbccddeeff"
CENC_KID = "0123456789abcdef0123456789abcdef"


class Command:
    """One timed command: its argv, the files it writes, and its samples."""

    def __init__(self, label, argv, outputs):
        self.label = label
        self.argv = argv
        self.outputs = outputs
        self.walls = []
        self.peaks = []

    def run(self):
        for path in self.outputs:
            if os.path.exists(path):
                os.remove(path)
        subprocess.run(["sync"], check=True)
        start = time.perf_counter()
        child = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        errors = child.stderr.read().decode(errors="replace")
        child.stderr.close()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            sys.exit(f"bench: {self.label} failed (exit {child.returncode}): {' '.join(self.argv)}\n{errors}")
        self.walls.append(wall)
        self.peaks.append(usage.ru_maxrss / 1024)

    @property
    def wall(self):
        return statistics.median(self.walls)

    @property
    def peak(self):
        return statistics.median(self.peaks)


def prepare(argv):
    """Runs an untimed set-up command, such as making the encrypted file a decrypt reads."""
    subprocess.run(argv, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def commands_for(name, path, ext, args, comparisons):
    """The commands timed on one input; `comparisons` adds FFmpeg CENC and Shaka Packager."""
    out = os.path.join(args.work, "out")
    os.makedirs(out, exist_ok=True)
    keys = ["--key-file", args.key_file]
    encrypted = os.path.join(out, f"{name}.framecrypt.{ext}")
    prepare([args.framecrypt, "encrypt", path, "-o", encrypted, "--force", "-q"] + keys)
    copy_out = os.path.join(out, f"{name}.copy.{ext}")
    enc_out = os.path.join(out, f"{name}.encrypted.{ext}")
    dec_out = os.path.join(out, f"{name}.decrypted.{ext}")
    commands = [
        Command("ffmpeg -c copy", [args.ffmpeg, "-nostdin", "-v", "error", "-y", "-i", path, "-map", "0",
                                   "-c", "copy", copy_out], [copy_out]),
        Command("framecrypt encrypt", [args.framecrypt, "encrypt", path, "-o", enc_out, "--force", "-q"] + keys,
                [enc_out]),
        Command("framecrypt decrypt", [args.framecrypt, "decrypt", encrypted, "-o", dec_out, "--force", "-q"]
                + keys, [dec_out]),
    ]
    if not comparisons:
        return commands
    cenc = os.path.join(out, f"{name}.cenc.mp4")
    prepare([args.ffmpeg, "-nostdin", "-y", "-i", path, "-map", "0", "-c", "copy", "-encryption_scheme",
             "cenc-aes-ctr", "-encryption_key", CENC_KEY, "-encryption_kid", CENC_KID, cenc])
    cenc_out = os.path.join(out, f"{name}.cenc-encrypted.mp4")
    cenc_dec = os.path.join(out, f"{name}.cenc-decrypted.mp4")
    commands += [
        Command("ffmpeg CENC encrypt", [args.ffmpeg, "-nostdin", "-v", "error", "-y", "-i", path, "-map", "0",
                                        "-c", "copy", "-encryption_scheme", "cenc-aes-ctr", "-encryption_key",
                                        CENC_KEY, "-encryption_kid", CENC_KID, cenc_out], [cenc_out]),
        Command("ffmpeg CENC decrypt", [args.ffmpeg, "-nostdin", "-v", "error", "-y", "-decryption_key",
                                        CENC_KEY, "-i", cenc, "-map", "0", "-c", "copy", cenc_dec], [cenc_dec]),
    ]
    if args.packager:
        key = f"label=:key_id={CENC_KID}:key={CENC_KEY}"
        streams = ["video", "audio"]
        packaged = [os.path.join(out, f"{name}.shaka.{s}.{ext}") for s in streams]
        prepare([args.packager] + [f"in={path},stream={s},output={p}" for s, p in zip(streams, packaged)]
                + ["--enable_raw_key_encryption", "--keys", key, "--protection_scheme", "cenc", "--clear_lead", "0"])
        enc = [os.path.join(out, f"{name}.shaka-encrypted.{s}.{ext}") for s in streams]
        dec = [os.path.join(out, f"{name}.shaka-decrypted.{s}.{ext}") for s in streams]
        commands += [
            Command("Shaka Packager encrypt", [args.packager]
                    + [f"in={path},stream={s},output={p}" for s, p in zip(streams, enc)]
                    + ["--enable_raw_key_encryption", "--keys", key, "--protection_scheme", "cenc",
                       "--clear_lead", "0"], enc),
            Command("Shaka Packager decrypt", [args.packager]
                    + [f"in={i},stream={s},output={p}" for i, s, p in zip(packaged, streams, dec)]
                    + ["--enable_raw_key_decryption", "--keys", key], dec),
        ]
    return commands


def measure(commands, repetitions):
    for repetition in range(repetitions):
        shift = repetition % len(commands)
        for command in commands[shift:] + commands[:shift]:
            command.run()


def first_line(argv):
    try:
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
        return (result.stdout or result.stderr).strip().splitlines()[0]
    except (OSError, IndexError):
        return "unknown"


def machine(args):
    model = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        memory = int(meminfo.readline().split()[1]) / 1024 / 1024
    release = "unknown"
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as os_release:
            for line in os_release:
                if line.startswith("PRETTY_NAME="):
                    release = line.split("=", 1)[1].strip().strip('"')
    filesystem = first_line(["stat", "-f", "-c", "%T", args.work])
    rows = [
        ("CPU", f"{model}, {os.cpu_count()} cores"),
        ("memory", f"{memory:.0f} GiB"),
        ("system", f"{release}, Linux {platform.release()}"),
        ("files", f"{args.work} on {filesystem}"),
        ("framecrypt", " · ".join(first_line([args.framecrypt, "--version"]).split("\n"))),
        ("libraries", ", ".join(subprocess.run([args.framecrypt, "--version"], capture_output=True,
                                               text=True).stdout.strip().splitlines()[1:])),
        ("ffmpeg", first_line([args.ffmpeg, "-version"])),
        ("Shaka Packager", first_line([args.packager, "--version"]) if args.packager else "not run"),
        ("Swift", first_line(["swift", "--version"])),
    ]
    return "\n".join(f"| {name} | {value} |" for name, value in rows)


def table(commands):
    copy = commands[0]
    encrypt, decrypt = commands[1], commands[2]
    lines = ["| command | median s | min s | max s | × ffmpeg -c copy | framecrypt faster by | peak RSS MB |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for command in commands:
        mine = decrypt if "decrypt" in command.label else encrypt
        faster = "" if command.label.startswith("framecrypt") or command is copy else f"{command.wall / mine.wall:.2f}×"
        lines.append(f"| {command.label} | {command.wall:.3f} | {min(command.walls):.3f} | {max(command.walls):.3f} "
                     f"| {command.wall / copy.wall:.2f} | {faster} | {command.peak:.0f} |")
    return "\n".join(lines)


def core_tables(binary):
    """framecrypt-bench's Markdown tables: per-frame core vs raw AES-GCM, then key derivation."""
    output = subprocess.run([binary], capture_output=True, text=True, check=True).stdout
    tables, current = [], []
    for line in output.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append("\n".join(current))
            current = []
    if current:
        tables.append("\n".join(current))
    return tables


def verdict(ok):
    return "met" if ok else "**missed**"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framecrypt", required=True)
    parser.add_argument("--core-bench", required=True)
    parser.add_argument("--ffmpeg", default="ffmpeg")
    parser.add_argument("--packager")
    parser.add_argument("--key-file", default="Fixtures/keys/shared.json")
    parser.add_argument("--work", default=".build/bench")
    parser.add_argument("--h264", required=True, help="the 1080p30 H.264+AAC MP4")
    parser.add_argument("--vp8", required=True, help="the 720p30 VP8+Opus WebM")
    parser.add_argument("--long", required=True, help="the 10-minute 720p file for memory")
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--output", default="bench/RESULTS.md")
    args = parser.parse_args()
    if args.packager and not shutil.which(args.packager):
        sys.exit(f"bench: no Shaka Packager at {args.packager}")

    inputs = [
        ("1080p30 H.264 + AAC, 2 min, MP4", "h264-1080p", args.h264, "mp4", True),
        ("720p30 VP8 + Opus, 2 min, WebM", "vp8-720p", args.vp8, "webm", False),
        ("720p30 H.264 + AAC, 10 min, MP4", "long-720p", args.long, "mp4", False),
    ]
    results = []
    for title, name, path, ext, comparisons in inputs:
        print(f"bench: {title} ({os.path.getsize(path) / 1e6:.0f} MB), {args.repetitions} repetitions", flush=True)
        commands = commands_for(name, path, ext, args, comparisons)
        measure(commands, args.repetitions)
        results.append((title, path, commands))
        for command in commands:
            print(f"  {command.label}: {command.wall:.3f} s, {command.peak:.0f} MB", flush=True)
    core, derivation = core_tables(args.core_bench)

    checks = []
    for title, _, commands in results[:2]:
        copy, encrypt, decrypt = commands[:3]
        checks.append((f"encrypt ≤ 1.15 × copy, {title}", f"{encrypt.wall / copy.wall:.2f}×",
                       encrypt.wall <= 1.15 * copy.wall))
        checks.append((f"decrypt ≤ 1.15 × copy, {title}", f"{decrypt.wall / copy.wall:.2f}×",
                       decrypt.wall <= 1.15 * copy.wall))
    by_label = {command.label: command for command in results[0][2]}
    encrypt = by_label["framecrypt encrypt"]
    checks.append(("≥ 3 × faster than FFmpeg CENC encrypt, 1080p",
                   f"{by_label['ffmpeg CENC encrypt'].wall / encrypt.wall:.2f}×",
                   by_label["ffmpeg CENC encrypt"].wall >= 3 * encrypt.wall))
    if "Shaka Packager encrypt" in by_label:
        shaka = by_label["Shaka Packager encrypt"]
        checks.append(("≥ 1.5 × faster than Shaka Packager encrypt, 1080p", f"{shaka.wall / encrypt.wall:.2f}×",
                       shaka.wall >= 1.5 * encrypt.wall))
    for command in results[2][2][1:3]:
        checks.append((f"{command.label} peak RSS ≤ 64 MB, 10 min", f"{command.peak:.0f} MB", command.peak <= 64))
    core_rows = [line.split("|")[1:-1] for line in core.splitlines()[2:]]
    for row in core_rows:
        cells = [cell.strip() for cell in row]
        if cells[0] == "8 KiB":
            for column, label in ((4, "encrypt"), (7, "decrypt")):
                share = float(cells[column])
                checks.append((f"core {label} ≥ 85 % of raw AES-GCM, 8 KiB {cells[1]}", f"{share:.0f} %", share >= 85))

    with open(args.output, "w") as report:
        report.write("# Benchmark results\n\n")
        report.write("Made by `make bench` (bench/run.sh, bench/compare.py); every figure comes from one run "
                     f"on this machine. Medians of {args.repetitions} repetitions, commands alternating; "
                     "outputs on the same disk as the inputs, `sync` before each command.\n\n")
        report.write("| machine | |\n| --- | --- |\n" + machine(args) + "\n\n")
        report.write("## Targets\n\n| target | measured | |\n| --- | --- | --- |\n")
        for label, value, ok in checks:
            report.write(f"| {label} | {value} | {verdict(ok)} |\n")
        for title, path, commands in results:
            size = os.path.getsize(path) / 1e6
            report.write(f"\n## {title} ({size:.0f} MB)\n\n{table(commands)}\n")
        report.write("\n## Per-frame core vs raw AES-128-GCM (framecrypt-bench)\n\n" + core + "\n")
        report.write("\n## Key derivation (framecrypt-bench)\n\n" + derivation + "\n")
    print(f"bench: wrote {args.output}")
    missed = [label for label, _, ok in checks if not ok]
    for label in missed:
        print(f"bench: target missed: {label}")


if __name__ == "__main__":
    main()
