// CRC-32C for the batch completion records: they vouch that an output is the one a finished job
// wrote (not truncated, not edited), which a 32-bit CRC does at memory speed; SHA-256 cost a
// batch a tenth of a second of CPU per 120 MB output.

#include "CByteScan.h"

#include <pthread.h>

// The reflected Castagnoli polynomial.
static const uint32_t polynomial = 0x82F63B78u;

static uint32_t table[256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void make_table(void) {
    for (uint32_t byte = 0; byte < 256; byte++) {
        uint32_t value = byte;
        for (int bit = 0; bit < 8; bit++) {
            value = (value >> 1) ^ (polynomial & (0u - (value & 1u)));
        }
        table[byte] = value;
    }
}

static uint32_t table_crc(uint32_t crc, const uint8_t *bytes, size_t count) {
    pthread_once(&table_once, make_table);
    crc = ~crc;
    for (size_t index = 0; index < count; index++) {
        crc = (crc >> 8) ^ table[(crc ^ bytes[index]) & 0xFFu];
    }
    return ~crc;
}

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

__attribute__((target("sse4.2"))) static uint32_t sse42_crc(uint32_t crc, const uint8_t *bytes, size_t count) {
    uint64_t value = ~crc;
    size_t index = 0;
    for (; index + 8 <= count; index += 8) {
        uint64_t word;
        memcpy(&word, bytes + index, 8);
        value = _mm_crc32_u64(value, word);
    }
    uint32_t narrow = (uint32_t)value;
    for (; index < count; index++) {
        narrow = _mm_crc32_u8(narrow, bytes[index]);
    }
    return ~narrow;
}

uint32_t fc_crc32c(uint32_t crc, const uint8_t *bytes, size_t count) {
    static int hardware = -1;
    int known = __atomic_load_n(&hardware, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("sse4.2") ? 1 : 0;
        __atomic_store_n(&hardware, known, __ATOMIC_RELAXED);
    }
    return known ? sse42_crc(crc, bytes, count) : table_crc(crc, bytes, count);
}
#else
uint32_t fc_crc32c(uint32_t crc, const uint8_t *bytes, size_t count) {
    return table_crc(crc, bytes, count);
}
#endif
