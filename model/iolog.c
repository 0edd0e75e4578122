/* iolog.c: reads the hypervisor's umbra_iolog event ring from simulated RAM (rules in iolog.h) and its latency figures. */
#define _POSIX_C_SOURCE 200809L
#include "iolog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const reason_names[IOLOG_NREASONS] = {
	"rejected", "immediate", "maturity", "safepoint-idle", "safepoint-poll",
};

const char *iolog_reason_name(unsigned reason)
{
	return reason < IOLOG_NREASONS ? reason_names[reason] : "?";
}

const char *iolog_policy_name(unsigned policy)
{
	switch (policy) {
	case IOLOG_POL_IMMEDIATE:
		return "immediate";
	case IOLOG_POL_NOMINAL:
		return "nominal";
	case IOLOG_POL_MATURE:
		return "mature";
	default:
		return "?";
	}
}

void iolog_init(struct iolog *l, uint32_t addr)
{
	memset(l, 0, sizeof(*l));
	l->addr = addr;
}

void iolog_free(struct iolog *l)
{
	free(l->lat);
	l->lat = NULL;
	l->nlat = l->cap_lat = 0;
}

int iolog_check(const struct iolog *l)
{
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < IOLOG_NREASONS; i++)
		n += l->by_reason[i];
	if (n != l->next || l->nlat != n - l->by_reason[IOLOG_REJECTED] || l->nlat > l->cap_lat)
		return -EINVAL;
	if (l->started && (l->policy < IOLOG_POL_IMMEDIATE || l->policy > IOLOG_POL_MATURE))
		return -EINVAL;
	if (l->err > 0 || (l->err && !l->why[0]))
		return -EINVAL;
	return 0;
}

