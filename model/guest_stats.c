/* guest_stats.c: validates the guest's umbra_stats block in RAM and copies its entries into the stats JSON. */
#define _POSIX_C_SOURCE 200809L
#include "guest_stats.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/*
 * Rules:
 *  1. Every byte read comes through mem_read_bytes(): a block running off RAM is an error,
 *     never an out-of-bounds read.
 *  2. All or nothing: a malformed block adds no key at all.
 */

static int name_ok(const char *n)
{
	size_t len = strnlen(n, GUEST_STATS_NAME);

	if (len == 0 || len == GUEST_STATS_NAME)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (n[i] <= ' ' || n[i] > '~' || n[i] == '"' || n[i] == '\\')
			return 0;
	return 1;
}

static int read_entry(const struct mem *ram, uint32_t addr, uint32_t i, char name[GUEST_STATS_NAME],
		      uint64_t *value)
{
	uint8_t raw[GUEST_STATS_ENTRY];
	uint64_t at = (uint64_t)addr + GUEST_STATS_HDR + (uint64_t)i * GUEST_STATS_ENTRY;

	if (at + GUEST_STATS_ENTRY > 0x100000000ull || mem_read_bytes(ram, (uint32_t)at, raw, sizeof(raw)))
		return -EFAULT;
	memcpy(name, raw, GUEST_STATS_NAME);
	memcpy(value, raw + GUEST_STATS_NAME, sizeof(*value));
	return 0;
}

int guest_stats_put(struct stats_writer *w, const struct mem *ram, uint32_t addr, char *err,
		    size_t errlen)
{
	uint32_t hdr[2];
	char name[GUEST_STATS_NAME];
	uint64_t value;

	if (addr & 7u || mem_read_bytes(ram, addr, hdr, sizeof(hdr))) {
		snprintf(err, errlen, "umbra_stats block at 0x%08x is not 8-byte aligned RAM: skipped", addr);
		return -EFAULT;
	}
	if (hdr[0] != GUEST_STATS_MAGIC) {
		snprintf(err, errlen, "umbra_stats block at 0x%08x has magic 0x%08x, not 0x%08x: skipped",
			 addr, hdr[0], GUEST_STATS_MAGIC);
		return -EINVAL;
	}
	if (hdr[1] > GUEST_STATS_MAX) {
		snprintf(err, errlen, "umbra_stats block at 0x%08x claims %u entries (at most %u): skipped",
			 addr, hdr[1], GUEST_STATS_MAX);
		return -E2BIG;
	}
	for (uint32_t i = 0; i < hdr[1]; i++) {
		if (read_entry(ram, addr, i, name, &value)) {
			snprintf(err, errlen, "umbra_stats block at 0x%08x: entry %u lies outside RAM: skipped",
				 addr, i);
			return -EFAULT;
		}
		if (!name_ok(name)) {
			snprintf(err, errlen,
				 "umbra_stats block at 0x%08x: entry %u has no NUL-terminated printable name: skipped",
				 addr, i);
			return -EINVAL;
		}
	}
	for (uint32_t i = 0; i < hdr[1]; i++) {
		read_entry(ram, addr, i, name, &value);
		stats_put_u64(w, name, value);
	}
	return (int)hdr[1];
}
