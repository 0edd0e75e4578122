/* iss_exec.c: the ISS's step loop: interrupts, fetch, execute, memory, traps, time (rules in iss.h). */
#include "iss.h"

#include <errno.h>
#include <string.h>

#include "iss_mmu.h"

void iss_init(struct iss *s, struct mem *ram, struct mmio *bus, struct htif *htif,
	      uint32_t mtime_div)
{
	memset(s, 0, sizeof(*s));
	s->pc = BOOTROM_BASE;
	s->priv = ISS_PRIV_M;
	s->ram = ram;
	s->bus = bus;
	s->htif = htif;
	s->mtime_div = mtime_div;
	s->gwb = true;
	s->csr.gwbcap = 1;
	clint_init(&s->clint);
	plic_init(&s->plic);
	iss_mmu_flush(s);
	iss_drop_decoded(s);
	s->dpage_bulk_seen = ram->bulk_writes;
}

void iss_drop_decoded(struct iss *s)
{
	unsigned i;

	for (i = 0; i < ISS_DPAGES; i++)
		s->dpages[i].ppn = ISS_DPAGE_NONE;
}

/* Rule 5: a device wrote RAM since the last check: every decoded page may be stale. */
static inline bool check_dma(struct iss *s)
{
	if (s->ram->bulk_writes == s->dpage_bulk_seen)
		return false;
	s->dpage_bulk_seen = s->ram->bulk_writes;
	iss_drop_decoded(s);
	return true;
}

int iss_check(const struct iss *s)
{
	unsigned i;

	if (s->x[0] || (s->priv != ISS_PRIV_U && s->priv != ISS_PRIV_S && s->priv != ISS_PRIV_M))
		return -EINVAL;
	if ((s->csr.mstatus & ~0x007e19aau) || (s->csr.medeleg & ~0xb3ffu) ||
	    (s->csr.mideleg & ~0x222u) || (s->csr.mie & ~0xaaau) || (s->csr.mip_sw & ~0x222u) ||
	    (s->csr.mcountinhibit & ~0xfdu) || (s->csr.satp & 0x7fc00000u) ||
	    ((s->csr.mstatus & MSTATUS_MPP) == (2u << MSTATUS_MPP_SHIFT)) ||
	    (s->csr.mepc & 3u) || (s->csr.sepc & 3u) || (s->csr.mtvec & 2u) || (s->csr.stvec & 2u))
		return -EINVAL;
	for (i = 0; i < ISS_TLB_ENTRIES; i++) {
		const struct iss_tlb_entry *e[2] = { &s->itlb.e[i], &s->dtlb.e[i] };
		unsigned k;

		for (k = 0; k < 2; k++)
			if (e[k]->vpn != ISS_TLB_INVALID &&
			    (e[k]->vpn % ISS_TLB_ENTRIES != i || !(e[k]->flags & PTE_V) ||
			     !(e[k]->flags & PTE_A)))
				return -EINVAL;
	}
	if ((s->csr.gwbctl & ~MGWBCTL_EN) || (s->csr.gwbbase & ~MGWBBASE_MASK) ||
	    (s->csr.gwbidx & ~MGWBIDX_MASK) || !s->csr.gwbcap || s->csr.gwbcap > MGWBCAP_MAX ||
	    (s->csr.gwbcap & (s->csr.gwbcap - 1)))
		return -EINVAL;
	if (clint_check(&s->clint, s->mtime_div) || plic_check(&s->plic))
		return -EINVAL;
	return 0;
}

