// Zero-pair search for the H.264/H.265 scanners (FrameCryptFormat's ZeroByteSearch).
//
// The portable version jumps from zero byte to zero byte with memchr and checks the next byte; a
// zero turns up about every 256 bytes of ciphertext, so it pays a call per 256 bytes. The AVX2
// version tests 64 bytes per step for a position where a byte and its
// successor are both zero (the OR of the two is zero), and calls nothing until one is found.
// (An AVX-512BW version testing 128 bytes per step measured no faster on the bench machine.)

#include "CByteScan.h"

#include <string.h>

static size_t portable(const uint8_t *bytes, size_t start, size_t count) {
    size_t index = start;
    while (index + 1 < count) {
        const uint8_t *zero = memchr(bytes + index, 0, count - 1 - index);
        if (zero == NULL) {
            return count;
        }
        index = (size_t)(zero - bytes);
        if (bytes[index + 1] == 0) {
            return index;
        }
        index += 1;
    }
    return count;
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2"))) static size_t avx2(const uint8_t *bytes, size_t start, size_t count) {
    size_t index = start;
    const __m256i zero = _mm256_setzero_si256();
    // Each step reads bytes index ..< index + 65: two 32-byte halves and the same shifted by one.
    while (index + 65 <= count) {
        __m256i first = _mm256_loadu_si256((const __m256i *)(bytes + index));
        __m256i firstNext = _mm256_loadu_si256((const __m256i *)(bytes + index + 1));
        __m256i second = _mm256_loadu_si256((const __m256i *)(bytes + index + 32));
        __m256i secondNext = _mm256_loadu_si256((const __m256i *)(bytes + index + 33));
        __m256i pairs = _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_or_si256(first, firstNext), zero),
                                        _mm256_cmpeq_epi8(_mm256_or_si256(second, secondNext), zero));
        if (!_mm256_testz_si256(pairs, pairs)) {
            break;
        }
        index += 64;
    }
    return portable(bytes, index, count);
}

typedef size_t (*Search)(const uint8_t *, size_t, size_t);

static Search chosen(void) {
    static Search search = NULL;
    Search known = __atomic_load_n(&search, __ATOMIC_RELAXED);
    if (known == NULL) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") ? avx2 : portable;
        __atomic_store_n(&search, known, __ATOMIC_RELAXED);
    }
    return known;
}

size_t fc_zero_pair_search(const uint8_t *bytes, size_t start, size_t count) {
    return chosen()(bytes, start, count);
}
#else
size_t fc_zero_pair_search(const uint8_t *bytes, size_t start, size_t count) {
    return portable(bytes, start, count);
}
#endif
