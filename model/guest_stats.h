/* guest_stats.h: the boot image's statistics block (ELF symbol umbra_stats) read from simulated RAM into the stats JSON. */
#ifndef UMBRA_GUEST_STATS_H
#define UMBRA_GUEST_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"
#include "stats.h"

/*
 * Layout (little-endian, in guest RAM):
 *   uint32_t magic;   GUEST_STATS_MAGIC, "UMST"
 *   uint32_t count;   entries that follow, at most GUEST_STATS_MAX
 *   struct { char name[56]; uint64_t value; } e[count];
 * A name is NUL-terminated inside its 56 bytes, non-empty, printable ASCII without
 * spaces or quotes; it becomes one JSON key.
 */
#define GUEST_STATS_MAGIC 0x54534d55u
#define GUEST_STATS_NAME  56u
#define GUEST_STATS_ENTRY 64u
#define GUEST_STATS_HDR   8u
#define GUEST_STATS_MAX   1024u

/*
 * Checks the whole block at addr first; if it is well formed, puts every entry into w and
 * returns the number of keys. Otherwise writes nothing, returns a negative errno and puts
 * one line saying what is wrong in err.
 */
int guest_stats_put(struct stats_writer *w, const struct mem *ram, uint32_t addr, char *err,
		    size_t errlen);

#endif
