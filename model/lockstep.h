/* lockstep.h: the lockstep checker (SPEC §7): steps the reference model at each RTL retirement and compares the two. */
#ifndef UMBRA_LOCKSTEP_H
#define UMBRA_LOCKSTEP_H

#include <stdint.h>
#include <stdio.h>

#include "iss.h"

/* Retirements kept for the report of a mismatch. */
#define LOCKSTEP_HISTORY 16u

/*
 * Rules:
 *  1. The model shares RAM with the RTL side and follows it: interrupts,
 *     MMIO read data and bus errors come from the RTL's record (iss.h).
 *  2. hist[] holds the model's view of the last nhist retirements, all of
 *     which matched; the newest is at (head - 1) % LOCKSTEP_HISTORY.
 *  3. After the first mismatch (failed) nothing more is checked.
 */
struct lockstep {
	struct iss iss;
	struct iss_rvfi hist[LOCKSTEP_HISTORY];
	unsigned head, nhist;
	uint64_t checked;       /* retirements compared */
	uint64_t gwb_records;   /* GWB appends compared */
	int failed;
};

/* Start the model at reset, as the RTL: pc 0x1000 in M-mode. */
void lockstep_init(struct lockstep *ls, struct mem *ram, struct mmio *bus, uint32_t mtime_div);
int lockstep_check_state(const struct lockstep *ls);

/*
 * Names the first field in which model and rtl differ ("" when none) and
 * returns it; what the checker compares is documented in lockstep.c.
 */
const char *lockstep_compare(const struct iss_rvfi *model, const struct iss_rvfi *rtl);

/*
 * Step the model over the RTL's retirement rtl seen in cycle. Returns 0 when
 * they agree; else -1 after writing the report (both sides, the cycle, the
 * last LOCKSTEP_HISTORY retirements disassembled) to report.
 */
int lockstep_step(struct lockstep *ls, const struct iss_rvfi *rtl, uint64_t cycle, FILE *report);

#endif /* UMBRA_LOCKSTEP_H */
