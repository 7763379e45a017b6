# framecrypt: the two set-up commands are `make demo` and `make test`; both install what is missing.

# The Swift toolchain may live outside PATH on a fresh machine.
export PATH := $(PATH):/opt/swift/usr/bin

SWIFT ?= swift
BIN := .build/debug/framecrypt

PREFIX ?= /usr/local

.PHONY: deps build test test-sanitized interop realworld scale-out rootfs demo fixtures lint format fuzz bench bench-core bench-inspect man install clean

## Key files must not be readable by others (framecrypt refuses them, as ssh refuses private keys);
## git does not keep that mode, so the bundled test keys are made private before anything runs.
KEY_FIXTURES := Fixtures/keys/*.json Fixtures/cryptor/keys/*.json Fixtures/receivers/keys/*.json Fuzz/keys/*.json

deps:
	@scripts/install-deps.sh ffmpeg
	@chmod 600 $(KEY_FIXTURES)

build: deps
	$(SWIFT) build

## Tools that write the real-world recordings (scripts/realworld.py): GStreamer 1.22 and mkvmerge.
REALWORLD_DEPS := gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good \
	gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav mkvtoolnix

## Every test (the HTML report loaded in headless Chromium among them, captures read back by tshark and
## converted by editcap), the regression-fixture suite
## (digests, decryptions, vectors, byte-identical rebuild), the
## hostile-input corpus, the real-world recording matrix, man pages against the command definitions,
## `make install` into a scratch PREFIX, then the format lint.
test: deps
	@scripts/install-deps.sh ffmpeg man-db python3 chromium tshark $(REALWORLD_DEPS)
	$(SWIFT) build --build-tests
	$(SWIFT) test --disable-xctest
	$(BIN) fixtures verify Fixtures/cryptor
	python3 scripts/hostile-corpus.py $(BIN)
	python3 scripts/realworld.py $(BIN)
	scripts/man.sh --check
	scripts/check-install.sh
	$(MAKE) --no-print-directory lint

## The test suite and the hostile corpus under AddressSanitizer + LeakSanitizer, then the suite under
## ThreadSanitizer (scripts/test-sanitized.sh).
test-sanitized: deps
	@scripts/install-deps.sh chromium tshark
	scripts/test-sanitized.sh

## The real-world recording matrix alone: files GStreamer, mkvmerge and FFmpeg write, through the CLI.
realworld: build
	@scripts/install-deps.sh python3 $(REALWORLD_DEPS)
	python3 scripts/realworld.py $(BIN)

## Rebuilds the regression fixtures in Fixtures/cryptor/ from their recipe.
fixtures: deps
	scripts/make-cryptor-fixtures.sh

DEMO := .build/demo
DEMO_KEYS := --key-file Fixtures/keys/shared.json

## Encrypts a bundled clip with the demo key, decrypts it, shows the round trip is exact; checks the vectors.
demo: build
	@mkdir -p $(DEMO)
	$(BIN) encrypt Fixtures/media/h264-aac.mp4 -o $(DEMO)/encrypted.mp4 $(DEMO_KEYS) --force
	$(BIN) decrypt $(DEMO)/encrypted.mp4 -o $(DEMO)/decrypted.mp4 $(DEMO_KEYS) --force
	scripts/compare-packets.sh Fixtures/media/h264-aac.mp4 $(DEMO)/decrypted.mp4
	$(BIN) inspect $(DEMO)/encrypted.mp4
	$(BIN) verify-keys $(DEMO)/encrypted.mp4 $(DEMO_KEYS)
	$(BIN) vectors verify Fixtures/vectors/framecrypt-profile-vectors.json
	$(BIN) vectors verify Fixtures/vectors/framecryptor-published.json
	$(BIN) vectors verify Fixtures/vectors/native-captures.json | tail -n 1
	$(BIN) encrypt Fixtures/media/vp8-opus.webm -o $(DEMO)/sframe.webm --key-file Fixtures/keys/sframe-shared.json --force
	$(BIN) decrypt $(DEMO)/sframe.webm -o $(DEMO)/sframe-decrypted.webm --key-file Fixtures/keys/sframe-shared.json --force
	scripts/compare-packets.sh Fixtures/media/vp8-opus.webm $(DEMO)/sframe-decrypted.webm
	$(BIN) vectors verify Fixtures/vectors/sframe-rfc9605.json | tail -n 1

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests bench Fuzz/Package.swift Fuzz/Sources
	python3 scripts/check-layers.py

format:
	$(SWIFT) format format --in-place --recursive Package.swift Sources Tests bench Fuzz/Package.swift Fuzz/Sources

## libFuzzer targets (Fuzz/, AddressSanitizer): replays Fuzz/regressions/, then fuzzes each target for
## FUZZ_TIME seconds (default 60; FUZZ_RUNS=n stops a target after n executions). Report: .build/fuzz/summary.txt.
fuzz: deps
	scripts/fuzz.sh $(FUZZ_TARGETS)

## framecrypt encrypt/decrypt vs ffmpeg -c copy, FFmpeg CENC and Shaka Packager, peak memory on a 10-minute
## file, and the per-frame core vs raw AES-GCM; writes bench/RESULTS.md (release build, inputs made with ffmpeg).
bench: deps
	bench/run.sh

## Per-frame throughput of the core against raw AES-GCM (release build).
bench-core: deps
	$(SWIFT) build -c release --static-swift-stdlib --product framecrypt-bench
	.build/release/framecrypt-bench

## inspect and verify-keys on a one-hour 720p encrypted file, against ffprobe -show_packets.
bench-inspect: deps
	bench/inspect.sh

## Regenerates the man pages in man/ from the command definitions and man/sections/.
man: deps
	scripts/man.sh

## The binary (Swift runtime linked in), the man pages and bash/zsh/fish completions under PREFIX (default /usr/local).
install: deps
	$(SWIFT) build -c release --static-swift-stdlib --product framecrypt
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 .build/release/framecrypt $(DESTDIR)$(PREFIX)/bin/framecrypt
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	.build/release/framecrypt --generate-completion-script bash >$(DESTDIR)$(PREFIX)/share/bash-completion/completions/framecrypt
	.build/release/framecrypt --generate-completion-script zsh >$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_framecrypt
	.build/release/framecrypt --generate-completion-script fish >$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/framecrypt.fish

## The container image's root filesystem (Containerfile) built with debootstrap, framecrypt installed in it.
rootfs: deps
	scripts/rootfs.sh

## docs/BATCH.md's recipes run as written: a one-node Slurm, GNU parallel over ssh to a local sshd, and the
## Kubernetes Job's pod command inside the image's root filesystem (scripts/test-scale-out.py).
scale-out: deps
	@scripts/install-deps.sh python3 python3-yaml jq slurm-wlm munge parallel openssh-server openssh-client
	scripts/rootfs.sh
	/usr/bin/python3 scripts/test-scale-out.py

clean:
	rm -rf .build

## LiveKit's native FrameCryptor (PyPI livekit) against framecrypt in a live session, both directions,
## through our own signal server and SFU in a private network namespace (interop/, docs/INTEROP.md).
interop: deps
	scripts/interop.sh
