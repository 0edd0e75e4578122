/* iss_csr.c: CSR file, trap entry/return and interrupt selection, as rtl/umbra_csr.sv. */
#include "iss.h"
#include "iss_mmu.h"

#include <errno.h>

#define MISA_VALUE          0x40141100u   /* RV32 I M S U */
#define MIMPID_VALUE        0x756d6272u   /* "umbr" */
#define MSTATUS_MASK        0x007e19aau
#define SSTATUS_MASK        0x000c0122u
#define MEDELEG_MASK        0x0000b3ffu   /* all but ecall from M (and 10, 14) */
#define MIDELEG_MASK        0x00000222u
#define MIE_MASK            0x00000aaau
#define MIP_SW_MASK         0x00000222u
#define MCOUNTINHIBIT_MASK  0x000000fdu
#define SATP_MASK           0x803fffffu

_Static_assert((MSTATUS_MASK & SSTATUS_MASK) == SSTATUS_MASK, "sstatus is a view of mstatus");
_Static_assert((MIDELEG_MASK & ~MIE_MASK) == 0, "delegable interrupts are enable bits");
_Static_assert((MIP_SW_MASK & ~MIE_MASK) == 0, "software mip bits are enable bits");
_Static_assert((MSTATUS_MIE & MSTATUS_SIE & MSTATUS_MPIE & MSTATUS_SPIE & MSTATUS_SPP &
		MSTATUS_MPRV & MSTATUS_SUM & MSTATUS_MXR & MSTATUS_TVM & MSTATUS_TW &
		MSTATUS_TSR) == 0, "mstatus fields do not overlap");
_Static_assert(((MSTATUS_MIE | MSTATUS_SIE | MSTATUS_MPIE | MSTATUS_SPIE | MSTATUS_SPP |
		 MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM |
		 MSTATUS_TW | MSTATUS_TSR) & ~MSTATUS_MASK) == 0, "mstatus fields are writable");

uint32_t iss_csr_mip(const struct iss *s)
{
	return (s->csr.mip_sw & MIP_SW_MASK) |
	       ((uint32_t)plic_eip(&s->plic, 0) << IRQ_ME) |
	       ((uint32_t)clint_mtip(&s->clint) << IRQ_MT) |
	       ((uint32_t)s->clint.msip << IRQ_MS) |
	       ((uint32_t)plic_eip(&s->plic, 1) << IRQ_SE);
}

/* Priority MEI, MSI, MTI, SEI, SSI, STI. */
static int irq_pick(uint32_t p)
{
	static const unsigned order[6] = { IRQ_ME, IRQ_MS, IRQ_MT, IRQ_SE, IRQ_SS, IRQ_ST };
	unsigned i;

	for (i = 0; i < 6; i++)
		if (p & (1u << order[i]))
			return (int)order[i];
	return -1;
}

/* The pending-and-enabled interrupts of pending that the hart takes in its current state. */
static uint32_t irq_takeable(const struct iss *s, uint32_t pending)
{
	bool m_en = s->priv != ISS_PRIV_M || (s->csr.mstatus & MSTATUS_MIE);
	bool s_en = s->priv == ISS_PRIV_U || (s->priv == ISS_PRIV_S && (s->csr.mstatus & MSTATUS_SIE));
	uint32_t mp = m_en ? pending & ~s->csr.mideleg : 0;
	uint32_t sp = s_en ? pending & s->csr.mideleg : 0;

	return mp ? mp : sp;
}

int iss_irq_pending(const struct iss *s)
{
	uint32_t pending;

	/* Cheap exits first: nothing enabled, or M-mode with MIE clear takes nothing. */
	if (!s->csr.mie || (s->priv == ISS_PRIV_M && !(s->csr.mstatus & MSTATUS_MIE)))
		return -1;
	pending = iss_csr_mip(s) & s->csr.mie;

	return pending ? irq_pick(irq_takeable(s, pending)) : -1;
}