static int corrupt(struct iolog *l, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Rule 4: remember the first error and its line. */
static int corrupt(struct iolog *l, int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(l->why, sizeof(l->why), "umbra_iolog at 0x%08x: ", l->addr);
	va_start(ap, fmt);
	vsnprintf(l->why + n, sizeof(l->why) - (size_t)n, fmt, ap);
	va_end(ap);
	l->err = err;
	return err;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void decode_event(const uint8_t *b, struct iolog_event *e)
{
	e->seq = le32(b);
	e->lba = le32(b + 4);
	e->count = le32(b + 8);
	e->cmd = b[12];
	e->error = b[13];
	e->reason = b[14];
	e->issue = le64(b + 16);
	e->host_done = le64(b + 24);
	e->maturity = le64(b + 32);
	e->delivered = le64(b + 40);
}

/* Rules 2 and 3: the header; *head set when it is valid; 1 when the log is not set up yet. */
static int read_header(struct iolog *l, const struct mem *ram, uint32_t *head)
{
	uint8_t h[IOLOG_HDR_BYTES];
	uint32_t magic, cap, policy, sp;
	static const uint8_t zero[IOLOG_HDR_BYTES];

	if (mem_read_bytes(ram, l->addr, h, sizeof(h)) ||
	    !mem_contains(ram, l->addr, IOLOG_BYTES) || (l->addr & 7u))
		return corrupt(l, -EFAULT, "the %u-byte block is not 8-byte aligned RAM",
			       IOLOG_BYTES);
	if (!l->started && memcmp(h, zero, sizeof(h)) == 0)
		return 1;
	magic = le32(h);
	cap = le32(h + 4);
	policy = le32(h + 8);
	sp = le32(h + 12);
	*head = le32(h + 16);
	if (!l->started && magic == IOLOG_MAGIC && cap == IOLOG_CAP && policy == 0 && *head == 0)
		return 1;   /* initialised statically, the policy not chosen yet (rule 2) */
	if (magic != IOLOG_MAGIC)
		return corrupt(l, -EINVAL, "magic 0x%08x, not 0x%08x", magic, IOLOG_MAGIC);
	if (cap != IOLOG_CAP)
		return corrupt(l, -EINVAL, "capacity %u, not %u", cap, IOLOG_CAP);
	if (policy < IOLOG_POL_IMMEDIATE || policy > IOLOG_POL_MATURE)
		return corrupt(l, -EINVAL, "policy %u is none of 1 immediate, 2 nominal, 3 mature",
			       policy);
	if (sp & ~(IOLOG_SP_IDLE | IOLOG_SP_POLL))
		return corrupt(l, -EINVAL, "safepoints 0x%x has bits other than idle and poll", sp);
	if (l->started && (policy != l->policy || sp != l->safepoints))
		return corrupt(l, -EINVAL, "policy/safepoints changed from %u/0x%x to %u/0x%x",
			       l->policy, l->safepoints, policy, sp);
	if (*head < l->next)
		return corrupt(l, -EINVAL, "head went back from %u to %u", l->next, *head);
	if (*head - l->next > IOLOG_CAP)
		return corrupt(l, -EOVERFLOW,
			       "head %u: records %u..%u were overwritten before they were read "
			       "(the ring holds %u)", *head, l->next, *head - IOLOG_CAP - 1, IOLOG_CAP);
	l->started = true;
	l->policy = policy;
	l->safepoints = sp;
	return 0;
}

static int keep_latency(struct iolog *l, uint64_t v)
{
	if (l->nlat == l->cap_lat) {
		size_t cap = l->cap_lat ? l->cap_lat * 2 : 256;
		uint64_t *p = realloc(l->lat, cap * sizeof(*p));

		if (!p)
			return corrupt(l, -ENOMEM, "out of memory for the latencies");
		l->lat = p;
		l->cap_lat = cap;
	}
	l->lat[l->nlat++] = v;
	return 0;
}

int iolog_poll(struct iolog *l, const struct mem *ram, iolog_fn fn, void *ctx)
{
	uint8_t b[IOLOG_EVENT_BYTES];
	struct iolog_event e;
	uint32_t head = 0, start;
	int rc;

	if (l->err)
		return l->err;
	rc = read_header(l, ram, &head);
	if (rc)
		return rc > 0 ? 0 : rc;
	start = l->next;
	while (l->next != head) {
		mem_read_bytes(ram, l->addr + IOLOG_HDR_BYTES + (l->next % IOLOG_CAP) * IOLOG_EVENT_BYTES,
			       b, sizeof(b));   /* inside the block: read_header() checked it */
		decode_event(b, &e);
		if (e.reason >= IOLOG_NREASONS)
			return corrupt(l, -EINVAL, "record %u (seq %u) has reason %u, not 0..%u",
				       l->next, e.seq, e.reason, IOLOG_NREASONS - 1);
		if (fn && (rc = fn(ctx, &e)) < 0) {
			l->err = rc;
			return rc;
		}
		if (e.reason != IOLOG_REJECTED) {
			if (e.delivered < e.issue)
				return corrupt(l, -EINVAL, "record %u (seq %u) delivered at %llu before its "
					       "issue at %llu", l->next, e.seq,
					       (unsigned long long)e.delivered,
					       (unsigned long long)e.issue);
			if ((rc = keep_latency(l, e.delivered - e.issue)) < 0)
				return rc;
		}
		l->by_reason[e.reason]++;
		l->next++;
	}
	return (int)(head - start);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t iolog_latency_pct(struct iolog *l, unsigned p)
{
	size_t rank;

	if (l->nlat == 0 || p < 1 || p > 100)
		return 0;
	qsort(l->lat, l->nlat, sizeof(*l->lat), cmp_u64);
	rank = (l->nlat * p + 99) / 100;   /* nearest rank, 1-based */
	return l->lat[rank - 1];
}

double iolog_latency_mean(const struct iolog *l)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < l->nlat; i++)
		sum += l->lat[i];
	return l->nlat ? (double)sum / (double)l->nlat : 0.0;
}

void iolog_put_stats(struct iolog *l, struct stats_writer *w)
{
	stats_put_u64(w, "io.log_records", l->next);
	stats_put_u64(w, "io.latency_p50_cycles", iolog_latency_pct(l, 50));
	stats_put_u64(w, "io.latency_p99_cycles", iolog_latency_pct(l, 99));
	stats_put_double(w, "io.latency_mean_cycles", iolog_latency_mean(l));
}
