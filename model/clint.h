/* clint.h: C model of rtl/umbra_clint.sv (msip, mtimecmp, mtime with a cycle divider). */
#ifndef UMBRA_CLINT_H
#define UMBRA_CLINT_H

#include <stdbool.h>
#include <stdint.h>

#define CLINT_BASE          0x02000000u
#define CLINT_SIZE          0x00010000u  /* the xbar's CLINT window */
#define CLINT_MSIP          0x0000u
#define CLINT_MTIMECMP_LO   0x4000u
#define CLINT_MTIMECMP_HI   0x4004u
#define CLINT_MTIME_LO      0xbff8u
#define CLINT_MTIME_HI      0xbffcu
#define CLINT_END           0xc000u      /* first offset with nothing behind it: bus error */

/*
 * Rules (as umbra_clint.sv):
 *  1. div_cnt < max(div, 1) once the divider is stable; mtime = floor(cycles / div)
 *     while nothing writes it.
 *  2. Offsets >= CLINT_END and partial byte enables are bus errors that change nothing.
 *  3. A write to either mtime half replaces that half; mtime does not advance in that cycle.
 */
struct clint {
	bool msip;
	uint64_t mtimecmp;
	uint64_t mtime;
	uint32_t div_cnt;
};

void clint_init(struct clint *c);
int clint_check(const struct clint *c, uint32_t div);

/* One word access at offset off; 0 or -EFAULT (rule 2). *mtime_written tells rule 3 applies. */
int clint_access_word(struct clint *c, uint32_t off, bool we, uint32_t be, uint32_t wdata,
		      uint32_t *rdata, bool *mtime_written);

/* Let n cycles pass with divider div (0 acts as 1). */
static inline void clint_advance_cycles(struct clint *c, uint64_t n, uint32_t div)
{
	uint64_t d = div ? div : 1u;
	uint64_t total;

	if (n == 0)
		return;
	if (c->div_cnt >= d) {   /* a lowered divider ticks at once (>=) */
		c->mtime++;
		c->div_cnt = 0;
		n--;
	}
	total = c->div_cnt + n;
	c->mtime += total / d;
	c->div_cnt = (uint32_t)(total % d);
}

static inline bool clint_mtip(const struct clint *c)
{
	return c->mtime >= c->mtimecmp;
}

#endif /* UMBRA_CLINT_H */
