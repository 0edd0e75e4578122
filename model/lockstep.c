/* lockstep.c: the lockstep checker: compares each RTL retirement with the reference model's and reports the first difference. */
#include "lockstep.h"

#include <errno.h>
#include <string.h>

#include "disasm.h"

/*
 * What is compared, in this order (the first difference names the mismatch):
 * order, pc, privilege mode, trap and its cause, interrupt and its cause,
 * the instruction word (not for fetch faults: there is none), the register
 * write (rd and value), the next pc (also the handler address after a trap),
 * store address, byte mask and the data bytes under it, load address and
 * mask, and the GWB record (address, word 0, word 1). Load data are not
 * compared as such: they reach rd, which is. Values of timing CSRs (cycle,
 * time, hpm3-5, mip) are taken from the RTL (iss.h).
 */

static uint32_t byte_mask(uint8_t m)
{
	return (m & 1u ? 0xffu : 0) | (m & 2u ? 0xff00u : 0) | (m & 4u ? 0xff0000u : 0) |
	       (m & 8u ? 0xff000000u : 0);
}

const char *lockstep_compare(const struct iss_rvfi *m, const struct iss_rvfi *r)
{
	bool fetch_fault = r->trap && (r->cause == 1 || r->cause == 12);

	if (m->order != r->order)
		return "order";
	if (m->pc_rdata != r->pc_rdata)
		return "pc";
	if (m->mode != r->mode)
		return "mode";
	if (m->trap != r->trap || (r->trap && m->cause != r->cause))
		return "trap";
	if (m->intr != r->intr || (r->intr && !r->trap && m->cause != r->cause))
		return "intr";
	if (!fetch_fault && m->insn != r->insn)
		return "insn";
	if (m->rd_addr != r->rd_addr)
		return "rd_addr";
	if (m->rd_wdata != r->rd_wdata)
		return "rd_wdata";
	if (m->pc_wdata != r->pc_wdata)
		return "pc_wdata";
	if (m->mem_wmask != r->mem_wmask || (r->mem_wmask && m->mem_addr != r->mem_addr))
		return "mem_write";
	if ((m->mem_wdata & byte_mask(m->mem_wmask)) != (r->mem_wdata & byte_mask(r->mem_wmask)))
		return "mem_wdata";
	if (m->mem_rmask != r->mem_rmask || (r->mem_rmask && m->mem_addr != r->mem_addr))
		return "mem_read";
	if (m->gwb_valid != r->gwb_valid)
		return "gwb_valid";
	if (r->gwb_valid && (m->gwb_addr != r->gwb_addr || m->gwb_word0 != r->gwb_word0 ||
			     m->gwb_word1 != r->gwb_word1))
		return "gwb_record";
	return "";
}

void lockstep_init(struct lockstep *ls, struct mem *ram, struct mmio *bus, uint32_t mtime_div)
{
	memset(ls, 0, sizeof(*ls));
	iss_init(&ls->iss, ram, bus, NULL, mtime_div);
	ls->iss.lockstep = true;
}

int lockstep_check_state(const struct lockstep *ls)
{
	if (ls->nhist > LOCKSTEP_HISTORY || ls->head >= LOCKSTEP_HISTORY ||
	    ls->checked < ls->nhist || !ls->iss.lockstep || ls->iss.htif)
		return -EINVAL;
	return iss_check(&ls->iss);
}

static const char *mode_name(unsigned mode)
{
	static const char *const names[4] = { "U", "S", "?", "M" };

	return names[mode & 3u];
}

/* "addi a0, a0, 1  a0=0x00000005  sw [0x80001000]=0x00000005/f  gwb@0x80300000" */
static void effect_text(const struct iss_rvfi *r, char *buf, size_t len)
{
	int n = 0;

	buf[0] = 0;
	if (r->trap)
		n += snprintf(buf + n, len - (size_t)n, "trap cause %u -> 0x%08x  ", r->cause,
			      r->pc_wdata);
	if (r->intr && !r->trap)
		n += snprintf(buf + n, len - (size_t)n, "after interrupt %u  ", r->cause);
	if (r->rd_addr && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "x%u=0x%08x  ", r->rd_addr, r->rd_wdata);
	if (r->mem_wmask && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "st [0x%08x]=0x%08x/%x  ", r->mem_addr,
			      r->mem_wdata, r->mem_wmask);
	if (r->mem_rmask && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "ld [0x%08x]/%x  ", r->mem_addr,
			      r->mem_rmask);
	if (r->gwb_valid && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "gwb [0x%08x]={0x%08x,0x%08x}", r->gwb_addr,
			 r->gwb_word0, r->gwb_word1);
}

static const char *dis(uint32_t insn, char *buf, size_t len)
{
	if (disasm_format(insn, 0, buf, len) < 0)
		snprintf(buf, len, "0x%08x", insn);
	return buf;
}

static void row(FILE *f, const char *name, const char *rtl, const char *model)
{
	fprintf(f, "  %-10s %-24s %-24s%s\n", name, rtl, model, strcmp(rtl, model) ? "  <--" : "");
}

