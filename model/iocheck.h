/* iocheck.h: the harness's completion-delivery checker (docs/io.md §4): every umbra_iolog record against what the simulation itself showed. */
#ifndef UMBRA_IOCHECK_H
#define UMBRA_IOCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iolog.h"

/*
 * B, the bound of docs/io.md §4, in cycles: IOCHECK_BOUND_BASE + IOCHECK_BOUND_PER_LAT *
 * mem_latency. It covers the hypervisor's delivery path from the moment a completion is due
 * (host interrupt raised, maturity timer expired, safepoint trap taken) to the cycle it
 * raises the guest's SEIP: the interrupt or trap entry, the register save, the dispatch, the
 * maturity-queue update and the event-log write. That path is a few hundred instructions
 * whose every fetch and load waits mem_latency cycles, hence the term per unit of latency.
 * Measured on build/boot.elf (docs/results-io.md, "The checker's bound", which
 * tools/results_io.py regenerates): at most 610 cycles at mem_latency 1 and 2,233 at 3 over the runs so far, so
 * B = 2,500 and 4,500 keeps a margin of at least 4.1x and 2.0x.
 */
#define IOCHECK_BOUND_BASE    1500u
#define IOCHECK_BOUND_PER_LAT 1000u

/* M-mode stretches kept before the checker drops those no record can need any more. */
#define IOCHECK_PRUNE_SPANS   65536u

/* The guest-facing device's registers that make events (docs/io.md §1). */
#define IOCHECK_DEV_COMMAND   0x1000F014u
#define IOCHECK_DEV_STATUS    0x1000F018u

/* One retirement as the checker needs it (RVFI fields, cycle already in mcycle units). */
struct iocheck_ret {
	uint64_t cycle;
	uint32_t insn;
	uint32_t cause;          /* exception cause when trap; interrupt cause (no bit 31) when intr */
	uint32_t rs1_rdata;
	uint8_t trap, intr, mode;
};

/* What an M-mode stretch began with. */
enum iocheck_kind { IOCK_OTHER = 0, IOCK_IDLE = 1, IOCK_POLL = 2, IOCK_ISSUE = 3 };

/* A stretch of M-mode: entered at start (the trap or interrupt), left at end (its mret). */
struct iocheck_span {
	uint64_t start, end;     /* end = UINT64_MAX while open */
	uint8_t kind;
	uint8_t irq;             /* entered by an interrupt (else by the S/U trap before it) */
	uint32_t cause, insn;    /* of the trap that entered it (0, 0 for an interrupt) */
};

/*
 * The checker. Rules:
 *  1. Observations come from the simulation, never from the log: host completions from the
 *     virtio-blk model, traps into M, returns to S/U and the guest's SEI traps from the
 *     retirement stream (iocheck_retire()). Cycles are mcycle values.
 *  2. The n-th COMMAND store that traps into M is SEQ n; a record must name an issued SEQ,
 *     once, with its issue cycle inside the hypervisor's handling of that store.
 *  3. A delivered record's delivery is the first write of mip.SEIP by M-mode at or after the
 *     logged cycle, in the same M-mode stretch; the rules below apply to that observed
 *     cycle. Its host completion is the last one the disk raised in (issue, delivery]; none
 *     is a delivery before the host completion.
 *  4. The deadline is max(host, min(maturity, first safepoint at or after host)) + B for
 *     mature, max(host, maturity) + B for nominal, host + B for immediate, "due" being the
 *     term before B. One that falls in an M-mode stretch moves to that stretch's end when the
 *     hypervisor was busy for another reason: a stretch it was already in when the completion
 *     fell due (not an emulated WFI, which is a safepoint itself), or one a guest exception
 *     (not a safepoint trap) opened after that. A stretch opened by an interrupt after it fell
 *     due, or the safepoint trap that made it due, is the delivery path that B covers.
 *  5. The first violation is sticky: why holds the record and the observed cycles, at the
 *     cycle (mcycle) that shows it.
 */
struct iocheck {
	uint64_t bound;
	uint32_t policy, safepoints;   /* from the log's header, at the first record */

	uint64_t *host;          /* host completion cycles, ascending */
	size_t nhost, cap_host;
	struct iocheck_span *span;   /* M-mode stretches, ascending */
	size_t nspan, cap_span;
	uint64_t *issue;         /* issue[k] = cycle of the COMMAND trap of SEQ k + 1 */
	size_t nissue, cap_issue;
	uint64_t *sei;           /* the guest's SEI trap cycles, ascending */
	size_t nsei, cap_sei;
	uint64_t *seip;          /* M-mode CSR writes that set mip.SEIP (csrrw/csrrs), ascending */
	size_t nseip, cap_seip;
	uint8_t *seen;           /* seen[k]: a record for SEQ k + 1 was checked (cap_issue bytes) */
	size_t oldest;           /* every SEQ up to this one has a record (prune) */

	bool in_m;               /* the hart runs in M (boot starts there) */
	bool prev_trap;          /* the previous S/U retirement trapped */
	uint8_t prev_kind;
	uint32_t prev_cause, prev_insn;
	uint64_t prev_cycle;

	uint64_t records, delivered, by_reason[IOLOG_NREASONS], sei_traps;
	uint64_t delay_max;      /* largest delivered - due (rule 4 without B), the hart in S/U or
				  * an emulated WFI when it fell due: the delivery path itself */
	uint64_t delay_busy_max; /* the same for the hart already busy in M when it fell due */
	uint32_t busy_cause, busy_insn;   /* the trap that opened that stretch */
	int err;                 /* rule 5 */
	uint64_t at;
	char why[1024];
};

int iocheck_init(struct iocheck *c, uint64_t bound);
void iocheck_free(struct iocheck *c);
int iocheck_check(const struct iocheck *c);

/* B for a memory latency (the formula above). */
uint64_t iocheck_bound(uint32_t mem_latency);

/* Rule 1: the host disk raised a completion interrupt at cycle. */
void iocheck_host_done(struct iocheck *c, uint64_t cycle);

/* Rule 1: one retirement of the RTL, in order. */
void iocheck_retire(struct iocheck *c, const struct iocheck_ret *r);

/*
 * Checks one record under the log's policy and safepoint bits (set c->policy and
 * c->safepoints from the reader first); 0, or -EPROTO after a violation.
 */
int iocheck_record(struct iocheck *c, const struct iolog_event *e);

/* The log could not be read (l->why): a violation too. */
int iocheck_log_error(struct iocheck *c, const struct iolog *l, uint64_t now);

/* The run ended (passed: it passed): every issued SEQ must have a record. 0 or -EPROTO. */
int iocheck_finish(struct iocheck *c, bool passed, uint64_t now);

#endif /* UMBRA_IOCHECK_H */
