# framecrypt: the two set-up commands are `make demo` and `make test`; both install what is missing.

# The Swift toolchain may live outside PATH on a fresh machine.
export PATH := $(PATH):/opt/swift/usr/bin

SWIFT ?= swift
BIN := .build/debug/framecrypt

.PHONY: deps build test demo fixtures lint format bench-core bench-memory bench-inspect man clean

deps:
	@scripts/install-deps.sh ffmpeg

build: deps
	$(SWIFT) build

## Every test, the regression-fixture suite (digests, decryptions, vectors, byte-identical rebuild), then the format lint.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --disable-xctest
	$(BIN) fixtures verify Fixtures/cryptor
	$(MAKE) --no-print-directory lint

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
	$(BIN) encrypt Fixtures/media/vp8-opus.webm -o $(DEMO)/sframe.webm --key-file Fixtures/keys/sframe-shared.json --force
	$(BIN) decrypt $(DEMO)/sframe.webm -o $(DEMO)/sframe-decrypted.webm --key-file Fixtures/keys/sframe-shared.json --force
	scripts/compare-packets.sh Fixtures/media/vp8-opus.webm $(DEMO)/sframe-decrypted.webm
	$(BIN) vectors verify Fixtures/vectors/sframe-rfc9605.json | tail -n 1

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests bench

format:
	$(SWIFT) format format --in-place --recursive Package.swift Sources Tests bench

## Per-frame throughput of the core against raw AES-GCM (release build).
bench-core: deps
	$(SWIFT) build -c release --product framecrypt-bench
	.build/release/framecrypt-bench

## Peak memory of encrypt/decrypt on a 10-minute 720p file, against ffmpeg -c copy.
bench-memory: deps
	bench/memory.sh 10

## inspect and verify-keys on a one-hour 720p encrypted file, against ffprobe -show_packets.
bench-inspect: deps
	bench/inspect.sh

## Regenerates the man pages in man/ from the command definitions.
man: deps
	$(SWIFT) package --allow-writing-to-package-directory generate-manual --multi-page
	cp .build/plugins/GenerateManual/outputs/framecrypt/*.1 man/

clean:
	rm -rf .build
