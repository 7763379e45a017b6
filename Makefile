# framecrypt: the two set-up commands are `make demo` and `make test`; both install what is missing.

# The Swift toolchain may live outside PATH on a fresh machine.
export PATH := $(PATH):/opt/swift/usr/bin

SWIFT ?= swift
BIN := .build/debug/framecrypt

.PHONY: deps build test demo lint format bench-core man clean

deps:
	@scripts/install-deps.sh ffmpeg

build: deps
	$(SWIFT) build

## Every test, then the format lint.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --disable-xctest
	$(MAKE) --no-print-directory lint

## Checks the bundled known-answer vectors through the CLI.
demo: build
	$(BIN) vectors verify Fixtures/vectors/framecrypt-profile-vectors.json
	$(BIN) vectors verify Fixtures/vectors/framecryptor-published.json

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests bench

format:
	$(SWIFT) format format --in-place --recursive Package.swift Sources Tests bench

## Per-frame throughput of the core against raw AES-GCM (release build).
bench-core: deps
	$(SWIFT) build -c release --product framecrypt-bench
	.build/release/framecrypt-bench

## Regenerates the man pages in man/ from the command definitions.
man: deps
	$(SWIFT) package --allow-writing-to-package-directory generate-manual --multi-page
	cp .build/plugins/GenerateManual/outputs/framecrypt/*.1 man/

clean:
	rm -rf .build
