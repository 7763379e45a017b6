#!/usr/bin/env python3
"""Times framecrypt encrypt/decrypt against ffmpeg -c copy, FFmpeg's CENC and Shaka Packager.

Every repetition runs each command once, in an order rotated by one each time, after `sync` and
after deleting the command's outputs (neither timed). Wall time comes from a monotonic clock around
the child; CPU time (user + system) and peak RSS from wait4(2), which counts the child's waited-for
descendants too (GNU parallel's ffmpeg runs). Writes a Markdown report with medians, ratios, the
per-frame core table and the machine it ran on. Usage: see bench/run.sh, which makes the inputs and
the binaries.
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
        self.cpus = []
        self.peaks = []

    def run(self):
        for path in self.outputs:
            if os.path.isdir(path):
                shutil.rmtree(path)
            elif os.path.exists(path):
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
        self.cpus.append(usage.ru_utime + usage.ru_stime)
        self.peaks.append(usage.ru_maxrss / 1024)

    @property
    def wall(self):
        return statistics.median(self.walls)

    @property
    def cpu(self):
        return statistics.median(self.cpus)

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
    lines = ["| command | median s | min s | max s | × copy | CPU s | CPU × copy | framecrypt faster by | peak RSS MB |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for command in commands:
        mine = decrypt if "decrypt" in command.label else encrypt
        faster = "" if command.label.startswith("framecrypt") or command is copy else f"{command.wall / mine.wall:.2f}×"
        lines.append(f"| {command.label} | {command.wall:.3f} | {min(command.walls):.3f} | {max(command.walls):.3f} "
                     f"| {command.wall / copy.wall:.2f} | {command.cpu:.3f} | {command.cpu / copy.cpu:.2f} | {faster} "
                     f"| {command.peak:.0f} |")
    return "\n".join(lines)


def batch_commands(source, count, args):
    """framecrypt encrypting `count` copies of `source` with --jobs 2, against GNU parallel -j2
    running `ffmpeg -c copy` on each (hard links, so every file is read from the same cache)."""
    folder = os.path.join(args.work, f"batch-{count}")
    if not os.path.isdir(folder) or len(os.listdir(folder)) != count:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        for index in range(count):
            os.link(source, os.path.join(folder, f"clip-{index:02d}{os.path.splitext(source)[1]}"))
    inputs = sorted(os.path.join(folder, name) for name in os.listdir(folder))
    copies = os.path.join(args.work, "out", "batch-copy")
    encrypted = os.path.join(args.work, "out", "batch-encrypted")
    make_copies = ["sh", "-c", f"mkdir -p {copies} && exec parallel -j2 {args.ffmpeg} -nostdin -v error -y -i {{}} "
                   f"-map 0 -c copy {copies}/{{/}} ::: " + " ".join(inputs)]
    return [
        Command(f"parallel -j2 ffmpeg -c copy, {count} files", make_copies, [copies]),
        Command(f"framecrypt encrypt --jobs 2, {count} files",
                [args.framecrypt, "encrypt", folder, "-O", encrypted, "--jobs", "2", "-q", "--key-file", args.key_file],
                [encrypted]),
    ]


def batch_table(commands):
    copy = commands[0]
    lines = ["| command | median s | min s | max s | × parallel | CPU s | CPU × parallel |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for command in commands:
        lines.append(f"| {command.label} | {command.wall:.3f} | {min(command.walls):.3f} | {max(command.walls):.3f} "
                     f"| {command.wall / copy.wall:.2f} | {command.cpu:.3f} | {command.cpu / copy.cpu:.2f} |")
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
    parser.add_argument("--h264", nargs=2, required=True, help="the 2- and 5-minute 1080p30 H.264+AAC MP4s")
    parser.add_argument("--vp8", nargs=2, required=True, help="the 2- and 5-minute 720p30 VP8+Opus WebMs")
    parser.add_argument("--long", nargs=2, required=True, help="the 10-minute and one-hour 720p files, for memory")
    parser.add_argument("--batch", type=int, default=20, help="files in the batch comparison")
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--output", default="bench/RESULTS.md")
    args = parser.parse_args()
    if args.packager and not shutil.which(args.packager):
        sys.exit(f"bench: no Shaka Packager at {args.packager}")

    # (title, name, path, extension, comparisons, speed targets, repetitions)
    inputs = [
        ("1080p30 H.264 + AAC, 2 min, MP4", "h264-1080p-2min", args.h264[0], "mp4", True, True, args.repetitions),
        ("1080p30 H.264 + AAC, 5 min, MP4", "h264-1080p-5min", args.h264[1], "mp4", False, True, args.repetitions),
        ("720p30 VP8 + Opus, 2 min, WebM", "vp8-720p-2min", args.vp8[0], "webm", False, True, args.repetitions),
        ("720p30 VP8 + Opus, 5 min, WebM", "vp8-720p-5min", args.vp8[1], "webm", False, True, args.repetitions),
        ("720p30 H.264 + AAC, 10 min, MP4", "long-720p-10min", args.long[0], "mp4", False, False, args.repetitions),
        ("720p30 H.264 + AAC, 60 min, MP4", "long-720p-60min", args.long[1], "mp4", False, False,
         max(3, args.repetitions // 2)),
    ]
    results = []
    for title, name, path, ext, comparisons, speed, repetitions in inputs:
        print(f"bench: {title} ({os.path.getsize(path) / 1e6:.0f} MB), {repetitions} repetitions", flush=True)
        commands = commands_for(name, path, ext, args, comparisons)
        measure(commands, repetitions)
        results.append((title, path, commands, speed))
        for command in commands:
            print(f"  {command.label}: {command.wall:.3f} s, CPU {command.cpu:.3f} s, {command.peak:.0f} MB", flush=True)
    print(f"bench: batch of {args.batch} files, {args.repetitions} repetitions", flush=True)
    batch = batch_commands(args.h264[0], args.batch, args)
    measure(batch, args.repetitions)
    for command in batch:
        print(f"  {command.label}: {command.wall:.3f} s, CPU {command.cpu:.3f} s", flush=True)
    core, derivation = core_tables(args.core_bench)

    checks = []
    for title, _, commands, speed in results:
        copy, encrypt, decrypt = commands[:3]
        for command, verb in ((encrypt, "encrypt"), (decrypt, "decrypt")):
            if speed:
                checks.append((f"{verb} wall ≤ 1.05 × copy, {title}", f"{command.wall / copy.wall:.2f}×",
                               command.wall <= 1.05 * copy.wall))
                checks.append((f"{verb} CPU ≤ 1.3 × copy, {title}", f"{command.cpu / copy.cpu:.2f}×",
                               command.cpu <= 1.3 * copy.cpu))
            checks.append((f"{verb} peak RSS ≤ copy's + 8 MB, {title}", f"{command.peak - copy.peak:+.0f} MB",
                           command.peak <= copy.peak + 8))
    ten, hour = results[4][2], results[5][2]
    copy_growth = hour[0].peak - ten[0].peak
    for index, verb in ((1, "encrypt"), (2, "decrypt")):
        growth = hour[index].peak - ten[index].peak
        checks.append((f"{verb} peak RSS flat, 10 → 60 min (growth ≤ ffmpeg's {copy_growth:+.0f} MB + 2 MB)",
                       f"{growth:+.0f} MB", growth <= copy_growth + 2))
    parallel, framecrypt = batch
    checks.append((f"batch of {args.batch}, --jobs 2: wall ≤ 1.05 × parallel -j2 ffmpeg",
                   f"{framecrypt.wall / parallel.wall:.2f}×", framecrypt.wall <= 1.05 * parallel.wall))
    checks.append((f"batch of {args.batch}, --jobs 2: CPU ≤ 1.3 × parallel -j2 ffmpeg",
                   f"{framecrypt.cpu / parallel.cpu:.2f}×", framecrypt.cpu <= 1.3 * parallel.cpu))
    by_label = {command.label: command for command in results[0][2]}
    encrypt = by_label["framecrypt encrypt"]
    checks.append(("≥ 3 × faster than FFmpeg CENC encrypt, 1080p",
                   f"{by_label['ffmpeg CENC encrypt'].wall / encrypt.wall:.2f}×",
                   by_label["ffmpeg CENC encrypt"].wall >= 3 * encrypt.wall))
    if "Shaka Packager encrypt" in by_label:
        shaka = by_label["Shaka Packager encrypt"]
        checks.append(("≥ 1.5 × faster than Shaka Packager encrypt, 1080p", f"{shaka.wall / encrypt.wall:.2f}×",
                       shaka.wall >= 1.5 * encrypt.wall))
    core_rows = [line.split("|")[1:-1] for line in core.splitlines()[2:]]
    for row in core_rows:
        cells = [cell.strip() for cell in row]
        if cells[0] == "8 KiB":
            for column, label in ((4, "encrypt"), (7, "decrypt")):
                share = float(cells[column])
                checks.append((f"core {label} ≥ 90 % of raw AES-GCM, 8 KiB {cells[1]}", f"{share:.0f} %", share >= 90))

    with open(args.output, "w") as report:
        report.write("# Benchmark results\n\n")
        report.write("Made by `make bench` (bench/run.sh, bench/compare.py); every figure comes from one run "
                     f"on this machine. Medians of {args.repetitions} repetitions (the one-hour file: "
                     f"{inputs[5][6]}), commands alternating; outputs on the same disk as the inputs, `sync` "
                     "before each command. CPU is user + system time of the process and its children. Where "
                     "the time goes, and why a target is missed: docs/PERFORMANCE.md.\n\n")
        report.write("| machine | |\n| --- | --- |\n" + machine(args) + "\n\n")
        report.write("## Targets\n\n| target | measured | |\n| --- | --- | --- |\n")
        for label, value, ok in checks:
            report.write(f"| {label} | {value} | {verdict(ok)} |\n")
        for title, path, commands, _ in results:
            size = os.path.getsize(path) / 1e6
            report.write(f"\n## {title} ({size:.0f} MB)\n\n{table(commands)}\n")
        size = os.path.getsize(args.h264[0]) / 1e6 * args.batch
        report.write(f"\n## Batch: {args.batch} × the 2-minute 1080p MP4 ({size:.0f} MB), two at a time\n\n"
                     f"{batch_table(batch)}\n")
        report.write("\n## Per-frame core vs raw AES-128-GCM (framecrypt-bench)\n\n" + core + "\n")
        report.write("\n## Key derivation (framecrypt-bench)\n\n" + derivation + "\n")
    print(f"bench: wrote {args.output}")
    missed = [label for label, _, ok in checks if not ok]
    for label in missed:
        print(f"bench: target missed: {label}")


if __name__ == "__main__":
    main()
