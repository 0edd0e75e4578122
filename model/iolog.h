/* iolog.h: the hypervisor's umbra_iolog event ring (docs/io.md §3) read from simulated RAM by both simulators. */
#ifndef UMBRA_IOLOG_H
#define UMBRA_IOLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"
#include "stats.h"

/*
 * Layout (little-endian, in RAM, at the ELF symbol umbra_iolog):
 *   uint32_t magic, cap, policy, safepoints;   IOLOG_MAGIC, IOLOG_CAP, enum iolog_policy, bits
 *   uint32_t head;                             records written so far (slot = head % cap)
 *   uint32_t pad[3];
 *   struct { uint32_t seq, lba, count; uint8_t cmd, error, reason, pad;
 *            uint64_t issue, host_done, maturity, delivered; } e[cap];   48 bytes each
 */
#define IOLOG_MAGIC       0x474c4f49u   /* "IOLG" */
#define IOLOG_CAP         256u
#define IOLOG_HDR_BYTES   32u
#define IOLOG_EVENT_BYTES 48u
#define IOLOG_BYTES       (IOLOG_HDR_BYTES + IOLOG_CAP * IOLOG_EVENT_BYTES)
#define IOLOG_SP_IDLE     0x1u          /* safepoints bit 0 */
#define IOLOG_SP_POLL     0x2u          /* safepoints bit 1 */
_Static_assert((IOLOG_CAP & (IOLOG_CAP - 1)) == 0, "the ring's capacity is a power of two");
_Static_assert((IOLOG_SP_IDLE & IOLOG_SP_POLL) == 0, "safepoint bits overlap");

enum iolog_reason {
	IOLOG_REJECTED = 0,
	IOLOG_IMMEDIATE = 1,
	IOLOG_MATURITY = 2,
	IOLOG_SAFEPOINT_IDLE = 3,
	IOLOG_SAFEPOINT_POLL = 4,
	IOLOG_NREASONS
};

enum iolog_policy { IOLOG_POL_IMMEDIATE = 1, IOLOG_POL_NOMINAL = 2, IOLOG_POL_MATURE = 3 };

/* One record as the hypervisor wrote it; all cycles are mcycle values. */
struct iolog_event {
	uint32_t seq, lba, count;
	uint8_t cmd, error, reason;
	uint64_t issue, host_done, maturity, delivered;
};

/* Called for each new record, in ring order; a negative return stops the poll and is returned. */
typedef int (*iolog_fn)(void *ctx, const struct iolog_event *e);

/*
 * The reader. Rules:
 *  1. Every byte comes through mem_read_bytes(): a block off RAM is an error, never a bad read.
 *  2. An all-zero header, or one with magic and cap but policy 0 and head 0, is a log not
 *     set up yet (in BSS, or initialised statically before the hypervisor has read its
 *     bootargs): no records. Any other header must have the magic, cap IOLOG_CAP, a policy 1..3 and
 *     safepoint bits 0..3, and keep policy and safepoints once seen.
 *  3. head never goes back, and never runs more than IOLOG_CAP ahead of the records read
 *     (that would be records overwritten unread: an overflow, refused, never skipped).
 *  4. The first error is sticky: the log is corrupt and later polls return it again.
 *  5. latencies holds delivered - issue of every delivered (not rejected) record read.
 */
struct iolog {
	uint32_t addr;
	bool started;            /* a valid header has been seen */
	uint32_t policy, safepoints;
	uint32_t next;           /* records read (the head value up to which we are done) */
	int err;                 /* rule 4: 0, or the first negative errno */
	char why[240];           /* ... and its one line */
	uint64_t by_reason[IOLOG_NREASONS];
	uint64_t *lat;
	size_t nlat, cap_lat;
};

void iolog_init(struct iolog *l, uint32_t addr);
void iolog_free(struct iolog *l);
int iolog_check(const struct iolog *l);

/*
 * Reads the records written since the last poll, hands each to fn (may be NULL) and keeps
 * its latency. Returns the number of new records, or a negative errno with the reason in
 * l->why (rules 2-4; fn's own negative return is passed on with why untouched).
 */
int iolog_poll(struct iolog *l, const struct mem *ram, iolog_fn fn, void *ctx);

/* Latency percentile (nearest rank, p in 1..100) over the delivered records read; 0 if none. */
uint64_t iolog_latency_pct(struct iolog *l, unsigned p);
double iolog_latency_mean(const struct iolog *l);

/* io.latency_p50_cycles, io.latency_p99_cycles, io.latency_mean_cycles, io.log_records. */
void iolog_put_stats(struct iolog *l, struct stats_writer *w);

/* "rejected", "immediate", "maturity", "safepoint-idle", "safepoint-poll" or "?". */
const char *iolog_reason_name(unsigned reason);
/* "immediate", "nominal", "mature" or "?". */
const char *iolog_policy_name(unsigned policy);

#endif /* UMBRA_IOLOG_H */
