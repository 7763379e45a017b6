#!/usr/bin/env python3
"""Generates a corpus of hostile inputs and runs framecrypt on every one of them.

The corpus (written to .build/hostile/, made afresh each run, deterministic) holds:
  - real media files from Fixtures/, clear and encrypted, truncated at many offsets;
  - single-bit flips in container headers and in encrypted frames (found with ffprobe);
  - absurd declared sizes (MP4 boxes, Matroska elements, Ogg pages);
  - zero-length and non-media files, and streams with no packets;
  - key files with every kind of mistake, and bad keys from the environment and stdin.

Each case runs through the subcommands that read it. A case passes when framecrypt exits with a
documented status for it within the time bound; when it fails, says so in one line on stderr that
names the file at fault; leaves no output behind; and never shows the key material it was given.

Usage: scripts/hostile-corpus.py FRAMECRYPT_BINARY
"""
import concurrent.futures
import json
import os
import random
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".build", "hostile")
TIME_LIMIT = 30  # seconds one run may take; the slowest real case takes well under one

CLEAR = ["h264-aac.mp4", "vp8-opus.webm", "opus.ogg", "h265-aac.mp4", "av1-opus.mp4", "h264-bframes-opus.mkv"]
ENCRYPTED = ["shared-key.webm", "h264-escaping.mp4", "per-participant-keys.mp4", "sframe-suite-2.ogg",
             "sframe-suite-3.mp4", "two-participants.mkv"]
SHARED_KEY = os.path.join(ROOT, "Fixtures/keys/shared.json")
SECRET = "hostile-corpus-secret"  # the key text of the key-file cases; must never be printed

# Exit statuses each subcommand may give on hostile media (README, EXIT STATUS): 0 when the damage
# does not matter, 1 for frames or keys that fail, 65 malformed input, 69 unsupported.
ALLOWED = {"inspect": {0, 65}, "encrypt": {0, 65, 69}, "decrypt": {0, 1, 65, 69}, "verify-keys": {0, 1, 65}}


def main(binary):
    # Key files must be private, as framecrypt requires: the ones written here and the bundled one.
    os.umask(0o077)
    os.chmod(SHARED_KEY, 0o600)
    rng = random.Random(20261122)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(os.path.join(WORK, "in"))
    cases = media_cases(rng) + nonmedia_cases() + key_cases()
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda numbered: run(binary, *numbered), enumerate(cases)))
    failures = [failure for failure in results if failure]
    slowest = max(case["seconds"] for case in cases)
    files = len({case["input"] for case in cases})
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    statuses = {}
    for case in cases:
        statuses[case["status"]] = statuses.get(case["status"], 0) + 1
    summary = ", ".join(f"{count} x {status}" for status, count in sorted(statuses.items()))
    print(f"hostile corpus: {len(cases)} runs on {files} inputs in {time.monotonic() - started:.0f} s "
          f"(slowest {slowest:.2f} s; exit statuses {summary}): {len(cases) - len(failures)} passed, "
          f"{len(failures)} failed")
    return 1 if failures else 0