int iss_phys_access(struct iss *s, uint32_t paddr, bool we, uint32_t be, uint32_t wdata,
		    uint32_t *rdata)
{
	bool mtime_written;
	int rc;

	*rdata = 0;
	if (paddr >= MEM_RAM_BASE) {
		if (we) {
			struct iss_dpage *dp = &s->dpages[(paddr >> 12) % ISS_DPAGES];

			if (dp->ppn == paddr >> 12)
				dp->ppn = ISS_DPAGE_NONE;   /* rule 5: a write to decoded code */
			rc = mem_write_word(s->ram, paddr, be, wdata);
			if (!rc && s->htif)
				htif_notice_write(s->htif, paddr & ~3u);
			return rc;
		}
		return mem_read_word(s->ram, paddr, rdata);
	}
	if (s->lockstep) {   /* the RTL made this access: take its answer (iss.h) */
		bool err = s->ext->trap && (s->ext->cause == EXC_INSN_ACCESS ||
					    s->ext->cause == EXC_LOAD_ACCESS ||
					    s->ext->cause == EXC_STORE_ACCESS);

		if (!we && !err)
			*rdata = s->ext->mem_rdata;
		return err ? -EFAULT : 0;
	}
	if (paddr - CLINT_BASE < CLINT_SIZE) {
		rc = clint_access_word(&s->clint, paddr - CLINT_BASE, we, be, wdata, rdata,
				       &mtime_written);
		s->mtime_hold |= mtime_written;
		return rc;
	}
	if (paddr - PLIC_BASE < PLIC_SIZE)
		return plic_access_word(&s->plic, paddr - PLIC_BASE, we, be, wdata, rdata);
	return mmio_access_word(s->bus, paddr & ~3u, we, be, wdata, rdata);
}

/* Slow fetch path: translate pc, set the shortcut (rule 7), read the word. */
static int fetch_slow(struct iss *s, uint32_t *insn, uint32_t *paddr)
{
	uint32_t pa = 0;
	int rc = iss_mmu_translate(s, s->pc, ISS_ACC_FETCH, s->priv, &pa);

	if (rc)
		return rc == ISS_XLATE_PAGE_FAULT ? EXC_INSN_PAGE : EXC_INSN_ACCESS;
	if (mem_read_word(s->ram, pa, insn)) {
		if (bootrom_read_word(&s->bus->rom, pa, insn))
			return EXC_INSN_ACCESS;
		*paddr = pa;
		return 0;   /* the boot ROM: no shortcut, no decoded page */
	}
	s->fetch_vpn = s->pc >> 12;
	s->fetch_ppn = pa >> 12;
	*paddr = pa;
	return 0;
}

/*
 * Fetch and decode the instruction at pc into *d: 0, or the exception cause.
 * Fast path (rules 5 and 7): pc in the page of the last fetch and its word
 * already decoded: no translation, no memory read, no decode.
 */
static inline int fetch(struct iss *s, struct iss_insn *d)
{
	uint32_t pa, raw;
	struct iss_dpage *dp;
	struct iss_insn *slot;
	int exc;

	if (__builtin_expect((s->pc >> 12) == s->fetch_vpn, 1)) {
		pa = (s->fetch_ppn << 12) | (s->pc & 0xfffu);
	} else {
		exc = fetch_slow(s, &raw, &pa);
		if (exc)
			return exc;
		if (pa < MEM_RAM_BASE) {
			iss_decode_insn(raw, d);
			return 0;
		}
	}
	dp = &s->dpages[(pa >> 12) % ISS_DPAGES];
	if (__builtin_expect(dp->ppn != pa >> 12, 0)) {
		unsigned i;

		for (i = 0; i < 1024; i++)
			dp->insn[i].op = ISS_OP_UNDECODED;
		dp->ppn = pa >> 12;
	}
	slot = &dp->insn[(pa >> 2) & 1023u];
	if (__builtin_expect(slot->op == ISS_OP_UNDECODED, 0)) {
		if (mem_read_word(s->ram, pa, &raw))
			return EXC_INSN_ACCESS;   /* not reached: the page is RAM */
		iss_decode_insn(raw, slot);
	}
	*d = *slot;
	return 0;
}

