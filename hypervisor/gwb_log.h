/* gwb_log.h: the guest write buffer log (SPEC §3): record layout and the drain into track_write(). */
#ifndef HV_GWB_LOG_H
#define HV_GWB_LOG_H

#include <stdint.h>

#include "csr_bits.h"   /* CSR_MGWB*, MGWBCTL_EN, MGWBCAP_MAX, GWB_SIZE_* */
#include "shadow.h"

/* Record word 0: store physical address with bits [1:0] replaced by the size code. */
#define GWB_REC_SIZE_MASK 0x3u
#define GWB_REC_ADDR_MASK 0xfffffffcu
_Static_assert((GWB_REC_SIZE_MASK & GWB_REC_ADDR_MASK) == 0, "record fields overlap");

struct gwb_record {
	uint32_t word0;
	uint32_t word1;
};
_Static_assert(sizeof(struct gwb_record) == 8, "GWB record is 8 bytes");

struct gwb_log {
	struct gwb_record *rec; /* the log as the hypervisor sees it */
	uint32_t hpa;           /* its physical address (mgwbbase) */
	uint32_t cap;           /* entries, a power of two, 1..4096 */
	uint64_t appends, drains, full, bad_records;
};

/* A usable capacity: a power of two in 1..MGWBCAP_MAX. */
int gwb_cap_valid(uint32_t cap);

/* Sanity of the log description: 0, or a negative case number. */
int gwb_log_check(const struct gwb_log *log);

/*
 * Drains n records (n = mgwbidx read by the caller, which then writes mgwbidx = 0): each
 * record of a store into guest RAM goes to track_write() in log order; a record outside
 * guest RAM or with size code 3 is counted in bad_records and skipped. Returns the number
 * of records passed to track_write(), or -1 if n > cap (the hardware never does that).
 */
int gwb_log_drain(struct gwb_log *log, struct shadow *s, uint32_t n);

#endif
