#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora from Fixtures/ (and Fuzz/keys/) into DIR/<Target>/.

Seeds use the targets' input layouts (Fuzz/Sources/*/): selector bytes, then the payload. Codec
selectors follow FuzzCodecs.all. Container seeds (whole media files) are copied by scripts/fuzz.sh.

Usage: scripts/fuzz-seeds.py DIR
"""
import glob
import hashlib
import json
import os
import sys

CODECS = ["opus", "aac", "vp8", "vp9", "av1", "h264", "h265", "pcm_s16le", "mjpeg"]
# RFC 9605 cipher suites 1-5; FuzzSFrame's suite selector is the suite's number minus one.
SUITES = ["AES_128_CTR_HMAC_SHA256_80", "AES_128_CTR_HMAC_SHA256_64", "AES_128_CTR_HMAC_SHA256_32",
          "AES_128_GCM_SHA256_128", "AES_256_GCM_SHA512_128"]
PER_FILE = 8  # vectors taken from each vector file: enough variety, a small corpus


def main(out):
    seeds = {}

    def add(target, data):
        folder = os.path.join(out, target)
        os.makedirs(folder, exist_ok=True)
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
        seeds[target] = seeds.get(target, 0) + 1

    for path in sorted(glob.glob("Fixtures/cryptor/*.vectors.json")):
        vectors = json.load(open(path))["vectors"]
        for vector in vectors[:PER_FILE] + vectors[-2:]:
            codec = CODECS.index(vector["codec"])
            sealed = bytes.fromhex(vector["encryptedHex"])
            plain = bytes.fromhex(vector["plaintextHex"])
            if "cipherSuite" in vector:
                sframe_seeds(add, vector, codec, sealed, plain)
                continue
            add("FuzzFrameCryptor", bytes([codec, 2]) + sealed)
            add("FuzzFrameCryptor", bytes([codec, 8 | (16 if vector["keyFrame"] else 0)]) + plain)
            add("FuzzFrameClassifier", bytes([codec, 0]) + sealed)
            add("FuzzFrameClassifier", bytes([codec, 1]) + plain)
            if vector["codec"] in ("h264", "h265"):
                nal_seeds(add, plain, vector["codec"])

    profile = json.load(open("Fixtures/vectors/framecrypt-profile-vectors.json"))["vectors"]
    for vector in profile:
        codec = CODECS.index(vector["codec"])
        add("FuzzFrameCryptor", bytes([codec, 0]) + bytes.fromhex(vector["encryptedHex"]))
        add("FuzzFrameClassifier", bytes([codec, 0]) + bytes.fromhex(vector["encryptedHex"]))

    for header in json.load(open("Fixtures/vectors/sframe-rfc9605.json"))["header"]:
        add("FuzzSFrameHeader", bytes.fromhex(header["encoded"]))

    for path in sorted(glob.glob("Fixtures/keys/*.json") + glob.glob("Fixtures/cryptor/keys/*.json")
                       + glob.glob("Fuzz/keys/*.json")):
        add("FuzzKeyFile", open(path, "rb").read())

    for target, count in sorted(seeds.items()):
        print(f"{target}: {count} seeds")


def sframe_seeds(add, vector, codec, sealed, plain):
    """The packet each carriage makes of an SFrame ciphertext (FuzzSFrame's layout)."""
    suite = SUITES.index(vector["cipherSuite"])
    name = vector["codec"]
    if name == "opus":
        add("FuzzSFrame", bytes([suite, codec, 0, plain[0] if plain else 0]) + sealed)
    elif name in ("h264", "h265"):
        add("FuzzSFrame", bytes([suite, codec, 1]) + len(sealed).to_bytes(4, "big") + sealed)
    elif name == "av1":
        add("FuzzSFrame", bytes([suite, CODECS.index("vp9"), 0]) + sealed)
    else:
        add("FuzzSFrame", bytes([suite, codec, 0]) + sealed)
    add("FuzzSFrameHeader", sealed[:24])


def nal_seeds(add, annex_b, codec):
    """An Annex B frame and its length-prefixed form, for FuzzNALFraming (length size 4)."""
    selector = 3 | (4 if codec == "h265" else 0)
    add("FuzzNALFraming", bytes([selector]) + annex_b)
    units = [u for u in annex_b.split(b"\x00\x00\x00\x01") if u]
    add("FuzzNALFraming", bytes([selector]) + b"".join(len(u).to_bytes(4, "big") + u for u in units))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    main(sys.argv[1])
