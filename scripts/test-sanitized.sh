#!/usr/bin/env bash
# The test suite and the hostile-input corpus under AddressSanitizer (with LeakSanitizer), then the
# test suite under ThreadSanitizer (the media pipeline, key derivation and batches run on several
# threads). Every framecrypt process the tests start is the sanitized build, so a report in any of
# them fails its test. Builds go to .build-asan/ and .build-tsan/.
#
# Usage: scripts/test-sanitized.sh [address|thread ...]   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
scripts/install-deps.sh ffmpeg man-db python3

symbolizer=$(command -v llvm-symbolizer || true)
[ -n "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer" TSAN_SYMBOLIZER_PATH="$symbolizer"
export LSAN_OPTIONS="suppressions=$PWD/scripts/sanitizers/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0"
export TSAN_OPTIONS="halt_on_error=0:second_deadlock_stack=1"

for sanitizer in "${@:-address thread}"; do
    for one in $sanitizer; do
        echo "test-sanitized: $one"
        scratch=.build-${one:0:1}san
        swift build --build-tests --sanitize="$one" --scratch-path "$scratch" 2>&1 | grep -v "Cannot export local symbol"
        skip=()
        # ThreadSanitizer's runtime dies with SIGBUS before main under a small file size limit
        # (ulimit -f), so the test that sets one runs under AddressSanitizer and unsanitized only.
        # The other tools' recordings exercise container handling, and the SDK receiver profiles,
        # the doctor and the HTML page (in Chromium) replay frames on one thread: not threads, so
        # under AddressSanitizer and unsanitized only, to keep CI's time in bounds.
        [ "$one" = thread ] && skip=(--skip fileSizeLimit --skip RealWorldRecordingTests
            --skip ReceiverProfileTests --skip DoctorTests --skip InspectPageTests)
        swift test --skip-build --disable-xctest --sanitize="$one" --scratch-path "$scratch" "${skip[@]}"
        if [ "$one" = address ]; then
            python3 scripts/hostile-corpus.py "$scratch/debug/framecrypt"
        fi
    done
done
