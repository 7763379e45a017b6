#ifndef CBYTESCAN_H
#define CBYTESCAN_H

#include <stddef.h>
#include <stdint.h>

/// The index of the first two consecutive zero bytes in `bytes[start..<count]` (the first of the
/// two), or `count` when there are none. Every pattern the H.264/H.265 scanners look for (start
/// codes, emulation-prevention escapes) begins with two zeros, which ciphertext and slice data
/// hold about once in 64 KiB; this finds them at vector speed (AVX2 where the CPU has it).
size_t fc_zero_pair_search(const uint8_t *bytes, size_t start, size_t count);

/// CRC-32C (Castagnoli, as iSCSI and ext4 use it) of `bytes`, continuing from `crc` (0 to start).
/// Uses the SSE4.2 CRC32 instruction where the CPU has it, a table otherwise.
uint32_t fc_crc32c(uint32_t crc, const uint8_t *bytes, size_t count);

#endif
