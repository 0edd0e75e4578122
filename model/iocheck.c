/* iocheck.c: the completion-delivery checker: each umbra_iolog record against the host completions, traps and returns the simulation showed (rules in iocheck.h). */
#define _POSIX_C_SOURCE 200809L
#include "iocheck.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPEN        UINT64_MAX
#define INSN_WFI    0x10500073u
#define MODE_S      1u
#define MODE_M      3u
#define IRQ_SEI     9u
#define CSR_MIP     0x344u
#define MIP_SEIP    0x200u
#define CAUSE_ILLEGAL      2u
#define CAUSE_LOAD_ACCESS  5u
#define CAUSE_STORE_ACCESS 7u
#define CAUSE_LOAD_PAGE    13u
#define CAUSE_STORE_PAGE   15u

uint64_t iocheck_bound(uint32_t mem_latency)
{
	return IOCHECK_BOUND_BASE + (uint64_t)IOCHECK_BOUND_PER_LAT * mem_latency;
}

static int grow(void *pp, size_t *cap, size_t n, size_t elem)
{
	void **p = pp;
	size_t ncap;
	void *q;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 256;
	q = realloc(*p, ncap * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = ncap;
	return 0;
}

static int fail(struct iocheck *c, uint64_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Rule 5. */
static int fail(struct iocheck *c, uint64_t at, const char *fmt, ...)
{
	va_list ap;

	if (c->err)
		return c->err;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	c->err = -EPROTO;
	c->at = at;
	return c->err;
}

static void push_u64(struct iocheck *c, uint64_t **a, size_t *n, size_t *cap, uint64_t v)
{
	if (grow(a, cap, *n, sizeof(**a))) {
		fail(c, v, "out of memory for the checker's observations");
		return;
	}
	(*a)[(*n)++] = v;
}

static void push_span(struct iocheck *c, uint64_t start, uint8_t kind, bool irq, uint32_t cause,
		      uint32_t insn)
{
	if (grow(&c->span, &c->cap_span, c->nspan, sizeof(*c->span))) {
		fail(c, start, "out of memory for the checker's observations");
		return;
	}
	c->span[c->nspan++] = (struct iocheck_span){ .start = start, .end = OPEN, .kind = kind,
						     .irq = irq, .cause = cause, .insn = insn };
}

int iocheck_init(struct iocheck *c, uint64_t bound)
{
	memset(c, 0, sizeof(*c));
	c->bound = bound;
	c->in_m = true;   /* the hart boots in M-mode */
	push_span(c, 0, IOCK_OTHER, false, 0, 0);
	return c->err;
}

void iocheck_free(struct iocheck *c)
{
	free(c->host);
	free(c->span);
	free(c->issue);
	free(c->sei);
	free(c->seip);
	free(c->seen);
	memset(c, 0, sizeof(*c));
}

int iocheck_check(const struct iocheck *c)
{
	size_t i;

	if (c->nhost > c->cap_host || c->nspan > c->cap_span || c->nissue > c->cap_issue ||
	    c->nsei > c->cap_sei || c->nseip > c->cap_seip || c->nspan == 0)
		return -EINVAL;
	for (i = 1; i < c->nspan; i++)
		if (c->span[i].start < c->span[i - 1].start)
			return -EINVAL;
	for (i = 0; i < c->nspan; i++)
		if (c->span[i].end < c->span[i].start || (c->span[i].end == OPEN && i + 1 != c->nspan))
			return -EINVAL;
	for (i = 1; i < c->nhost; i++)
		if (c->host[i] < c->host[i - 1])
			return -EINVAL;
	if (c->in_m != (c->span[c->nspan - 1].end == OPEN))
		return -EINVAL;
	return c->err > 0 ? -EINVAL : 0;
}

void iocheck_host_done(struct iocheck *c, uint64_t cycle)
{
	push_u64(c, &c->host, &c->nhost, &c->cap_host, cycle);
}

static uint32_t simm_i(uint32_t insn)
{
	return (uint32_t)((int32_t)insn >> 20);
}

static uint32_t simm_s(uint32_t insn)
{
	return (uint32_t)(((int32_t)insn >> 25) << 5) | ((insn >> 7) & 0x1fu);
}

/* What a trap from S/U into M means for the device (docs/io.md §1, §4). */
static uint8_t classify(const struct iocheck_ret *r)
{
	uint32_t op = r->insn & 0x7fu, f3 = (r->insn >> 12) & 7u;

	if (!r->trap)
		return IOCK_OTHER;
	if (r->cause == CAUSE_ILLEGAL && r->insn == INSN_WFI)
		return IOCK_IDLE;
	if ((r->cause == CAUSE_LOAD_ACCESS || r->cause == CAUSE_LOAD_PAGE) && op == 0x03u &&
	    f3 == 2u && r->rs1_rdata + simm_i(r->insn) == IOCHECK_DEV_STATUS)
		return IOCK_POLL;
	if ((r->cause == CAUSE_STORE_ACCESS || r->cause == CAUSE_STORE_PAGE) && op == 0x23u &&
	    f3 == 2u && r->rs1_rdata + simm_s(r->insn) == IOCHECK_DEV_COMMAND)
		return IOCK_ISSUE;
	return IOCK_OTHER;
}

/* Rule 3: csrrw/csrrs mip with bit 9 in rs1 (the immediate forms cannot reach bit 9). */
static bool sets_seip(const struct iocheck_ret *r)
{
	uint32_t f3 = (r->insn >> 12) & 7u;

	return !r->trap && (r->insn & 0x7fu) == 0x73u && (f3 == 1u || f3 == 2u) &&
	       (r->insn >> 20) == CSR_MIP && ((r->insn >> 15) & 31u) != 0 && (r->rs1_rdata & MIP_SEIP);
}

/* Rule 2: the COMMAND trap of the next SEQ; seen[] grows with issue[]. */
static void push_issue(struct iocheck *c, uint64_t start)
{
	size_t old = c->cap_issue;
	uint8_t *seen;

	push_u64(c, &c->issue, &c->nissue, &c->cap_issue, start);
	if (c->cap_issue == old)
		return;
	seen = realloc(c->seen, c->cap_issue);
	if (!seen) {
		fail(c, start, "out of memory for the checker's observations");
		return;
	}
	memset(seen + old, 0, c->cap_issue - old);
	c->seen = seen;
}

void iocheck_retire(struct iocheck *c, const struct iocheck_ret *r)
{
	if (r->mode == MODE_M) {
		if (sets_seip(r))
			push_u64(c, &c->seip, &c->nseip, &c->cap_seip, r->cycle);
		if (!c->in_m) {
			uint64_t start = c->prev_trap ? c->prev_cycle : r->cycle;
			uint8_t kind = c->prev_trap ? c->prev_kind : IOCK_OTHER;

			push_span(c, start, kind, !c->prev_trap, c->prev_trap ? c->prev_cause : 0,
				  c->prev_trap ? c->prev_insn : 0);
			if (kind == IOCK_ISSUE)
				push_issue(c, start);
			c->in_m = true;
		}
		c->prev_cycle = r->cycle;   /* the last M-mode retirement so far */
		return;
	}
	if (c->in_m) {
		c->span[c->nspan - 1].end = c->prev_cycle;   /* the mret */
		c->in_m = false;
	}
	if (r->intr && r->cause == IRQ_SEI && r->mode == MODE_S) {
		push_u64(c, &c->sei, &c->nsei, &c->cap_sei, r->cycle);
		c->sei_traps++;
	}
	c->prev_trap = r->trap;
	c->prev_cause = r->cause;
	c->prev_insn = r->insn;
	c->prev_kind = classify(r);
	c->prev_cycle = r->cycle;
}

/* Index of the last element <= v in a[0..n), or -1. */
static long last_le(const uint64_t *a, size_t n, uint64_t v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

/* How many stretches start at or before t (they are sorted and never overlap). */
static size_t spans_started_by(const struct iocheck *c, uint64_t t)
{
	size_t lo = 0, hi = c->nspan;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->span[mid].start <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The M-mode stretch that holds cycle t, or NULL. */
static const struct iocheck_span *span_at(const struct iocheck *c, uint64_t t)
{
	size_t lo = spans_started_by(c, t);

	if (lo == 0 || c->span[lo - 1].end < t)
		return NULL;
	return &c->span[lo - 1];
}

static bool sp_enabled(const struct iocheck *c, uint8_t kind)
{
	return (kind == IOCK_IDLE && (c->safepoints & IOLOG_SP_IDLE)) ||
	       (kind == IOCK_POLL && (c->safepoints & IOLOG_SP_POLL));
}

/* Index of the first stretch that ends at or after t (stretches never overlap). */
static size_t first_span_from(const struct iocheck *c, uint64_t t)
{
	size_t lo = spans_started_by(c, t);

	return lo > 0 && c->span[lo - 1].end >= t ? lo - 1 : lo;
}

/* Rule 4: the first enabled safepoint at or after h, up to limit; OPEN if none. */
static uint64_t first_safepoint(const struct iocheck *c, uint64_t h, uint64_t limit,
				const char **what)
{
	size_t i;

	for (i = first_span_from(c, h); i < c->nspan && c->span[i].start <= limit; i++) {
		const struct iocheck_span *sp = &c->span[i];

		if (sp->end < h || !sp_enabled(c, sp->kind))
			continue;
		if (sp->start >= h || sp->kind == IOCK_IDLE) {
			*what = sp->kind == IOCK_IDLE ? "safepoint-idle" : "safepoint-poll";
			return sp->start >= h ? sp->start : h;   /* in an emulated WFI: now */
		}
	}
	*what = "no safepoint";
	return OPEN;
}

static const char *cmd_name(uint8_t cmd)
{
	return cmd == 1 ? "READ" : cmd == 2 ? "WRITE" : cmd == 3 ? "FLUSH" : "cmd?";
}

/* The record, for every message. */
static void describe(char *buf, size_t len, const struct iolog_event *e)
{
	snprintf(buf, len, "seq %u (%s lba %u count %u, error %u, reason %s; logged issue %llu, "
		 "host_done %llu, maturity %llu, delivered %llu)", e->seq, cmd_name(e->cmd), e->lba,
		 e->count, e->error, iolog_reason_name(e->reason), (unsigned long long)e->issue,
		 (unsigned long long)e->host_done, (unsigned long long)e->maturity,
		 (unsigned long long)e->delivered);
}

static bool reason_allowed(const struct iocheck *c, uint8_t reason)
{
	switch (c->policy) {
	case IOLOG_POL_IMMEDIATE:
		return reason == IOLOG_IMMEDIATE;
	case IOLOG_POL_NOMINAL:
		return reason == IOLOG_MATURITY;
	case IOLOG_POL_MATURE:
		return reason == IOLOG_MATURITY ||
		       (reason == IOLOG_SAFEPOINT_IDLE && (c->safepoints & IOLOG_SP_IDLE)) ||
		       (reason == IOLOG_SAFEPOINT_POLL && (c->safepoints & IOLOG_SP_POLL));
	default:
		return false;
	}
}

/* Rule 4: does the stretch sp excuse a deadline in it, for a completion due at base? */
static bool busy_elsewhere(const struct iocheck_span *sp, uint64_t base)
{
	if (sp->kind == IOCK_IDLE)
		return false;   /* an emulated WFI waits for exactly this */
	if (sp->start < base)
		return true;    /* busy already when it fell due */
	return !sp->irq && sp->kind != IOCK_POLL;   /* a guest exception after it fell due */
}

static int check_delivery(struct iocheck *c, const struct iolog_event *e, const char *rec,
			  uint64_t ti, uint64_t te)
{
	uint64_t d, h, base, dl, s, sp_at = 0;
	const struct iocheck_span *sp, *busy;
	const char *spwhat = "none (policy)";
	long j;

	/* Rule 3: the delivery the hart really made. */
	sp = span_at(c, e->delivered);
	j = last_le(c->seip, c->nseip, e->delivered > 0 ? e->delivered - 1 : 0) + 1;
	if (!sp || (size_t)j >= c->nseip || c->seip[j] > sp->end)
		return fail(c, e->delivered, "%s: logged as delivered at %llu, but the hypervisor raised "
			    "no mip.SEIP then (%s)", rec, (unsigned long long)e->delivered,
			    sp ? "none in that M-mode stretch" : "the hart was not in M-mode");
	d = c->seip[j];
	j = last_le(c->host, c->nhost, d);
	if (j < 0 || c->host[j] <= ti)
		return fail(c, d, "%s: mip.SEIP raised at %llu before the host disk completed the "
			    "request (no host completion since its COMMAND trap at %llu)", rec,
			    (unsigned long long)d, (unsigned long long)ti);
	h = c->host[j];
	if (e->maturity <= e->issue)
		return fail(c, d, "%s: maturity %llu is not after the issue", rec,
			    (unsigned long long)e->maturity);
	if ((c->policy == IOLOG_POL_NOMINAL || e->reason == IOLOG_MATURITY) && d < e->maturity)
		return fail(c, d, "%s: mip.SEIP raised at %llu, before its maturity %llu (policy %s)", rec,
			    (unsigned long long)d, (unsigned long long)e->maturity,
			    iolog_policy_name(c->policy));
	/* The guest cannot have taken it before it was delivered. */
	j = last_le(c->sei, c->nsei, d > 0 ? d - 1 : 0);
	if (j >= 0 && c->sei[j] > te)
		return fail(c, c->sei[j], "%s: the guest took a supervisor external interrupt at %llu, "
			    "after the issue and before the delivery", rec,
			    (unsigned long long)c->sei[j]);
	/* A safepoint reason needs the guest at that safepoint when it was delivered. */
	if (e->reason == IOLOG_SAFEPOINT_IDLE || e->reason == IOLOG_SAFEPOINT_POLL) {
		uint8_t want = e->reason == IOLOG_SAFEPOINT_IDLE ? IOCK_IDLE : IOCK_POLL;

		sp = span_at(c, d);
		if (!sp || sp->kind != want)
			return fail(c, d, "%s: reason %s, but at %llu the hypervisor was not handling "
				    "a guest %s", rec, iolog_reason_name(e->reason),
				    (unsigned long long)d, want == IOCK_IDLE ? "WFI" : "STATUS read");
	}
	/* Rule 4. */
	switch (c->policy) {
	case IOLOG_POL_IMMEDIATE:
		base = h;
		break;
	case IOLOG_POL_NOMINAL:
		base = h > e->maturity ? h : e->maturity;
		break;
	default:
		s = first_safepoint(c, h, d, &spwhat);
		sp_at = s;
		base = s < e->maturity ? s : e->maturity;
		base = base > h ? base : h;
		break;
	}
	dl = base + c->bound;
	sp = span_at(c, dl);
	if (sp && busy_elsewhere(sp, base))
		dl = sp->end;   /* the hypervisor is busy: it delivers on its way out */
	busy = span_at(c, base);   /* in M already when it fell due: not the delivery path alone */
	if (busy && busy->kind == IOCK_IDLE)
		busy = NULL;
	if (d > base && !busy && d - base > c->delay_max)
		c->delay_max = d - base;   /* the delivery path alone: what B must cover */
	if (d > base && busy && d - base > c->delay_busy_max) {
		c->delay_busy_max = d - base;
		c->busy_cause = busy->cause;
		c->busy_insn = busy->insn;
	}
	if (d > dl)
		return fail(c, d, "%s: mip.SEIP raised at %llu, after the deadline %llu (policy %s: host "
			    "completion %llu, maturity %llu, first safepoint %s %llu, B %llu%s)", rec,
			    (unsigned long long)d, (unsigned long long)dl,
			    iolog_policy_name(c->policy), (unsigned long long)h,
			    (unsigned long long)e->maturity, spwhat,
			    (unsigned long long)sp_at,
			    (unsigned long long)c->bound, sp && busy_elsewhere(sp, base) ?
			    ", moved to the end of an M-mode stretch" : "");
	c->delivered++;
	return 0;
}

/*
 * Forget the M-mode stretches no record to come can need: those that ended before the
 * COMMAND trap of the oldest SEQ without a record (or of the newest SEQ, when all have
 * one: a later SEQ is issued later still). Done when the array is large, so it stays cheap.
 */
static void prune(struct iocheck *c)
{
	uint64_t keep;
	size_t k;

	if (c->nspan < IOCHECK_PRUNE_SPANS || c->nissue == 0)
		return;
	while (c->oldest < c->nissue && c->seen[c->oldest])
		c->oldest++;
	keep = c->issue[c->oldest < c->nissue ? c->oldest : c->nissue - 1];
	k = first_span_from(c, keep);
	if (k < c->nspan / 2)
		return;
	memmove(c->span, c->span + k, (c->nspan - k) * sizeof(*c->span));
	c->nspan -= k;
}

int iocheck_record(struct iocheck *c, const struct iolog_event *e)
{
	char rec[300];
	const struct iocheck_span *sp;
	uint64_t ti, te;
	int rc;

	if (c->err)
		return c->err;
	describe(rec, sizeof(rec), e);
	/* Rule 2. */
	if (e->seq == 0 || e->seq > c->nissue)
		return fail(c, e->delivered > e->issue ? e->delivered : e->issue,
			    "%s: names a SEQ never issued (%zu COMMAND writes trapped so far)", rec,
			    c->nissue);
	if (c->seen[e->seq - 1])
		return fail(c, e->delivered, "%s: a second record for this SEQ", rec);
	ti = c->issue[e->seq - 1];
	sp = span_at(c, ti);
	te = sp ? sp->end : ti;
	if (e->issue < ti || e->issue > te)
		return fail(c, e->issue, "%s: logged issue %llu is outside the hypervisor's handling of "
			    "the COMMAND write (M-mode %llu..%llu)", rec, (unsigned long long)e->issue,
			    (unsigned long long)ti, (unsigned long long)te);
	if (!reason_allowed(c, e->reason) && e->reason != IOLOG_REJECTED)
		return fail(c, e->delivered, "%s: reason %s is not allowed under policy %s with "
			    "safepoints 0x%x", rec, iolog_reason_name(e->reason),
			    iolog_policy_name(c->policy), c->safepoints);
	if (e->reason == IOLOG_REJECTED) {
		if (e->error < 1 || e->error > 5)
			return fail(c, e->issue, "%s: rejected with ERROR %u, not 1..5", rec, e->error);
	} else {
		if (e->error != 0 && e->error != 6)
			return fail(c, e->delivered, "%s: delivered with ERROR %u (only 0 or 6, host I/O "
				    "error, can be)", rec, e->error);
		rc = check_delivery(c, e, rec, ti, te);
		if (rc)
			return rc;
	}
	c->seen[e->seq - 1] = 1;
	c->records++;
	c->by_reason[e->reason]++;
	prune(c);
	return 0;
}

int iocheck_log_error(struct iocheck *c, const struct iolog *l, uint64_t now)
{
	return fail(c, now, "%s", l->why);
}

int iocheck_finish(struct iocheck *c, bool passed, uint64_t now)
{
	size_t k;

	if (c->err || !passed)
		return c->err;
	for (k = 0; k < c->nissue; k++)
		if (!c->seen[k])
			return fail(c, now, "seq %zu, issued by the COMMAND write that trapped at %llu, "
				    "has no record: never delivered nor rejected, yet the run passed",
				    k + 1, (unsigned long long)c->issue[k]);
	return 0;
}