static inline unsigned data_priv(const struct iss *s)
{
	return (s->csr.mstatus & MSTATUS_MPRV) ?
	       (s->csr.mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT : s->priv;
}

/* Load size (0, 1, 2) bytes from vaddr: 0, or the exception cause. */
static int load(struct iss *s, uint32_t va, unsigned size, bool is_unsigned, uint32_t *val,
		struct iss_rvfi *r)
{
	uint32_t pa, w, off = va & 3u, be;
	int rc;

	if ((size == 1 && (va & 1u)) || (size == 2 && off))
		return EXC_LOAD_MISALIGNED;
	rc = iss_mmu_translate(s, va, ISS_ACC_LOAD, data_priv(s), &pa);
	if (rc)
		return rc == ISS_XLATE_PAGE_FAULT ? EXC_LOAD_PAGE : EXC_LOAD_ACCESS;
	be = (size == 0 ? 1u : size == 1 ? 3u : 0xfu) << off;
	if (iss_phys_access(s, pa & ~3u, false, be, 0, &w))
		return EXC_LOAD_ACCESS;
	if (r) {
		if (s->load_from_rtl && pa >= MEM_RAM_BASE)
			w = s->ext->mem_rdata;   /* iss.h: DMA since the previous retirement */
		r->mem_addr = va;
		r->mem_rmask = (uint8_t)be;
		r->mem_rdata = w;
	}
	w >>= 8u * off;
	if (size == 0)
		*val = is_unsigned ? (w & 0xffu) : (uint32_t)(int32_t)(int8_t)w;
	else if (size == 1)
		*val = is_unsigned ? (w & 0xffffu) : (uint32_t)(int32_t)(int16_t)w;
	else
		*val = w;
	return 0;
}

/*
 * SPEC §3 append, after the traced store itself was performed: two full-word
 * physical writes, then the index moves. 0, or the exception cause.
 */
static int gwb_append(struct iss *s, uint32_t pa, unsigned size, uint32_t val,
		      struct iss_rvfi *r)
{
	uint32_t a = s->csr.gwbbase + 8u * s->csr.gwbidx, dummy;
	uint32_t w0 = (pa & ~3u) | size;
	uint32_t w1 = size == 0 ? (val & 0xffu) : size == 1 ? (val & 0xffffu) : val;

	if (iss_phys_access(s, a, true, 0xfu, w0, &dummy) ||
	    iss_phys_access(s, a + 4u, true, 0xfu, w1, &dummy))
		return EXC_STORE_ACCESS;
	s->csr.gwbidx = (s->csr.gwbidx + 1u) & MGWBIDX_MASK;
	s->gwb_appends++;
	if (r) {
		r->gwb_valid = 1;
		r->gwb_addr = a;
		r->gwb_word0 = w0;
		r->gwb_word1 = w1;
	}
	return 0;
}

/* The leaf that translated va for a store has T set and the GWB honours it (SPEC §3). */
static inline bool store_traced(const struct iss *s, uint32_t va, unsigned priv)
{
	return (s->csr.gwbctl & MGWBCTL_EN) && priv != ISS_PRIV_M && (s->csr.satp & SATP_MODE) &&
	       (s->dtlb.e[(va >> 12) % ISS_TLB_ENTRIES].flags & PTE_T);
}

static int store(struct iss *s, uint32_t va, unsigned size, uint32_t val, struct iss_rvfi *r)
{
	uint32_t pa, off = va & 3u, be, dummy, bus;
	unsigned priv = data_priv(s);
	bool traced;
	int rc;

	if ((size == 1 && (va & 1u)) || (size == 2 && off))
		return EXC_STORE_MISALIGNED;
	rc = iss_mmu_translate(s, va, ISS_ACC_STORE, priv, &pa);
	if (rc)
		return rc == ISS_XLATE_PAGE_FAULT ? EXC_STORE_PAGE : EXC_STORE_ACCESS;
	traced = store_traced(s, va, priv);   /* the entry that just translated va */
	if (traced && s->csr.gwbidx >= s->csr.gwbcap) {
		s->gwb_full++;
		return EXC_GWB_FULL;
	}
	be = (size == 0 ? 1u : size == 1 ? 3u : 0xfu) << off;
	if (size == 0)
		bus = (val & 0xffu) * 0x01010101u;
	else if (size == 1)
		bus = (val & 0xffffu) * 0x00010001u;
	else
		bus = val;
	if (iss_phys_access(s, pa & ~3u, true, be, bus, &dummy))
		return EXC_STORE_ACCESS;
	if (r) {
		r->mem_addr = va;
		r->mem_wmask = (uint8_t)be;
		r->mem_wdata = bus;
	}
	return traced ? gwb_append(s, pa, size, val, r) : 0;
}

static uint32_t do_div(unsigned op, uint32_t a, uint32_t b)
{
	int32_t sa = (int32_t)a, sb = (int32_t)b;

	switch (op) {
	case OP_DIV:
		if (b == 0) return UINT32_MAX;
		if (sa == INT32_MIN && sb == -1) return a;
		return (uint32_t)(sa / sb);
	case OP_DIVU:
		return b ? a / b : UINT32_MAX;
	case OP_REM:
		if (b == 0) return a;
		if (sa == INT32_MIN && sb == -1) return 0;
		return (uint32_t)(sa % sb);
	default:
		return b ? a % b : a;
	}
}

/*
 * Counters count at the end of every step; an explicit write in the step wins.
 * inh is mcountinhibit as the step began: an instruction that writes it is
 * still counted under the old value (as umbra_csr.sv).
 */
static inline void count_cycle(struct iss *s, bool retired, uint32_t inh)
{
	if (!(inh & 1u) && !s->wrote_mcycle)
		s->csr.mcycle++;
	if (retired) {
		s->instret++;
		if (!(inh & 4u) && !s->wrote_minstret)
			s->csr.minstret++;
	}
	s->wrote_mcycle = s->wrote_minstret = false;
}

static inline void end_cycle(struct iss *s, bool retired, uint32_t inh)
{
	count_cycle(s, retired, inh);
	mmio_tick(s->bus, s->cycle);   /* timed devices (the disk), after this cycle's access */
	s->cycle++;
	if (s->mtime_hold) {   /* mtime written this cycle: it does not tick, the divider runs */
		uint64_t m = s->clint.mtime;

		clint_advance_cycles(&s->clint, 1, s->mtime_div);
		s->clint.mtime = m;
		s->mtime_hold = false;
	} else {
		clint_advance_cycles(&s->clint, 1, s->mtime_div);
	}
	plic_sample_lines(&s->plic, s->bus->irq_lines);
}

/*
 * hpm counters: TLB misses of the ISS's own TLB model and PTE reads (not
 * architectural), GWB appends and full traps (architectural).
 */
static inline void count_hpm(struct iss *s, const uint64_t before[ISS_NHPM], uint32_t inh)
{
	uint64_t d[ISS_NHPM] = { s->itlb.misses - before[0], s->dtlb.misses - before[1],
				 s->pte_reads - before[2], s->gwb_appends - before[3],
				 s->gwb_full - before[4] };
	unsigned i;

	if (!(d[0] | d[1] | d[2] | d[3] | d[4] | s->wrote_hpm_any))
		return;   /* the common step: no event, no counter written */
	for (i = 0; i < ISS_NHPM; i++) {
		if (d[i] && !((inh >> (3 + i)) & 1u) && !s->wrote_hpm[i])
			s->csr.hpm[i] += d[i];
		s->wrote_hpm[i] = false;
	}
	s->wrote_hpm_any = false;
}

/* CSRs whose value depends on timing or on interrupt lines: lockstep takes the RTL's. */
static inline bool csr_is_timing(uint32_t addr)
{
	unsigned idx = addr & 31u;

	if (addr == 0x344 || addr == 0x144)
		return true;
	if ((addr & ~0x9fu) != 0xb00 && (addr & ~0x9fu) != 0xc00)
		return false;
	return idx == 0 || idx == 1 || (idx >= 3 && idx <= 5);
}

/*
 * One step: returns true when an instruction retired. r is NULL on the fast
 * path (the compiler drops every "if (r)"), else it receives the RVFI view.
 */
static inline __attribute__((always_inline)) bool step_one(struct iss *s, struct iss_rvfi *r)
{
	struct iss_insn d;
	uint32_t a, b, npc, v = 0, old;
	int irq, exc;  /* an exception cause; 0 (insn misaligned) is raised only by jumps */
	uint32_t tval = 0;
	bool wb = true, write;
	unsigned op;

	if (s->wfi) {
		if (!(iss_csr_mip(s) & s->csr.mie))
			return false;
		s->wfi = false;
		s->pc += 4;
		return true;
	}
	if (!r) {   /* in lockstep the RTL says when (iss_lockstep_step) */
		irq = iss_irq_pending(s);
		if (irq >= 0) {
			iss_trap_enter(s, (uint32_t)irq, true, 0, s->pc);
			return false;
		}
	}
	if (r) {
		r->pc_rdata = s->pc;
		r->mode = (uint8_t)s->priv;
	}
	exc = fetch(s, &d);
	if (exc) {
		if (r) {
			r->trap = 1;
			r->cause = (uint32_t)exc;
		}
		iss_trap_enter(s, (uint32_t)exc, false, s->pc, s->pc);
		return false;
	}
	if (r)
		r->insn = d.raw;
	op = d.op;
	a = s->x[d.rs1];
	b = s->x[d.rs2];
	npc = s->pc + 4;

	switch (op) {
	case OP_LUI: v = (uint32_t)d.imm; break;
	case OP_AUIPC: v = s->pc + (uint32_t)d.imm; break;
	case OP_JAL: v = npc; npc = s->pc + (uint32_t)d.imm; goto jump;
	case OP_JALR: v = npc; npc = (a + (uint32_t)d.imm) & ~1u; goto jump;
	case OP_BEQ: wb = false; if (a == b) goto branch; break;
	case OP_BNE: wb = false; if (a != b) goto branch; break;
	case OP_BLT: wb = false; if ((int32_t)a < (int32_t)b) goto branch; break;
	case OP_BGE: wb = false; if ((int32_t)a >= (int32_t)b) goto branch; break;
	case OP_BLTU: wb = false; if (a < b) goto branch; break;
	case OP_BGEU: wb = false; if (a >= b) goto branch; break;
	case OP_LB: exc = load(s, a + (uint32_t)d.imm, 0, false, &v, r); break;
	case OP_LH: exc = load(s, a + (uint32_t)d.imm, 1, false, &v, r); break;
	case OP_LW: exc = load(s, a + (uint32_t)d.imm, 2, false, &v, r); break;
	case OP_LBU: exc = load(s, a + (uint32_t)d.imm, 0, true, &v, r); break;
	case OP_LHU: exc = load(s, a + (uint32_t)d.imm, 1, true, &v, r); break;
	case OP_SB: wb = false; exc = store(s, a + (uint32_t)d.imm, 0, b, r); break;
	case OP_SH: wb = false; exc = store(s, a + (uint32_t)d.imm, 1, b, r); break;
	case OP_SW: wb = false; exc = store(s, a + (uint32_t)d.imm, 2, b, r); break;
	case OP_ADDI: v = a + (uint32_t)d.imm; break;
	case OP_SLTI: v = (int32_t)a < d.imm; break;
	case OP_SLTIU: v = a < (uint32_t)d.imm; break;
	case OP_XORI: v = a ^ (uint32_t)d.imm; break;
	case OP_ORI: v = a | (uint32_t)d.imm; break;
	case OP_ANDI: v = a & (uint32_t)d.imm; break;
	case OP_SLLI: v = a << d.imm; break;
	case OP_SRLI: v = a >> d.imm; break;
	case OP_SRAI: v = (uint32_t)((int32_t)a >> d.imm); break;
	case OP_ADD: v = a + b; break;
	case OP_SUB: v = a - b; break;
	case OP_SLL: v = a << (b & 31u); break;
	case OP_SLT: v = (int32_t)a < (int32_t)b; break;
	case OP_SLTU: v = a < b; break;
	case OP_XOR: v = a ^ b; break;
	case OP_SRL: v = a >> (b & 31u); break;
	case OP_SRA: v = (uint32_t)((int32_t)a >> (b & 31u)); break;
	case OP_OR: v = a | b; break;
	case OP_AND: v = a & b; break;
	case OP_MUL: v = a * b; break;
	case OP_MULH: v = (uint32_t)((uint64_t)((int64_t)(int32_t)a * (int64_t)(int32_t)b) >> 32); break;
	case OP_MULHSU: v = (uint32_t)((uint64_t)((int64_t)(int32_t)a * (int64_t)(uint64_t)b) >> 32); break;
	case OP_MULHU: v = (uint32_t)(((uint64_t)a * b) >> 32); break;
	case OP_DIV: case OP_DIVU: case OP_REM: case OP_REMU: v = do_div(op, a, b); break;
	case OP_FENCE: wb = false; break;
	case OP_FENCE_I: wb = false; iss_drop_decoded(s); break;
	case OP_ECALL:
		exc = s->priv == ISS_PRIV_U ? EXC_ECALL_U : s->priv == ISS_PRIV_S ? EXC_ECALL_S : EXC_ECALL_M;
		break;
	case OP_EBREAK: exc = EXC_BREAKPOINT; break;
	case OP_MRET:
		if (s->priv != ISS_PRIV_M)
			goto illegal;
		iss_do_mret(s);
		goto retire_jumped;
	case OP_SRET:
		if (s->priv == ISS_PRIV_U || (s->priv == ISS_PRIV_S && (s->csr.mstatus & MSTATUS_TSR)))
			goto illegal;
		iss_do_sret(s);
		goto retire_jumped;
	case OP_WFI:
		if (s->priv == ISS_PRIV_U || (s->priv == ISS_PRIV_S && (s->csr.mstatus & MSTATUS_TW)))
			goto illegal;
		if (!r && !(iss_csr_mip(s) & s->csr.mie)) {
			s->wfi = true;   /* retires in the step that sees an interrupt pending */
			return false;
		}
		wb = false;
		break;
	case OP_SFENCE_VMA:
		if (s->priv == ISS_PRIV_U || (s->priv == ISS_PRIV_S && (s->csr.mstatus & MSTATUS_TVM)))
			goto illegal;
		iss_mmu_flush(s);
		wb = false;
		break;
	case OP_CSRRW: case OP_CSRRS: case OP_CSRRC:
	case OP_CSRRWI: case OP_CSRRSI: case OP_CSRRCI:
		write = (op == OP_CSRRW || op == OP_CSRRWI) || d.rs1 != 0;
		if (op >= OP_CSRRWI)
			a = d.rs1;
		if (iss_csr_access(s, (uint32_t)d.imm & 0xfffu, (d.raw >> 12) & 3u, write, a, &old))
			goto illegal;
		v = old;
		if (r)
			r->rd_timing = csr_is_timing((uint32_t)d.imm & 0xfffu);
		break;
	default:
		goto illegal;
	}
	if (exc > 0) {
		if (exc != EXC_ECALL_U && exc != EXC_ECALL_S && exc != EXC_ECALL_M &&
		    exc != EXC_BREAKPOINT)
			tval = a + (uint32_t)d.imm;
		if (r) {   /* RVFI: a trapping instruction reports no memory access */
			r->trap = 1;
			r->cause = (uint32_t)exc;
			r->mem_addr = r->mem_rdata = r->mem_wdata = 0;
			r->mem_rmask = r->mem_wmask = 0;
		}
		iss_trap_enter(s, (uint32_t)exc, false, tval, s->pc);
		return false;
	}
	if (wb && d.rd) {
		s->x[d.rd] = v;
		if (r) {
			r->rd_addr = d.rd;
			r->rd_wdata = v;
		}
	}
	s->pc = npc;
	return true;

branch:
	npc = s->pc + (uint32_t)d.imm;
jump:
	if (npc & 3u) {
		if (r) {
			r->trap = 1;
			r->cause = EXC_INSN_MISALIGNED;
		}
		iss_trap_enter(s, EXC_INSN_MISALIGNED, false, npc, s->pc);
		return false;
	}
	if (wb && d.rd) {
		s->x[d.rd] = v;
		if (r) {
			r->rd_addr = d.rd;
			r->rd_wdata = v;
		}
	}
	s->pc = npc;
	return true;

retire_jumped:
	return true;

illegal:
	if (r) {
		r->trap = 1;
		r->cause = EXC_ILLEGAL;
	}
	iss_trap_enter(s, EXC_ILLEGAL, false, d.raw, s->pc);
	return false;
}

uint64_t iss_step(struct iss *s, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n && s->bus->halt->kind == MMIO_RUNNING; i++) {
		uint64_t before[ISS_NHPM] = { s->itlb.misses, s->dtlb.misses, s->pte_reads,
					      s->gwb_appends, s->gwb_full };
		uint32_t inh = s->csr.mcountinhibit;
		bool retired;

		check_dma(s);
		retired = step_one(s, NULL);

		/* An access that stops the run (finisher, tohost) ends it at its bus
		 * handshake, before the instruction retires: as build/umbra counts it. */
		if (s->bus->halt->kind != MMIO_RUNNING)
			retired = false;
		count_hpm(s, before, inh);
		end_cycle(s, retired, inh);
	}
	return i;
}

