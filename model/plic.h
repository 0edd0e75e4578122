/* plic.h: C model of rtl/umbra_plic.sv (QEMU virt layout, 31 level sources, 2 contexts). */
#ifndef UMBRA_PLIC_H
#define UMBRA_PLIC_H

#include <stdbool.h>
#include <stdint.h>

#define PLIC_BASE        0x0c000000u
#define PLIC_SIZE        0x04000000u  /* the xbar's PLIC window */
#define PLIC_NSRC        32u
#define PLIC_PRIO_END    0x000080u
#define PLIC_PENDING     0x001000u
#define PLIC_ENABLE0     0x002000u
#define PLIC_ENABLE1     0x002080u
#define PLIC_THRESH0     0x200000u
#define PLIC_CLAIM0      0x200004u
#define PLIC_THRESH1     0x201000u
#define PLIC_CLAIM1      0x201004u
#define PLIC_END         0x600000u

/*
 * Rules (as umbra_plic.sv):
 *  1. Bit 0 of pending and in_service is always 0; prio[0] is 0; prio and thresh < 8.
 *  2. A source is never both pending and in service.
 *  3. Offsets >= PLIC_END and partial byte enables are bus errors that change nothing.
 */
struct plic {
	uint8_t prio[PLIC_NSRC];
	uint32_t pending;
	uint32_t in_service;
	uint32_t enable[2];
	uint8_t thresh[2];
};

void plic_init(struct plic *p);
int plic_check(const struct plic *p);
int plic_access_word(struct plic *p, uint32_t off, bool we, uint32_t be, uint32_t wdata,
		     uint32_t *rdata);
/* Gateway: a high line makes a source that is neither pending nor in service pending. */
static inline void plic_sample_lines(struct plic *p, uint32_t lines)
{
	p->pending = (p->pending | (lines & ~p->in_service)) & ~1u;
}

/* eip of context ctx (0 = M, 1 = S): some source would be claimed now. */
bool plic_eip(const struct plic *p, unsigned ctx);

#endif /* UMBRA_PLIC_H */