bool iss_irq_enabled(const struct iss *s, unsigned cause)
{
	return cause < 32 && irq_takeable(s, (1u << cause) & s->csr.mie & MIE_MASK) != 0;
}

void iss_trap_enter(struct iss *s, uint32_t cause, bool intr, uint32_t tval, uint32_t epc)
{
	struct iss_csrs *c = &s->csr;
	bool to_s;
	uint32_t tvec, mcause = intr ? 0x80000000u | cause : cause;

	if (intr)
		to_s = (c->mideleg >> cause) & 1u;  /* only called when it was picked for that level */
	else
		to_s = s->priv != ISS_PRIV_M && ((c->medeleg >> cause) & 1u);
	if (to_s) {
		c->scause = mcause;
		c->sepc = epc;
		c->stval = intr ? 0 : tval;
		c->mstatus = (c->mstatus & ~(MSTATUS_SPIE | MSTATUS_SIE | MSTATUS_SPP)) |
			     ((c->mstatus & MSTATUS_SIE) ? MSTATUS_SPIE : 0) |
			     ((s->priv & 1u) ? MSTATUS_SPP : 0);
		s->priv = ISS_PRIV_S;
		tvec = c->stvec;
	} else {
		c->mcause = mcause;
		c->mepc = epc;
		c->mtval = intr ? 0 : tval;
		c->mstatus = (c->mstatus & ~(MSTATUS_MPIE | MSTATUS_MIE | MSTATUS_MPP)) |
			     ((c->mstatus & MSTATUS_MIE) ? MSTATUS_MPIE : 0) |
			     (s->priv << MSTATUS_MPP_SHIFT);
		s->priv = ISS_PRIV_M;
		tvec = c->mtvec;
	}
	s->pc = (intr && (tvec & 1u)) ? (tvec & ~3u) + 4u * cause : tvec & ~3u;
	s->traps++;
	s->fetch_vpn = ISS_TLB_INVALID;   /* iss.h rule 7: the privilege may have changed */
}