def write(name, data):
    path = os.path.join(WORK, "in", name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def fixture(name):
    folder = "media" if name in CLEAR else "cryptor"
    return os.path.join(ROOT, "Fixtures", folder, name)


def key_file_of(name):
    """The key file a Fixtures/cryptor file was made with (its vectors file says)."""
    vectors = json.load(open(os.path.join(ROOT, "Fixtures/cryptor", name.rsplit(".", 1)[0] + ".vectors.json")))
    return os.path.join(ROOT, "Fixtures/cryptor", vectors["keyFile"])


def commands(path, encrypted, keys):
    """The runs one media input gets: what a user would do with such a file."""
    extension = path.rsplit(".", 1)[-1]
    if encrypted:
        return [["inspect", path, "--json"], ["verify-keys", path, "--key-file", keys],
                ["decrypt", path, "-o", f"OUT.{extension}", "--key-file", keys]]
    return [["inspect", path], ["encrypt", path, "-o", f"OUT.{extension}", "--key-file", SHARED_KEY]]


def media_cases(rng):
    cases = []
    for name in CLEAR + ENCRYPTED:
        data = open(fixture(name), "rb").read()
        encrypted = name in ENCRYPTED
        keys = key_file_of(name) if encrypted else SHARED_KEY
        variants = []
        size = len(data)
        for cut in sorted({1, 8, 32, 100, 400, 1000, size // 8, size // 4, size // 2, 3 * size // 4,
                           7 * size // 8, size - 100, size - 1}):
            variants.append((f"cut{cut}", data[:cut]))
        for flip in range(6):
            position = rng.randrange(min(1024, size))
            variants.append((f"headerbit{position}", flip_bit(data, position, rng)))
        if encrypted:
            for position in frame_positions(fixture(name), rng):
                variants.append((f"framebit{position}", flip_bit(data, position, rng)))
        for label, changed in absurd_sizes(data, name):
            variants.append((label, changed))
        variants += no_packets(data, name)
        for label, changed in variants:
            path = write(f"{label}-{name}", changed)
            cases += [case(arguments, path) for arguments in commands(path, encrypted, keys)]
    return cases


def flip_bit(data, position, rng):
    changed = bytearray(data)
    changed[position] ^= 1 << rng.randrange(8)
    return bytes(changed)


def frame_positions(path, rng):
    """Byte offsets in the middle of six packets of the file, from ffprobe."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "packet=pos,size", "-of", "csv=p=0", path],
                           capture_output=True, text=True, check=True)
    packets = [tuple(int(field) for field in line.split(",")[:2]) for line in probe.stdout.split()
               if line.count(",") >= 1 and line.split(",")[0].isdigit()]
    return [pos + size // 2 for size, pos in rng.sample(packets, min(6, len(packets)))]


def absurd_sizes(data, name):
    """The file with a box, element or page declaring a size it cannot have."""
    variants = []
    if name.endswith(".mp4"):
        for box in [b"moov", b"trak", b"stsz", b"stco", b"mdat"]:
            at = data.find(box)
            if at >= 4:
                for label, size in [("huge", b"\xff\xff\xff\xf0"), ("tiny", b"\x00\x00\x00\x02")]:
                    variants.append((f"{label}-{box.decode()}", data[:at - 4] + size + data[at:]))
        at = data.find(b"stsz")
        if at >= 4:
            count = at + 12  # version/flags, sample size, then the sample count
            variants.append(("count-stsz", data[:count] + b"\xff\xff\xff\xff" + data[count + 4:]))
    elif name.endswith((".webm", ".mkv")):
        for element in [bytes.fromhex("18538067"), bytes.fromhex("1654AE6B"), bytes.fromhex("1F43B675")]:
            at = data.find(element)
            if at >= 0:
                size = at + len(element)
                huge = b"\x01\xff\xff\xff\xff\xff\xff\xfe"
                variants.append((f"huge-{element.hex()}", data[:size] + huge + data[size + 8:]))
    elif name.endswith(".ogg"):
        pages = [i for i in range(len(data)) if data.startswith(b"OggS", i)]
        for page in pages[:3]:
            segments = page + 26
            variants.append((f"segments-page{page}", data[:segments] + b"\xff" + data[segments + 1:]))
    return variants


def no_packets(data, name):
    """Streams with no packets: cut right before the first Matroska cluster or Ogg audio page."""
    if name.endswith((".webm", ".mkv")):
        at = data.find(bytes.fromhex("1F43B675"))
        return [("nopackets", data[:at])] if at > 0 else []
    if name.endswith(".ogg"):
        pages = [i for i in range(len(data)) if data.startswith(b"OggS", i)]
        return [("nopackets", data[:pages[2]])] if len(pages) > 2 else []
    return []


def nonmedia_cases():
    inputs = {
        "empty.mp4": b"",
        "empty.webm": b"",
        "text.mp4": b"This is not a media file.\n" * 40,
        "random.webm": random.Random(7).randbytes(65536),
        "zeros.mkv": bytes(4096),
        "json.ogg": json.dumps({"sharedKey": {"text": "x"}}).encode(),
        "png.mp4": bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(64),
        "ftyp-only.mp4": bytes.fromhex("0000001866747970") + b"isom" + bytes(4) + b"isomiso2",
    }
    cases = []
    for name, data in inputs.items():
        path = write(name, data)
        cases += [case(arguments, path) for arguments in commands(path, False, SHARED_KEY)]
        cases.append(case(["decrypt", path, "-o", "OUT.mkv", "--key-file", SHARED_KEY], path))
        cases.append(case(["verify-keys", path, "--key-file", SHARED_KEY], path))
    missing = os.path.join(WORK, "in", "absent.webm")
    cases.append(case(["encrypt", missing, "-o", "OUT.webm", "--key-file", SHARED_KEY], missing, expected={66}))
    cases.append(case(["inspect", missing], missing, expected={66}))
    return cases


def key_cases():
    """Key files with every kind of mistake (65; 66 for one that is missing or unreadable), and bad
    keys from the environment or stdin (1), against a file they would otherwise decrypt."""
    good = {"text": SECRET}
    files = {
        "empty": "",
        "not-json": "sharedKey = " + SECRET,
        "binary": "\x00\x01\x02" + SECRET,
        "array": json.dumps([good]),
        "string": json.dumps(SECRET),
        "neither": json.dumps({"kdf": "pbkdf2"}),
        "both": json.dumps({"sharedKey": good, "participants": {"alice": good}}),
        "unknown-field": json.dumps({"sharedKey": good, "sharedkey": good}),
        "field-with-newline": json.dumps({"sharedKey": good, "a\nb": 1}),
        "unknown-encoding": json.dumps({"sharedKey": {"utf16": SECRET}}),
        "two-encodings": json.dumps({"sharedKey": {"text": SECRET, "hex": "00"}}),
        "bad-hex": json.dumps({"sharedKey": {"hex": SECRET}}),
        "odd-hex": json.dumps({"sharedKey": {"hex": "abc"}}),
        "bad-base64": json.dumps({"sharedKey": {"base64": SECRET + "!"}}),
        "empty-key": json.dumps({"sharedKey": {"text": ""}}),
        "number-key": json.dumps({"sharedKey": {"text": 42}}),
        "index-out-of-ring": json.dumps({"keyRingSize": 4, "sharedKey": [{"index": 4, "text": SECRET}]}),
        "negative-index": json.dumps({"sharedKey": [{"index": -1, "text": SECRET}]}),
        "duplicate-index": json.dumps({"sharedKey": [{"index": 0, "text": SECRET}, {"index": 0, "text": "b"}]}),
        "no-keys": json.dumps({"sharedKey": []}),
        "ring-size-0": json.dumps({"keyRingSize": 0, "sharedKey": good}),
        "ring-size-256": json.dumps({"keyRingSize": 256, "sharedKey": good}),
        "huge-ring-size": json.dumps({"keyRingSize": 10 ** 30, "sharedKey": good}),
        "key-bits-100": json.dumps({"keyBits": 100, "sharedKey": good}),
        "unknown-kdf": json.dumps({"kdf": "scrypt", "sharedKey": good}),
        "no-participants": json.dumps({"participants": {}}),
        "empty-participant": json.dumps({"participants": {"": good}}),
        "sframe-with-kdf": json.dumps({"scheme": "sframe", "kdf": "hkdf", "sharedKey": good}),
        "suite-without-sframe": json.dumps({"cipherSuite": 1, "sharedKey": good}),
        "unknown-suite": json.dumps({"scheme": "sframe", "cipherSuite": 9, "sharedKey": good}),
        "duplicate-kid": json.dumps({"scheme": "sframe", "sharedKey": [{"index": 0, "text": SECRET, "kid": 1},
                                                                      {"index": 1, "text": "b", "kid": 1}]}),
        "negative-kid": json.dumps({"scheme": "sframe", "sharedKey": {"text": SECRET, "kid": -5}}),
        "unknown-scheme": json.dumps({"scheme": "rot13", "sharedKey": good}),
        "deep-nesting": "[" * 5000 + "]" * 5000,
        "huge": json.dumps({"sharedKey": {"text": SECRET}, "padding": " " * (8 << 20)}),
    }
    target = fixture("shared-key.webm")
    cases = []
    for label, contents in files.items():
        path = write(f"keys-{label}.json", contents.encode())
        for arguments in [["decrypt", target, "-o", "OUT.webm", "--key-file", path],
                          ["verify-keys", target, "--key-file", path],
                          ["encrypt", fixture("opus.ogg"), "-o", "OUT.ogg", "--key-file", path]]:
            cases.append(case(arguments, path, expected={65}))
    folder = os.path.join(WORK, "in", "keys-folder.json")
    os.makedirs(folder)
    absent = os.path.join(WORK, "in", "keys-absent.json")
    for path in [folder, absent]:
        cases.append(case(["decrypt", target, "-o", "OUT.webm", "--key-file", path], path, expected={66}))
    unset = ["decrypt", target, "-o", "OUT.webm", "--shared-key-env", "FRAMECRYPT_HOSTILE_UNSET"]
    cases.append(case(unset, "FRAMECRYPT_HOSTILE_UNSET", expected={1}))
    for label, material, extra in [("empty", "", []), ("bad-hex", SECRET, ["--key-encoding", "hex"]),
                                   ("bad-base64", SECRET + "*", ["--key-encoding", "base64"])]:
        stdin = ["decrypt", target, "-o", "OUT.webm", "--shared-key-stdin"] + extra
        cases.append(case(stdin, "key material", expected={1}, stdin=material))
        env = ["decrypt", target, "-o", "OUT.webm", "--shared-key-env", "FRAMECRYPT_HOSTILE_KEY"] + extra
        cases.append(case(env, "key material", expected={1}, environment={"FRAMECRYPT_HOSTILE_KEY": material}))
    return cases


def case(arguments, named, expected=None, stdin="", environment=None):
    return {"arguments": arguments, "input": named, "expected": expected or ALLOWED[arguments[0]],
            "stdin": stdin, "environment": environment or {}, "seconds": 0.0, "status": None}


def run(binary, number, case):
    """Runs one case in a folder of its own; returns what went wrong, or None."""
    folder = os.path.join(WORK, "run", str(number))
    os.makedirs(folder)
    arguments = case["arguments"]
    environment = dict(os.environ, **case["environment"])
    started = time.monotonic()
    try:
        result = subprocess.run([binary] + arguments, cwd=folder, input=case["stdin"].encode(), capture_output=True,
                                timeout=TIME_LIMIT, env=environment)
    except subprocess.TimeoutExpired:
        return f"{' '.join(arguments)}: still running after {TIME_LIMIT} s"
    case["seconds"] = time.monotonic() - started
    case["status"] = status = result.returncode
    stderr = result.stderr.decode(errors="replace")
    lines = stderr.splitlines()
    errors = [line for line in lines if "warning: " not in line]
    command = " ".join(os.path.relpath(a, ROOT) if a.startswith(ROOT) else a for a in arguments)
    left = os.listdir(folder)
    # The error names the input or key at fault, or the output when that is what cannot be made.
    named = [os.path.basename(case["input"])] + [a for a in arguments if a.startswith("OUT.")]
    if status not in case["expected"]:
        return f"{command}: exit {status}, expected one of {sorted(case['expected'])}: {stderr.strip()[:300]}"
    if SECRET in stderr or SECRET in result.stdout.decode(errors="replace"):
        return f"{command}: the key material was printed"
    report_only = arguments[0] == "verify-keys" and status == 1
    if status != 0 and not report_only:
        if len(errors) != 1 or not errors[0].startswith("framecrypt: error: "):
            return f"{command}: exit {status} without exactly one error line: {stderr.strip()[:300]!r}"
        if not any(name in errors[0] for name in named):
            return f"{command}: the error names none of {named}: {errors[0]}"
    if status != 0 and left:
        return f"{command}: exit {status} left {left} behind"
    if status == 0 and arguments[0] in ("encrypt", "decrypt") and left != [arguments[3]]:
        return f"{command}: exit 0 but the folder holds {left}"
    shutil.rmtree(folder)
    return None


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    sys.exit(main(os.path.abspath(sys.argv[1])))