static void row_hex(FILE *f, const char *name, uint64_t rtl, uint64_t model)
{
	char a[32], b[32];

	snprintf(a, sizeof(a), "0x%08llx", (unsigned long long)rtl);
	snprintf(b, sizeof(b), "0x%08llx", (unsigned long long)model);
	row(f, name, a, b);
}

static void report(const struct lockstep *ls, const struct iss_rvfi *r,
		   const struct iss_rvfi *m, const char *what, uint64_t cycle, FILE *f)
{
	char a[64], b[64], eff[160];
	unsigned i;

	fprintf(f, "lockstep: mismatch in %s at retirement %llu (cycle %llu), pc 0x%08x\n", what,
		(unsigned long long)r->order, (unsigned long long)cycle, r->pc_rdata);
	fprintf(f, "  %-10s %-24s %-24s\n", "field", "rtl", "model");
	row_hex(f, "order", r->order, m->order);
	row_hex(f, "pc", r->pc_rdata, m->pc_rdata);
	row(f, "mode", mode_name(r->mode), mode_name(m->mode));
	row_hex(f, "insn", r->insn, m->insn);
	row(f, "", dis(r->insn, a, sizeof(a)),
	    dis(m->insn, b, sizeof(b)));
	snprintf(a, sizeof(a), "%u cause %u", r->trap, r->trap ? r->cause : 0);
	snprintf(b, sizeof(b), "%u cause %u", m->trap, m->trap ? m->cause : 0);
	row(f, "trap", a, b);
	snprintf(a, sizeof(a), "%u cause %u", r->intr, r->intr ? r->cause : 0);
	snprintf(b, sizeof(b), "%u cause %u", m->intr, m->intr ? m->cause : 0);
	row(f, "intr", a, b);
	snprintf(a, sizeof(a), "x%u = 0x%08x", r->rd_addr, r->rd_wdata);
	snprintf(b, sizeof(b), "x%u = 0x%08x", m->rd_addr, m->rd_wdata);
	row(f, "rd", a, b);
	row_hex(f, "next pc", r->pc_wdata, m->pc_wdata);
	snprintf(a, sizeof(a), "[0x%08x] 0x%08x/%x", r->mem_wmask ? r->mem_addr : 0, r->mem_wdata,
		 r->mem_wmask);
	snprintf(b, sizeof(b), "[0x%08x] 0x%08x/%x", m->mem_wmask ? m->mem_addr : 0, m->mem_wdata,
		 m->mem_wmask);
	row(f, "store", a, b);
	snprintf(a, sizeof(a), "[0x%08x] /%x", r->mem_rmask ? r->mem_addr : 0, r->mem_rmask);
	snprintf(b, sizeof(b), "[0x%08x] /%x", m->mem_rmask ? m->mem_addr : 0, m->mem_rmask);
	row(f, "load", a, b);
	snprintf(a, sizeof(a), "%u [0x%08x]", r->gwb_valid, r->gwb_valid ? r->gwb_addr : 0);
	snprintf(b, sizeof(b), "%u [0x%08x]", m->gwb_valid, m->gwb_valid ? m->gwb_addr : 0);
	row(f, "gwb", a, b);
	snprintf(a, sizeof(a), "0x%08x 0x%08x", r->gwb_word0, r->gwb_word1);
	snprintf(b, sizeof(b), "0x%08x 0x%08x", m->gwb_word0, m->gwb_word1);
	row(f, "gwb words", a, b);
	fprintf(f, "lockstep: the last %u retirements before it (all matched):\n", ls->nhist);
	for (i = 0; i < ls->nhist; i++) {
		const struct iss_rvfi *h =
			&ls->hist[(ls->head + LOCKSTEP_HISTORY - ls->nhist + i) % LOCKSTEP_HISTORY];

		effect_text(h, eff, sizeof(eff));
		fprintf(f, "  %8llu  %s  0x%08x  %08x  %-28s %s\n", (unsigned long long)h->order,
			mode_name(h->mode), h->pc_rdata, h->insn,
			h->trap && (h->cause == 1 || h->cause == 12) ? "(no instruction)" :
			dis(h->insn, a, sizeof(a)), eff);
	}
	fflush(f);
}

int lockstep_step(struct lockstep *ls, const struct iss_rvfi *rtl, uint64_t cycle, FILE *f)
{
	struct iss_rvfi m;
	const char *what;

	if (ls->failed)
		return -1;
	if (iss_lockstep_step(&ls->iss, rtl, &m))
		what = "intr (the model's state does not allow this interrupt here)";
	else
		what = lockstep_compare(&m, rtl);
	if (what[0]) {
		report(ls, rtl, &m, what, cycle, f);
		ls->failed = 1;
		return -1;
	}
	ls->checked++;
	ls->gwb_records += m.gwb_valid;
	ls->hist[ls->head] = m;
	ls->head = (ls->head + 1) % LOCKSTEP_HISTORY;
	if (ls->nhist < LOCKSTEP_HISTORY)
		ls->nhist++;
	return 0;
}
