/* matq.c: the maturity queue of SPEC §5.1: host completions kept in maturity order until delivered. */
#include "matq.h"

/*
 * Rules (matq_check):
 *  1. n <= MATQ_CAP.
 *  2. e[0..n-1] is sorted by maturity; among equal maturities by push order (FIFO).
 *  3. Every entry names a device below MATQ_MAX_DEV.
 *  4. Nothing is lost: pushed = popped + n; a refused push changes nothing but 'refused'.
 */

void matq_init(struct matq *q)
{
	q->n = 0;
	q->next_order = 0;
	q->pushed = q->popped = q->refused = 0;
}

static int before(const struct matq_entry *a, const struct matq_entry *b)
{
	return a->maturity < b->maturity || (a->maturity == b->maturity && (int32_t)(a->order - b->order) < 0);
}

int matq_push(struct matq *q, uint32_t dev, uint32_t tag, uint64_t maturity, uint64_t host_done)
{
	uint32_t i;

	if (dev >= MATQ_MAX_DEV) {
		q->refused++;
		return MATQ_EINVAL;
	}
	if (q->n >= MATQ_CAP) {
		q->refused++;
		return MATQ_EFULL;
	}
	/* insertion after every entry of the same or an earlier maturity (rule 2) */
	for (i = q->n; i > 0 && q->e[i - 1].maturity > maturity; i--)
		q->e[i] = q->e[i - 1];
	q->e[i] = (struct matq_entry){ maturity, host_done, dev, tag, q->next_order++ };
	q->n++;
	q->pushed++;
	return 0;
}

static void take(struct matq *q, uint32_t i, struct matq_entry *out)
{
	*out = q->e[i];
	for (; i + 1 < q->n; i++)
		q->e[i] = q->e[i + 1];
	q->n--;
	q->popped++;
}

int matq_pop_mature(struct matq *q, uint64_t now, struct matq_entry *out)
{
	if (!q->n || q->e[0].maturity > now)
		return 0;
	take(q, 0, out);
	return 1;
}

int matq_pop(struct matq *q, struct matq_entry *out)
{
	if (!q->n)
		return 0;
	take(q, 0, out);
	return 1;
}

int matq_pop_dev(struct matq *q, uint32_t dev, struct matq_entry *out)
{
	for (uint32_t i = 0; i < q->n; i++) {
		if (q->e[i].dev == dev) {
			take(q, i, out);
			return 1;
		}
	}
	return 0;
}

uint64_t matq_earliest(const struct matq *q)
{
	return q->n ? q->e[0].maturity : MATQ_NONE;
}

uint64_t matq_wakeup(const struct matq *q, uint64_t guest_timer)
{
	uint64_t m = matq_earliest(q);

	return m < guest_timer ? m : guest_timer;
}

int matq_check(const struct matq *q)
{
	if (q->n > MATQ_CAP)
		return -1;
	for (uint32_t i = 1; i < q->n; i++)
		if (before(&q->e[i], &q->e[i - 1]))
			return -2;
	for (uint32_t i = 0; i < q->n; i++)
		if (q->e[i].dev >= MATQ_MAX_DEV)
			return -3;
	if (q->pushed != q->popped + q->n)
		return -4;
	return 0;
}
