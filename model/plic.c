/* plic.c: register file, claim/complete and arbitration of the PLIC model (rules in plic.h). */
#include "plic.h"

#include <errno.h>
#include <string.h>

void plic_init(struct plic *p)
{
	memset(p, 0, sizeof(*p));
}

int plic_check(const struct plic *p)
{
	unsigned i;

	if ((p->pending | p->in_service) & 1u || p->prio[0] || (p->pending & p->in_service))
		return -EINVAL;
	for (i = 0; i < PLIC_NSRC; i++)
		if (p->prio[i] > 7)
			return -EINVAL;
	return p->thresh[0] > 7 || p->thresh[1] > 7 ? -EINVAL : 0;
}

/* Highest priority above threshold among cand, lowest id on ties; 0 if none. */
static uint32_t arbitrate(const struct plic *p, uint32_t cand, unsigned threshold)
{
	unsigned best = threshold, i;
	uint32_t id = 0;

	for (i = 1; i < PLIC_NSRC; i++)
		if (((cand >> i) & 1u) && p->prio[i] > best) {
			best = p->prio[i];
			id = i;
		}
	return id;
}

bool plic_eip(const struct plic *p, unsigned ctx)
{
	uint32_t cand = p->pending & ~p->in_service & p->enable[ctx];

	return cand && arbitrate(p, cand, p->thresh[ctx]) != 0;
}

int plic_access_word(struct plic *p, uint32_t off, bool we, uint32_t be, uint32_t wdata,
		     uint32_t *rdata)
{
	uint32_t w = off & ~3u;
	unsigned ctx;
	uint32_t id;

	*rdata = 0;
	if (w >= PLIC_END || (be & 0xfu) != 0xfu)
		return -EFAULT;
	if (w < PLIC_PRIO_END) {
		if (we && w / 4)
			p->prio[w / 4] = wdata & 7u;
		else if (!we)
			*rdata = p->prio[w / 4];
		return 0;
	}
	switch (w) {
	case PLIC_PENDING:
		if (!we)
			*rdata = p->pending;
		break;
	case PLIC_ENABLE0:
	case PLIC_ENABLE1:
		ctx = w == PLIC_ENABLE1;
		if (we)
			p->enable[ctx] = wdata;
		else
			*rdata = p->enable[ctx];
		break;
	case PLIC_THRESH0:
	case PLIC_THRESH1:
		ctx = w == PLIC_THRESH1;
		if (we)
			p->thresh[ctx] = wdata & 7u;
		else
			*rdata = p->thresh[ctx];
		break;
	case PLIC_CLAIM0:
	case PLIC_CLAIM1:
		ctx = w == PLIC_CLAIM1;
		if (we) {
			if (wdata < PLIC_NSRC)
				p->in_service &= ~(1u << wdata) & ~1u;
		} else {
			id = arbitrate(p, p->pending & ~p->in_service & p->enable[ctx], p->thresh[ctx]);
			*rdata = id;
			if (id) {
				p->pending &= ~(1u << id);
				p->in_service |= 1u << id;
			}
		}
		break;
	default:
		break;
	}
	return 0;
}
