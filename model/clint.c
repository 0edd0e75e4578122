/* clint.c: register file of the CLINT model (rules in clint.h). */
#include "clint.h"

#include <errno.h>
#include <string.h>

void clint_init(struct clint *c)
{
	memset(c, 0, sizeof(*c));
}

int clint_check(const struct clint *c, uint32_t div)
{
	uint32_t d = div ? div : 1u;

	return c->div_cnt < d ? 0 : -EINVAL;
}

int clint_access_word(struct clint *c, uint32_t off, bool we, uint32_t be, uint32_t wdata,
		      uint32_t *rdata, bool *mtime_written)
{
	uint32_t w = off & 0xfffcu;

	*rdata = 0;
	*mtime_written = false;
	if ((off & 0xffff0000u) || w >= CLINT_END || (be & 0xfu) != 0xfu)
		return -EFAULT;
	if (!we) {
		switch (w) {
		case CLINT_MSIP:        *rdata = c->msip; break;
		case CLINT_MTIMECMP_LO: *rdata = (uint32_t)c->mtimecmp; break;
		case CLINT_MTIMECMP_HI: *rdata = (uint32_t)(c->mtimecmp >> 32); break;
		case CLINT_MTIME_LO:    *rdata = (uint32_t)c->mtime; break;
		case CLINT_MTIME_HI:    *rdata = (uint32_t)(c->mtime >> 32); break;
		default: break;
		}
		return 0;
	}
	switch (w) {
	case CLINT_MSIP:
		c->msip = wdata & 1u;
		break;
	case CLINT_MTIMECMP_LO:
		c->mtimecmp = (c->mtimecmp & 0xffffffff00000000ull) | wdata;
		break;
	case CLINT_MTIMECMP_HI:
		c->mtimecmp = (c->mtimecmp & 0xffffffffull) | ((uint64_t)wdata << 32);
		break;
	case CLINT_MTIME_LO:
		c->mtime = (c->mtime & 0xffffffff00000000ull) | wdata;
		*mtime_written = true;
		break;
	case CLINT_MTIME_HI:
		c->mtime = (c->mtime & 0xffffffffull) | ((uint64_t)wdata << 32);
		*mtime_written = true;
		break;
	default:
		break;
	}
	return 0;
}
