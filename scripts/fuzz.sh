#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (release, AddressSanitizer + LeakSanitizer), writes their seed
# corpora from Fixtures/, replays Fuzz/regressions/, then fuzzes each target in turn.
#
# Usage: scripts/fuzz.sh [TARGET ...]            (default: every target)
#   FUZZ_TIME=seconds   time per target (default 60)
#   FUZZ_RUNS=n         stop a target after n executions if that comes first (default: no limit)
# Work files go to .build/fuzz/: corpus/ (grows across runs), seeds/, artifacts/ (inputs that
# crashed, hung or leaked), logs/, summary.txt. Exit status 1 when any target failed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
scripts/install-deps.sh ffmpeg python3

all=(FuzzFrameCryptor FuzzSFrame FuzzSFrameHeader FuzzNALFraming FuzzKeyFile FuzzFrameClassifier FuzzContainer FuzzCapture)
targets=("${@:-${all[@]}}")
time_per_target=${FUZZ_TIME:-60}
work=.build/fuzz
build=$work/build
mkdir -p "$work"/{corpus,artifacts,logs}

# -sanitize=fuzzer,address in one flag: given as two flags, the Swift driver keeps only the last
# one for the compiler, and nothing gets coverage counters. --sanitize=fuzzer tells SwiftPM not to
# give the executables a main of their own.
echo "fuzz: building the targets"
(cd Fuzz && swift build -c release --scratch-path "../$build" --sanitize=fuzzer \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing 2>&1 | grep -v "Cannot export local symbol" >&2)
bin=$build/release

echo "fuzz: writing seed corpora"
rm -rf "$work/seeds"
python3 scripts/fuzz-seeds.py "$work/seeds"
swift build --product framecrypt >&2
mkdir -p "$work/seeds/FuzzContainer"
for media in Fixtures/media/*.{mp4,webm,mkv,ogg} Fixtures/cryptor/*.{mp4,webm,mkv,ogg}; do
    cp "$media" "$work/seeds/FuzzContainer/$(basename "$(dirname "$media")")-$(basename "$media")"
done
for media in h264-aac.mp4 vp8-opus.webm opus.ogg av1-opus.mp4; do
    .build/debug/framecrypt encrypt "Fixtures/media/$media" -o "$work/seeds/FuzzContainer/hkdf-$media" \
        --key-file Fuzz/keys/hkdf-shared.json --force --quiet
    .build/debug/framecrypt encrypt "Fixtures/media/$media" -o "$work/seeds/FuzzContainer/sframe-$media" \
        --key-file Fuzz/keys/sframe-shared.json --force --quiet
done

# RTP captures as framecrypt writes them, in each format it writes and reads.
mkdir -p "$work/seeds/FuzzCapture"
for media in vp8-opus.webm h264-aac.mp4 h265-aac.mp4 vp9-opus.webm; do
    for format in pcap rtpdump; do
        .build/debug/framecrypt encrypt "Fixtures/media/$media" -o "$work/seeds/FuzzCapture/$media.$format" \
            --key-file Fuzz/keys/hkdf-shared.json --format "$format" --seed 1 --force --quiet 2>/dev/null
    done
done

# symbolize=0: without llvm-symbolizer on PATH, symbolizing a report can stall. The Swift runtime's
# own backtracer is off so that a failed check reaches libFuzzer as the signal it is.
export ASAN_OPTIONS=symbolize=0:detect_leaks=1:allocator_may_return_null=1
export SWIFT_BACKTRACE=enable=no

status=0
summary=$work/summary.txt
: >"$summary"
for target in "${targets[@]}"; do
    [ -x "$bin/$target" ] || { echo "fuzz: no target $target (targets: ${all[*]})" >&2; exit 64; }
    regressions=(Fuzz/regressions/"$target"/*)
    if [ -e "${regressions[0]}" ]; then
        if ! "$bin/$target" "${regressions[@]}" >"$work/logs/$target.regressions.log" 2>&1; then
            echo "fuzz: $target fails on a kept regression input: $work/logs/$target.regressions.log" >&2
            status=1
            continue
        fi
    fi
    extra=()
    [ "$target" = FuzzContainer ] && extra+=(-max_len=262144)
    [ -n "${FUZZ_RUNS:-}" ] && extra+=(-runs="$FUZZ_RUNS")
    mkdir -p "$work/corpus/$target" "$work/artifacts/$target" "Fuzz/regressions/$target"
    echo "fuzz: $target for ${time_per_target}s${FUZZ_RUNS:+ or $FUZZ_RUNS runs}"
    log=$work/logs/$target.log
    result=ok
    if ! "$bin/$target" -max_total_time="$time_per_target" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/$target/" "${extra[@]}" \
        "$work/corpus/$target" "$work/seeds/$target" "Fuzz/regressions/$target" >"$log" 2>&1; then
        result="FAILED (see $log and $work/artifacts/$target/)"
        status=1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    counters=$(sed -n 's/^INFO: Loaded 1 modules *(\([0-9]*\) inline.*/\1/p' "$log" | head -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    features=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    corpus=$(find "$work/corpus/$target" -type f | wc -l)
    printf '%-20s %s: %s execs, %s exec/s, coverage %s of %s edges, %s features, corpus %s\n' \
        "$target" "$result" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${counters:-?}" "${features:-?}" "$corpus" \
        | tee -a "$summary"
done
exit $status