int iss_lockstep_step(struct iss *s, const struct iss_rvfi *rtl, struct iss_rvfi *out)
{
	uint64_t before[ISS_NHPM];
	uint32_t inh = s->csr.mcountinhibit;
	bool retired;

	memset(out, 0, sizeof(*out));
	s->lockstep = true;
	s->ext = rtl;
	s->load_from_rtl = check_dma(s);   /* DMA since the previous retirement */
	out->order = s->order;
	if (rtl->intr) {
		/* The handler's first instruction: enter the trap the RTL took. When that
		 * instruction traps too, RVFI carries its cause only; the interrupt's is lost. */
		if (rtl->trap || !iss_irq_enabled(s, rtl->cause)) {
			out->pc_rdata = s->pc;
			out->mode = (uint8_t)s->priv;
			return -EPERM;
		}
		iss_trap_enter(s, rtl->cause, true, 0, s->pc);
		out->intr = 1;
	}
	before[0] = s->itlb.misses;
	before[1] = s->dtlb.misses;
	before[2] = s->pte_reads;
	before[3] = s->gwb_appends;
	before[4] = s->gwb_full;
	retired = step_one(s, out);
	if (out->intr && !out->trap)
		out->cause = rtl->cause;
	out->pc_wdata = s->pc;
	if (out->rd_timing && out->rd_addr && out->rd_addr == rtl->rd_addr) {
		s->x[out->rd_addr] = rtl->rd_wdata;   /* a value of timing, not of architecture */
		out->rd_wdata = rtl->rd_wdata;
	}
	count_hpm(s, before, inh);
	count_cycle(s, retired, inh);   /* as end_cycle(), without devices or time */
	s->cycle++;
	s->order++;
	s->ext = NULL;
	return 0;
}
