/* kernels.h: small compute kernels with a checksum (demo and benchmark). */
#ifndef KERNELS_H
#define KERNELS_H
#include <stdint.h>

/* One round of: 16x16 integer matrix multiply, CRC-32 of 1 KiB, insertion
 * sort of 64 words, and a divide-heavy loop. Returns a checksum that depends
 * on every result and on seed. */
uint32_t kernels_round(uint32_t seed);

/* The N of "rounds=N" anywhere in args (at least 1), or deflt when absent (or args NULL). */
uint32_t kernels_rounds(const char *args, uint32_t deflt);

#endif
