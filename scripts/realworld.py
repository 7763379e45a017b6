#!/usr/bin/env python3
"""The real-world recording matrix: files other tools write, through framecrypt's CLI.

Builds the corpus with Fixtures/realworld/make.sh (GStreamer, mkvmerge, FFmpeg) in a scratch folder,
then for every source recording: encrypt -> inspect -> verify-keys -> decrypt, with an exact packet
round trip (scripts/compare-packets.py); the encrypted file remuxed by GStreamer and by mkvmerge and
decrypted again; readability of every encrypted file by ffprobe, GStreamer (demux only) and mkvinfo;
the other tracks (chapters, attachments, subtitles, cover art, rotation, languages); and the exit
codes of refusals. Ends with 'N passed, N failed'; exits 1 when a row fails.

Usage: scripts/realworld.py FRAMECRYPT [--keep DIR]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYS = os.path.join(ROOT, "Fixtures", "keys", "shared.json")
COMPARE = os.path.join(ROOT, "scripts", "compare-packets.py")

# source, containers framecrypt encrypts it into, GStreamer muxers that remux the encrypted file in
# its source's container. mkvmerge remuxes every encrypted MP4, MOV, Matroska and WebM file.
SOURCES = [
    ("gst-webmmux-vp8-opus.webm", ["webm", "mkv"], ["webmmux", "matroskamux"]),
    ("gst-mp4mux-h264-aac.mp4", ["mp4", "mkv", "mov"], ["mp4mux", "matroskamux"]),
    ("gst-mp4mux-fragmented-h264-aac.mp4", ["mp4", "mkv"], ["mp4mux"]),
    ("gst-mp4mux-fragmented-bframes-h264-aac.mp4", ["mp4", "mkv"], ["mp4mux"]),
    ("gst-qtmux-h264-aac.mov", ["mov", "mp4"], ["qtmux"]),
    ("gst-oggmux-opus.ogg", ["ogg", "mkv"], ["oggmux"]),
    ("gst-matroskamux-av1-opus.mkv", ["mkv", "mp4", "webm"], ["matroskamux"]),
    ("gst-mpegtsmux-h264-aac.ts", ["ts"], []),
    ("ffmpeg-h265-opus.ts", ["ts"], []),
    # GStreamer 1.22's qtdemux ! mp4mux does not link for H.265 even in clear files.
    ("ffmpeg-h265.mp4", ["mp4", "mkv"], ["matroskamux"]),
    ("ffmpeg-vp8.ivf", ["ivf", "webm"], []),
    ("ffmpeg-vp9.ivf", ["ivf", "webm", "mkv"], []),
    ("ffmpeg-av1.ivf", ["ivf", "mkv", "mp4"], []),
    ("mediarecorder-vp8-opus.webm", ["webm", "mkv"], ["webmmux"]),
    ("mediarecorder-h264-opus.webm", ["mkv", "mp4"], ["matroskamux"]),
    ("mkvmerge-h264-aac.mkv", ["mkv", "mp4"], ["matroskamux"]),
]

# Decrypted into another container than the source's, where the source's cannot hold the frames
# (WebM cannot hold H.264).
DECRYPT_INTO = {"mediarecorder-h264-opus.webm": "mkv"}

# Remuxes after which the frames no longer authenticate, and why; each must be flagged by inspect.
BREAKS = {
    ("ffmpeg-h265.mp4", "mkvmerge"): "mkvmerge re-frames H.265 by slice headers, which are encrypted",
}

# Containers that store no decoding timestamps and count time in milliseconds or coarser.
NO_DTS = ("mkv", "webm", "ogg", "ivf")

DEMUXERS = {"mp4": "qtdemux", "mov": "qtdemux", "mkv": "matroskademux", "webm": "matroskademux",
            "ogg": "oggdemux", "ts": "tsdemux", "ivf": "ivfparse"}

results = []


def run(command, timeout=120):
    """Runs `command`; one that hangs is stopped and counts as failed (exit 124)."""
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, 124, "", f"timed out after {timeout} s")


def row(name, ok, detail=""):
    results.append((name, ok))
    print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f": {detail}" if detail and not ok else ""), flush=True)


def streams_of(framecrypt, path):
    report = run([framecrypt, "inspect", path, "--json"])
    if report.returncode != 0:
        return None, report.stderr.strip()
    return json.loads(report.stdout)["streams"], ""


def compare(original, copy, via=(), retimed=False):
    """compare-packets.py on `original` and `copy`, which went through containers `via`: one without
    decoding timestamps drops their comparison, Matroska's millisecond clock allows half a
    millisecond, and a tool that re-timed frames (`retimed`) two milliseconds."""
    command = [sys.executable, COMPARE]
    if any(container in NO_DTS for container in via):
        command += ["--no-dts", "--tolerance", "0.002" if retimed else "0.0005"]
    result = run(command + [original, copy])
    return result.returncode == 0, (result.stderr or result.stdout).strip().replace("\n", " | ")[:300]


def pads(path, kinds):
    """GStreamer demuxer source pads for streams of `kinds` (in order): named where the demuxer
    names them by kind (Matroska, MP4), else requested in order."""
    if DEMUXERS[path.rsplit(".", 1)[1]] not in ("matroskademux", "qtdemux"):
        return ["" for _ in kinds]
    counts = {}
    named = []
    for kind in kinds:
        named.append(f"{kind}_{counts.get(kind, 0)}")
        counts[kind] = counts.get(kind, 0) + 1
    return named


def gst_remux(source, muxer, destination, kinds):
    """The encrypted file through a GStreamer demuxer and muxer, frames untouched (no parsers)."""
    demuxer = DEMUXERS[source.rsplit(".", 1)[1]]
    if len(kinds) == 1:
        # oggmux takes Opus only with the stream headers opusparse puts in its caps; it reads the
        # TOC byte, which FrameCryptor leaves clear, and passes frames on unchanged.
        parse = "! opusparse " if muxer == "oggmux" else ""
        pipeline = f"filesrc location={source} ! {demuxer} ! queue {parse}! {muxer} ! filesink location={destination}"
    else:
        branches = " ".join(f"d.{pad} ! queue ! m.{pad}" for pad in pads(source, kinds))
        pipeline = f"filesrc location={source} ! {demuxer} name=d {muxer} name=m ! filesink location={destination} {branches}"
    return run(["gst-launch-1.0", "-q"] + pipeline.split(), timeout=60)


def gst_reads(path, kinds):
    demuxer = DEMUXERS[path.rsplit(".", 1)[1]]
    if demuxer == "ivfparse":
        pipeline = f"filesrc location={path} ! ivfparse ! fakesink"
    else:
        branches = " ".join(f"d.{pad} ! queue ! fakesink" for pad in pads(path, kinds))
        pipeline = f"filesrc location={path} ! {demuxer} name=d {branches}"
    return run(["gst-launch-1.0", "-q"] + pipeline.split(), timeout=60).returncode == 0


def check_encrypted(framecrypt, name, path, source_streams):
    streams, error = streams_of(framecrypt, path)
    if streams is None:
        row(f"{name}: inspect", False, error)
        return []
    media = [s for s in streams if s["kind"] in ("audio", "video")]
    fully = all(s["encryptedFrames"] == s["frames"] and s.get("unrecognizedFrames", 0) == 0 for s in media)
    row(f"{name}: inspect finds every frame encrypted", fully and len(media) == source_streams,
        json.dumps([(s["frames"], s["encryptedFrames"], s.get("unrecognizedFrames")) for s in media]))
    verify = run([framecrypt, "verify-keys", path, "--key-file", KEYS, "--json"])
    row(f"{name}: verify-keys ok", verify.returncode == 0, verify.stdout[-300:] + verify.stderr)
    readable = run(["ffprobe", "-v", "quiet", "-fflags", "+noparse", "-show_packets", path]).returncode == 0
    row(f"{name}: ffprobe reads it", readable)
    row(f"{name}: GStreamer demuxes it", gst_reads(path, [s["kind"] for s in streams]))
    if path.endswith((".mkv", ".webm")):
        row(f"{name}: mkvinfo reads it", run(["mkvinfo", path]).returncode == 0)
    return [s["kind"] for s in streams]


def matrix(framecrypt, corpus):
    for source, containers, gst_muxers in SOURCES:
        path = os.path.join(corpus, source)
        stem, extension = source.rsplit(".", 1)
        media = [s for s in (streams_of(framecrypt, path)[0] or []) if s["kind"] in ("audio", "video")]
        for container in containers:
            encrypted = os.path.join(corpus, f"{stem}.enc.{container}")
            result = run([framecrypt, "encrypt", path, "-o", encrypted, "--key-file", KEYS, "--force"])
            name = f"{source} -> .{container}"
            row(f"{name}: encrypt", result.returncode == 0, result.stderr.strip())
            if result.returncode != 0:
                continue
            kinds = check_encrypted(framecrypt, name, encrypted, len(media))
            target = DECRYPT_INTO.get(source, extension)
            decrypted = os.path.join(corpus, f"{stem}.enc.{container}.dec.{target}")
            result = run([framecrypt, "decrypt", encrypted, "-o", decrypted, "--key-file", KEYS, "--force"])
            ok, detail = (result.returncode == 0, result.stderr.strip())
            if ok:
                ok, detail = compare(path, decrypted, via=(container, target))
            row(f"{name}: decrypt -> .{target} round trip exact", ok, detail)
            if container != extension:
                continue
            for muxer in gst_muxers:
                remuxed = os.path.join(corpus, f"{stem}.enc.{container}.gst-{muxer}.{ 'mov' if muxer == 'qtmux' else 'mp4' if muxer == 'mp4mux' else 'webm' if muxer == 'webmmux' else 'ogg' if muxer == 'oggmux' else 'mkv'}")
                remux = gst_remux(encrypted, muxer, remuxed, kinds)
                remuxed_row(framecrypt, source, muxer, name, path, remuxed, remux, target)
            if container in ("mkv", "webm", "mp4", "mov"):
                remuxed = os.path.join(corpus, f"{stem}.enc.{container}.mkvmerge.{ 'webm' if container == 'webm' else 'mkv'}")
                flags = ["--webm"] if container == "webm" else []
                remux = run(["mkvmerge", "-q"] + flags + ["-o", remuxed, encrypted])
                if remux.returncode == 1:  # mkvmerge's warnings
                    remux = subprocess.CompletedProcess(remux.args, 0, remux.stdout, remux.stderr)
                remuxed_row(framecrypt, source, "mkvmerge", name, path, remuxed, remux, target)


def remuxed_row(framecrypt, source, tool, name, path, remuxed, remux, target):
    """The encrypted file after `tool` remuxed it: decrypts to the source's packets, or (for the
    remuxes in BREAKS) fails to decrypt while inspect flags the damage."""
    if remux.returncode != 0:
        row(f"{name}: {tool} remux", False, (remux.stdout + remux.stderr).strip()[-300:])
        return
    back = f"{remuxed}.dec.{target}"
    decrypt = run([framecrypt, "decrypt", remuxed, "-o", back, "--key-file", KEYS, "--force"])
    if (source, tool) in BREAKS:
        streams, _ = streams_of(framecrypt, remuxed)
        flagged = any(s.get("unrecognizedFrames", 0) > 0 for s in streams or [])
        row(f"{name}: {tool} remux breaks it ({BREAKS[(source, tool)]}), decrypt refuses and inspect flags it",
            decrypt.returncode != 0 and flagged and not os.path.exists(back), decrypt.stderr.strip())
        return
    ok, detail = (decrypt.returncode == 0, decrypt.stderr.strip())
    if ok:
        ok, detail = compare(path, back, via=(remuxed.rsplit(".", 1)[1], target), retimed=True)
    row(f"{name}: {tool} remux stays decryptable", ok, detail)


def other_tracks(framecrypt, corpus):
    """Chapters, attachments, subtitles, cover art, rotation and languages through encrypt and decrypt."""
    source = os.path.join(corpus, "gst-mp4mux-h264-aac.mp4")
    srt = os.path.join(corpus, "subtitle.srt")
    chapters = os.path.join(corpus, "chapters.txt")
    font = os.path.join(corpus, "font.ttf")
    cover = os.path.join(corpus, "cover.png")
    open(srt, "w").write("1\n00:00:00,000 --> 00:00:00,400\nhello\n")
    open(chapters, "w").write(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=400\ntitle=Intro\n")
    open(font, "w").write("not really a font\n")
    run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=red:size=32x32:duration=0.1", "-frames:v", "1", cover])
    built = {
        "mkv": ["-i", source, "-i", srt, "-i", chapters, "-map", "0", "-map", "1", "-map_chapters", "2", "-c", "copy",
                "-c:s", "srt", "-metadata:s:a", "language=fra", "-metadata:s:v", "language=eng",
                "-metadata:s:s", "language=deu", "-attach", font, "-metadata:s:t", "mimetype=application/x-truetype-font",
                "-metadata:s:t", "filename=font.ttf"],
        "mp4": ["-i", source, "-i", cover, "-i", chapters, "-map", "0", "-map", "1", "-map_chapters", "2", "-c", "copy",
                "-metadata:s:v:0", "rotate=90", "-disposition:v:1", "attached_pic", "-metadata:s:a", "language=fra"],
    }
    keys = "stream=index,codec_type,codec_name:stream_tags=language,filename,mimetype:stream_disposition=attached_pic,default:stream_side_data=rotation"
    for extension, arguments in built.items():
        path = os.path.join(corpus, f"other-tracks.{extension}")
        run(["ffmpeg", "-v", "error", "-y"] + arguments + [path])
        encrypted, decrypted = path + f".enc.{extension}", path + f".dec.{extension}"
        steps = [run([framecrypt, "encrypt", path, "-o", encrypted, "--key-file", KEYS, "--force"]),
                 run([framecrypt, "decrypt", encrypted, "-o", decrypted, "--key-file", KEYS, "--force"])]
        if any(step.returncode for step in steps):
            row(f"other tracks ({extension}): encrypt and decrypt", False, " ".join(s.stderr for s in steps))
            continue

        def describe(file):
            result = run(["ffprobe", "-v", "quiet", "-show_chapters", "-show_entries", keys, "-of", "json", file])
            data = json.loads(result.stdout)
            for chapter in data.get("chapters", []):
                chapter.pop("id", None), chapter.pop("time_base", None), chapter.pop("start", None), chapter.pop("end", None)
            return data

        original = describe(path)
        for label, file in (("encrypted", encrypted), ("decrypted", decrypted)):
            kept = describe(file)
            row(f"other tracks ({extension}): chapters, attachments, subtitles, cover art, rotation, languages kept when {label}",
                kept == original, json.dumps(kept)[:300])
        if extension == "mkv":
            ok, detail = compare(path, decrypted)
            row("other tracks (mkv): subtitle and media packets exact after decrypt", ok, detail)


def refusals(framecrypt, corpus):
    """Errors keep the documented exit codes: 69 for what a container cannot hold, never 74."""
    cases = [
        ("gst-mp4mux-h264-aac.mp4", "x.ts", 69, ".mkv"),
        ("gst-webmmux-vp8-opus.webm", "x.ts", 69, ".mkv"),
        ("gst-mp4mux-h264-aac.mp4", "x.ivf", 69, ".mkv"),
        ("mediarecorder-h264-opus.webm", "x.webm", 69, ".mkv"),
    ]
    for source, output, status, advice in cases:
        result = run([framecrypt, "encrypt", os.path.join(corpus, source), "-o", os.path.join(corpus, output),
                      "--key-file", KEYS, "--force"])
        lines = result.stderr.strip().split("\n")
        row(f"refusal: {source} -> {output} exits {status} naming {advice}",
            result.returncode == status and len(lines) == 1 and advice in lines[0]
            and not os.path.exists(os.path.join(corpus, output)), f"{result.returncode}: {result.stderr.strip()}")


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    framecrypt = os.path.abspath(sys.argv[1])
    os.chmod(KEYS, 0o600)  # framecrypt refuses key files others may read; git does not keep the mode
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    corpus = keep or tempfile.mkdtemp(prefix="framecrypt-realworld-")
    os.makedirs(corpus, exist_ok=True)
    try:
        made = run([os.path.join(ROOT, "Fixtures", "realworld", "make.sh"), corpus, framecrypt])
        if made.returncode != 0:
            print(f"realworld: the corpus could not be made: {made.stderr.strip()}", file=sys.stderr)
            sys.exit(1)
        matrix(framecrypt, corpus)
        other_tracks(framecrypt, corpus)
        refusals(framecrypt, corpus)
    finally:
        if not keep:
            shutil.rmtree(corpus, ignore_errors=True)
    passed = sum(1 for _, ok in results if ok)
    print(f"{passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