void iss_do_mret(struct iss *s)
{
	struct iss_csrs *c = &s->csr;
	unsigned mpp = (c->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;

	s->priv = mpp;
	c->mstatus = (c->mstatus & ~(MSTATUS_MIE | MSTATUS_MPP)) | MSTATUS_MPIE |
		     ((c->mstatus & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
	if (mpp != ISS_PRIV_M)
		c->mstatus &= ~MSTATUS_MPRV;
	s->pc = c->mepc;
	s->fetch_vpn = ISS_TLB_INVALID;
}

void iss_do_sret(struct iss *s)
{
	struct iss_csrs *c = &s->csr;

	s->priv = (c->mstatus & MSTATUS_SPP) ? ISS_PRIV_S : ISS_PRIV_U;
	c->mstatus = (c->mstatus & ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPRV)) | MSTATUS_SPIE |
		     ((c->mstatus & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
	s->pc = c->sepc;
	s->fetch_vpn = ISS_TLB_INVALID;
}

static uint64_t counter_value(const struct iss *s, unsigned idx)
{
	switch (idx) {
	case 0: return s->csr.mcycle;
	case 1: return s->clint.mtime;
	case 2: return s->csr.minstret;
	case 3: case 4: case 5: return s->csr.hpm[idx - 3];
	case 6: case 7: return s->gwb ? s->csr.hpm[idx - 3] : 0;
	default: return 0;
	}
}

/* Read addr; -ENOENT when it does not exist (umbra_csr.sv's read case). */
static int csr_read(const struct iss *s, uint32_t addr, uint32_t *val)
{
	const struct iss_csrs *c = &s->csr;

	*val = 0;
	switch (addr) {
	case 0x100: *val = c->mstatus & SSTATUS_MASK; return 0;
	case 0x104: *val = c->mie & c->mideleg; return 0;
	case 0x105: *val = c->stvec; return 0;
	case 0x106: *val = c->scounteren; return 0;
	case 0x10a: return 0;                                   /* senvcfg */
	case 0x140: *val = c->sscratch; return 0;
	case 0x141: *val = c->sepc; return 0;
	case 0x142: *val = c->scause; return 0;
	case 0x143: *val = c->stval; return 0;
	case 0x144: *val = iss_csr_mip(s) & c->mideleg; return 0;
	case 0x180: *val = c->satp; return 0;
	case 0x300: *val = c->mstatus; return 0;
	case 0x301: *val = MISA_VALUE; return 0;
	case 0x302: *val = c->medeleg; return 0;
	case 0x303: *val = c->mideleg; return 0;
	case 0x304: *val = c->mie; return 0;
	case 0x305: *val = c->mtvec; return 0;
	case 0x306: *val = c->mcounteren; return 0;
	case 0x30a: case 0x31a: case 0x310: return 0;            /* menvcfg(h), mstatush */
	case 0x320: *val = c->mcountinhibit; return 0;
	case 0x340: *val = c->mscratch; return 0;
	case 0x341: *val = c->mepc; return 0;
	case 0x342: *val = c->mcause; return 0;
	case 0x343: *val = c->mtval; return 0;
	case 0x344: *val = iss_csr_mip(s); return 0;
	case 0xf13: *val = MIMPID_VALUE; return 0;
	case CSR_MGWBCTL: *val = c->gwbctl; return s->gwb ? 0 : -ENOENT;
	case CSR_MGWBBASE: *val = c->gwbbase; return s->gwb ? 0 : -ENOENT;
	case CSR_MGWBIDX: *val = c->gwbidx; return s->gwb ? 0 : -ENOENT;
	case CSR_MGWBCAP: *val = c->gwbcap; return s->gwb ? 0 : -ENOENT;
	case 0xf11: case 0xf12: case 0xf14: case 0xf15: return 0;
	default: break;
	}
	if (addr >= 0x323 && addr <= 0x33f)                     /* mhpmevent3..31 */
		return 0;
	if ((addr >= 0x3a0 && addr <= 0x3a3) || (addr >= 0x3b0 && addr <= 0x3bf))  /* pmp */
		return 0;
	if ((addr & ~0x9fu) == 0xb00 || (addr & ~0x9fu) == 0xc00) {  /* [m]counters and ...h */
		uint64_t v = counter_value(s, addr & 31u);

		if ((addr & 0xf00u) == 0xb00 && (addr & 31u) == 1)
			return -ENOENT;                          /* no mtime CSR */
		*val = (addr & 0x80u) ? (uint32_t)(v >> 32) : (uint32_t)v;
		return 0;
	}
	return -ENOENT;
}

static bool counter_allowed(const struct iss *s, uint32_t addr)
{
	unsigned idx = addr & 31u;

	if ((addr & ~0x9fu) != 0xc00 || s->priv == ISS_PRIV_M)
		return true;
	if (s->priv == ISS_PRIV_S)
		return (s->csr.mcounteren >> idx) & 1u;
	return ((s->csr.mcounteren & s->csr.scounteren) >> idx) & 1u;
}

static void set_half(uint64_t *v, bool high, uint32_t w)
{
	*v = high ? (*v & 0xffffffffull) | ((uint64_t)w << 32) : (*v & ~0xffffffffull) | w;
}

static void csr_write(struct iss *s, uint32_t addr, uint32_t w)
{
	struct iss_csrs *c = &s->csr;
	uint32_t mpp;

	switch (addr) {
	case 0x300:
		mpp = w & MSTATUS_MPP;
		if (mpp == (2u << MSTATUS_MPP_SHIFT))
			mpp = c->mstatus & MSTATUS_MPP;
		c->mstatus = (((c->mstatus & ~MSTATUS_MASK) | (w & MSTATUS_MASK)) & ~MSTATUS_MPP) | mpp;
		break;
	case 0x100: c->mstatus = (c->mstatus & ~SSTATUS_MASK) | (w & SSTATUS_MASK); break;
	case 0x302: c->medeleg = w & MEDELEG_MASK; break;
	case 0x303: c->mideleg = w & MIDELEG_MASK; break;
	case 0x304: c->mie = w & MIE_MASK; break;
	case 0x104: c->mie = (c->mie & ~c->mideleg) | (w & c->mideleg & MIE_MASK); break;
	case 0x344: c->mip_sw = w & MIP_SW_MASK; break;
	case 0x144: c->mip_sw = (c->mip_sw & ~(c->mideleg & 2u)) | (w & c->mideleg & 2u); break;
	case 0x305: if ((w & 3u) < 2) c->mtvec = w & ~2u; break;
	case 0x105: if ((w & 3u) < 2) c->stvec = w & ~2u; break;
	case 0x306: c->mcounteren = w; break;
	case 0x106: c->scounteren = w; break;
	case 0x320: c->mcountinhibit = w & MCOUNTINHIBIT_MASK; break;
	case 0x340: c->mscratch = w; break;
	case 0x140: c->sscratch = w; break;
	case 0x341: c->mepc = w & ~3u; break;
	case 0x141: c->sepc = w & ~3u; break;
	case 0x342: c->mcause = w; break;
	case 0x142: c->scause = w; break;
	case 0x343: c->mtval = w; break;
	case 0x143: c->stval = w; break;
	case 0x180: c->satp = w & SATP_MASK; break;
	case 0xb00: case 0xb80: set_half(&c->mcycle, addr & 0x80u, w); s->wrote_mcycle = true; break;
	case 0xb02: case 0xb82: set_half(&c->minstret, addr & 0x80u, w); s->wrote_minstret = true; break;
	case 0xb03: case 0xb04: case 0xb05: case 0xb83: case 0xb84: case 0xb85:
	case 0xb06: case 0xb07: case 0xb86: case 0xb87:
		if ((addr & 31u) >= 6 && !s->gwb)
			break;   /* reads 0 without the extension */
		set_half(&c->hpm[(addr & 31u) - 3], addr & 0x80u, w);
		s->wrote_hpm[(addr & 31u) - 3] = true;
		s->wrote_hpm_any = true;
		break;
	case CSR_MGWBCTL: c->gwbctl = w & MGWBCTL_EN; break;
	case CSR_MGWBBASE: c->gwbbase = w & MGWBBASE_MASK; break;
	case CSR_MGWBIDX: c->gwbidx = w & MGWBIDX_MASK; break;
	case CSR_MGWBCAP:   /* WARL: a power of two in 1..4096 takes effect, anything else is ignored */
		if (w && w <= MGWBCAP_MAX && !(w & (w - 1)))
			c->gwbcap = w;
		break;
	default: break;
	}
}

int iss_csr_access(struct iss *s, uint32_t addr, unsigned op, bool write, uint32_t wdata,
		   uint32_t *old)
{
	uint32_t rd, oldv, w;

	if (csr_read(s, addr, &rd) ||
	    ((addr >> 8) & 3u) > s->priv ||
	    (write && (addr >> 10) == 3u) ||
	    (addr == 0x180 && s->priv == ISS_PRIV_S && (s->csr.mstatus & MSTATUS_TVM)) ||
	    !counter_allowed(s, addr))
		return -EPERM;
	*old = rd;
	if (!write)
		return 0;
	oldv = (addr == 0x344 || addr == 0x144) ? (s->csr.mip_sw & MIP_SW_MASK) : rd;
	w = op == ISS_CSR_RS ? oldv | wdata : op == ISS_CSR_RC ? oldv & ~wdata : wdata;
	csr_write(s, addr, w);
	if (addr == 0x180)
		iss_mmu_flush(s);   /* a satp write flushes the TLBs, as umbra_mmu.sv */
	return 0;
}
