/* hv_trap.c: every exit from the guest: SBI, satp/sfence.vma/WFI emulation, shadow page faults, PTE-write emulation, MMIO, GWB drain, the multiplexed timer, audit. */
#include "hv.h"

#include "csr_bits.h"
#include "hv_csr.h"
#include "matq.h"
#include "platform.h"

/*
 * Rules:
 *  1. Each exit is counted under exactly one reason, with the cycles from the first
 *     instruction of the vector to the end of hv_trap() (the return path is not counted).
 *  2. Coherence points are the guest's sfence.vma and satp writes and a GWB-full trap: the
 *     GWB log is drained, out-of-sync pages resynced, the TLB flushed; with audit=1 the
 *     whole shadow is audited right after and a mismatch stops the run.
 *  3. Anything the guest would have taken on real hardware (a true page fault, an illegal
 *     instruction of its own, an access fault outside its devices) is injected into S-mode
 *     exactly as the hardware would have delivered it.
 *  4. The M-mode timer is armed at min(the guest's SBI deadline, the earliest maturity);
 *     the guest sees STIP exactly as with a timer of its own: raised when its deadline
 *     passes, cleared by its next set_timer.
 *  5. An emulated WFI sleeps in M-mode until an interrupt the guest has enabled is
 *     pending; the host disk's interrupt and the timer are served inline meanwhile (the
 *     guest is idle: an idle safepoint).
 */

#define OPC_LOAD 0x03u
#define OPC_STORE 0x23u
#define OPC_SYSTEM 0x73u
#define INSN_SFENCE_MASK 0xfe007fffu
#define INSN_SFENCE 0x12000073u
#define INSN_WFI 0x10500073u
#define CSR_SATP 0x180u

#define SBI_LEGACY_SET_TIMER 0x00u
#define SBI_LEGACY_PUTCHAR 0x01u
#define SBI_LEGACY_SHUTDOWN 0x08u
#define SBI_EXT_BASE 0x10u
#define SBI_EXT_TIME 0x54494d45u
#define SBI_EXT_UMBRA 0x09554d42u /* vendor range: "UMB" */
#define SBI_UMBRA_STAT 0u         /* a0 = gpa of the name, a1/a2 = value lo/hi */
#define SBI_UMBRA_END 1u          /* the workload is done: print the summary */
#define SBI_ERR_NOT_SUPPORTED ((uint32_t)-2)
#define SBI_ERR_INVALID_PARAM ((uint32_t)-3)

static inline uint32_t mode_of(uint32_t mstatus)
{
	return (mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
}

static void inject(struct hv_frame *f, uint32_t cause, uint32_t tval)
{
	uint32_t st = f->mstatus;

	csr_write(scause, cause);
	csr_write(stval, tval);
	csr_write(sepc, f->mepc);
	st &= ~(MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE | MSTATUS_MPP);
	if (mode_of(f->mstatus) == MODE_S)
		st |= MSTATUS_SPP;
	if (f->mstatus & MSTATUS_SIE)
		st |= MSTATUS_SPIE;
	st |= MSTATUS_MPP_S;
	f->mstatus = st;
	f->mepc = csr_read(stvec) & ~3u;
}

static uint8_t *gpa_ptr(uint32_t gpa)
{
	return (uint8_t *)(gpa + hv.guest_offset);
}

/* The guest's own satp: the hardware's in native mode, the emulated one otherwise. */
static uint32_t guest_satp(void)
{
	return hv.mode == PT_NATIVE ? csr_read(satp) : hv.guest_satp;
}

uint64_t hv_mcycle(void)
{
	uint32_t hi, lo, h2;

	do {
		hi = csr_read(mcycleh);
		lo = csr_read(mcycle);
		h2 = csr_read(mcycleh);
	} while (hi != h2);
	return ((uint64_t)hi << 32) | lo;
}

/* The full mcycle of a trap's entry, from the low half the vector saved. */
static uint64_t entry_cycle(const struct hv_frame *f)
{
	uint64_t now = hv_mcycle();

	return now - (uint32_t)((uint32_t)now - f->cycle_in);
}

/* Fetches the guest instruction at gva through the guest's own tables; 0 if it cannot. */
static int fetch_insn(struct hv_frame *f, uint32_t gva, uint32_t *insn)
{
	struct gwalk w;

	shadow_gwalk(&hv.sh, guest_satp(), gva, ACC_EXEC, mode_of(f->mstatus) == MODE_U, 0, 0, &w);
	if (w.result != GW_OK || !shadow_gpa_in_ram(&hv.sh, w.gpa) || (w.gpa & 3u))
		return -1;
	*insn = *(const uint32_t *)gpa_ptr(w.gpa);
	return 0;
}

static void set_rd(struct hv_frame *f, uint32_t rd, uint32_t v)
{
	if (rd)
		f->regs[rd] = v;
}

static void audit_now(void)
{
	static char report[200];

	if (hv.audit_selftest) {
		/* prove the audit can fail: flip U in one live leaf spte behind the shadow's back */
		for (struct shadow_page *sp = hv.sh.live; sp; sp = sp->next)
			for (uint32_t i = 0; sp->level == 0 && i < PTES_PER_TABLE; i++)
				if (sp->table[i] & PTE_V) {
					sp->table[i] ^= PTE_U;
					hv.audit_selftest = 0;
					goto audit;
				}
	}
audit:
	if (hv_stats_check() || (hv.mode == PT_GWB && gwb_log_check(&hv.gwb)))
		hv_fail("audit: the stats block or the GWB log description is corrupt", 5);
	if (vdisk_check())
		hv_fail("audit: the legacy disk or its maturity queue broke a rule (vdisk_check)", 5);
	if (shadow_audit(&hv.sh, report, sizeof(report))) {
		hv_console_puts("hv: error: ");
		hv_console_puts(report);
		hv_console_puts("\nhv: error: shadow page tables disagree with the guest's: run stopped by the audit\n");
		hv.ended = 1;
		hv_finish((5u << 16) | FINISHER_FAIL);
	}
}

void hv_gwb_drain(void)
{
	uint32_t n;

	if (hv.mode != PT_GWB)
		return;
	__asm__ volatile("csrr %0, 0x7c2" : "=r"(n));
	if (gwb_log_drain(&hv.gwb, &hv.sh, n) < 0)
		hv_fail("GWB index beyond the log capacity", 6);
	__asm__ volatile("csrw 0x7c2, zero" ::: "memory");
}

void hv_coherence_point(void)
{
	hv_gwb_drain();
	shadow_sync(&hv.sh);
	hv_tlb_flush(0);
	hv_stats_update();
	if (hv.audit)
		audit_now();
}

/* ---- SBI ---- */

/* Rule 4: mtimecmp = min(guest deadline, earliest maturity converted to mtime). */
void hv_timer_rearm(void)
{
	uint64_t mat = vdisk_next_maturity(), when = hv.guest_timer;

	if (mat != MATQ_NONE) {
		uint64_t now = hv_mcycle(), mtime = clint_read_mtime(), t = mtime;

		if (mat > now)
			t = mtime + (mat - now + hv.cycles_per_tick - 1) / hv.cycles_per_tick;
		if (t < when)
			when = t;
	}
	clint_set_mtimecmp(when);
}

static void set_timer(uint64_t t)
{
	hv.guest_timer = t;
	csr_clear(mip, MIP_STIP);
	hv_timer_rearm();
}

/* The M-mode timer fired (or may have): the guest's deadline, then the maturities. */
static void timer_service(uint64_t now)
{
	if (hv.guest_timer != ~0ull && clint_read_mtime() >= hv.guest_timer) {
		hv.guest_timer = ~0ull;
		csr_set(mip, MIP_STIP);
	}
	vdisk_timer(now);
	hv_timer_rearm();
}

static uint32_t read_guest_string(uint32_t gpa, char *dst, uint32_t cap)
{
	for (uint32_t i = 0; i < cap; i++) {
		if (gpa + i < HV_GUEST_GPA || gpa + i >= HV_GUEST_GPA + HV_GUEST_SIZE)
			return 0;
		dst[i] = (char)*gpa_ptr(gpa + i);
		if (!dst[i])
			return i;
	}
	return 0;
}

/* The keys the guest may set: work.*, and io.lost_completions (its legacy driver counts them). */
static int guest_key(const char *name)
{
	static const char lost[] = "io.lost_completions";
	uint32_t i;

	if (name[0] == 'w' && name[1] == 'o' && name[2] == 'r' && name[3] == 'k' && name[4] == '.')
		return 1;
	for (i = 0; lost[i] && name[i] == lost[i]; i++)
		;
	return !lost[i] && !name[i];
}

static void sbi_umbra(struct hv_frame *f, uint32_t fid)
{
	char name[UMBRA_STATS_NAME];
	uint64_t *slot;

	if (fid == SBI_UMBRA_END) {
		hv_gwb_drain();
		hv_stats_update();
		hv_summary();
		hv.ended = 1;
		f->regs[10] = 0;
		return;
	}
	if (fid != SBI_UMBRA_STAT) {
		f->regs[10] = SBI_ERR_NOT_SUPPORTED;
		return;
	}
	if (!read_guest_string(f->regs[10], name, sizeof(name)) || !guest_key(name)) {
		f->regs[10] = SBI_ERR_INVALID_PARAM; /* the guest may only name work.* keys */
		return;
	}
	slot = hv_stats_add(name);
	if (!slot) {
		f->regs[10] = SBI_ERR_INVALID_PARAM;
		return;
	}
	*slot = ((uint64_t)f->regs[12] << 32) | f->regs[11];
	f->regs[10] = 0;
}

static void sbi_call(struct hv_frame *f)
{
	uint32_t eid = f->regs[17], fid = f->regs[16];

	f->mepc += 4;
	switch (eid) {
	case SBI_LEGACY_PUTCHAR: {
		char s[2] = { (char)f->regs[10], 0 };

		hv_console_puts(s);
		f->regs[10] = 0;
		break;
	}
	case SBI_LEGACY_SET_TIMER:
		set_timer(((uint64_t)f->regs[11] << 32) | f->regs[10]);
		f->regs[10] = 0;
		break;
	case SBI_EXT_TIME:
		set_timer(((uint64_t)f->regs[11] << 32) | f->regs[10]);
		f->regs[10] = 0;
		f->regs[11] = 0;
		break;
	case SBI_LEGACY_SHUTDOWN:
		hv_finish(FINISHER_PASS);
	case SBI_EXT_BASE:
		f->regs[10] = 0;
		f->regs[11] = fid == 0 ? 2u : 0u; /* spec version 0.2; no other base function */
		break;
	case SBI_EXT_UMBRA:
		sbi_umbra(f, fid);
		break;
	default:
		f->regs[10] = SBI_ERR_NOT_SUPPORTED;
		break;
	}
}

/* ---- illegal instructions: satp, sfence.vma, wfi ---- */

/*
 * A new address space gets the guest's trap vector mapped at once: an interrupt must not
 * fault on its handler's first fetch (the lockstep checker cannot pair an interrupt with a
 * fault of that first instruction), and the guest is spared a hidden fault. Not counted
 * as a guest fault.
 */
static void prefault_vector(void)
{
	struct shadow_stats keep = hv.sh.st;
	struct gwalk w;

	if (shadow_page_fault(&hv.sh, csr_read(stvec) & ~3u, ACC_EXEC, 0, 0, 0, &w) == FA_NOMEM)
		hv_fail("shadow page pool exhausted (HV_POOL_PAGES) although every cached root was dropped", 9);
	hv.sh.st.hidden_faults = keep.hidden_faults;
	hv.sh.st.true_faults = keep.true_faults;
}

/* Rule 5: the guest waits for an interrupt; the hypervisor waits with it and serves its own. */
static enum hv_exit emulate_wfi(struct hv_frame *f)
{
	f->mepc += 4;
	for (;;) {
		uint64_t now = hv_mcycle();

		vdisk_host_service(0, 1);
		vdisk_idle();
		timer_service(now);
		if (csr_read(mip) & csr_read(mie) & MIP_S_ALL)
			break;
		__asm__ volatile("wfi");
	}
	return HV_EXIT_wfi;
}

static enum hv_exit emulate_system(struct hv_frame *f)
{
	uint32_t insn, funct3, csr, rs1, rd, src, old, nv;

	if (mode_of(f->mstatus) != MODE_S || fetch_insn(f, f->mepc, &insn) || (insn & 0x7fu) != OPC_SYSTEM) {
		inject(f, CAUSE_ILLEGAL_INSN, f->mtval);
		return HV_EXIT_illegal;
	}
	if (insn == INSN_WFI)
		return emulate_wfi(f);
	if (hv.mode == PT_NATIVE) {
		/* satp and sfence.vma do not trap natively: this one is the guest's own */
		inject(f, CAUSE_ILLEGAL_INSN, f->mtval);
		return HV_EXIT_illegal;
	}
	if ((insn & INSN_SFENCE_MASK) == INSN_SFENCE) {
		f->mepc += 4;
		hv_coherence_point();
		return HV_EXIT_sfence;
	}
	funct3 = (insn >> 12) & 7u;
	csr = insn >> 20;
	rs1 = (insn >> 15) & 31u;
	rd = (insn >> 7) & 31u;
	if (csr != CSR_SATP || funct3 == 0 || funct3 == 4) {
		inject(f, CAUSE_ILLEGAL_INSN, f->mtval);
		return HV_EXIT_illegal;
	}
	src = funct3 & 4u ? rs1 : f->regs[rs1];
	old = hv.guest_satp;
	switch (funct3 & 3u) {
	case 1: nv = src; break;
	case 2: nv = old | src; break;
	default: nv = old & ~src; break;
	}
	f->mepc += 4;
	set_rd(f, rd, old);
	if ((funct3 & 3u) != 1 && rs1 == 0)
		return HV_EXIT_satp; /* a read */
	/* WARL: Bare or Sv32; ASID bits kept as written */
	nv &= SATP_SV32 | SATP_ASID | SATP_PPN_MASK;
	hv_gwb_drain();
	shadow_sync(&hv.sh);
	hv.guest_satp = nv;
	HV_TRACE("satp", nv);
	nv = shadow_set_guest_satp(&hv.sh, nv);
	if (!nv)
		hv_fail("no shadow page left for a new root (HV_POOL_PAGES)", 9);
	csr_write(satp, nv);
	prefault_vector();
	hv_stats_update();
	if (hv.audit)
		audit_now();
	return HV_EXIT_satp;
}

/* ---- page faults ---- */

static enum hv_exit emulate_mmio(struct hv_frame *f, uint32_t gpa, enum access acc)
{
	uint32_t insn;

	if (acc == ACC_STORE && gpa == HV_FINISHER_GPA && !fetch_insn(f, f->mepc, &insn) &&
	    (insn & 0x707fu) == (OPC_STORE | (2u << 12))) {
		/* the test finisher, passed through (after the summary) */
		hv_finish(f->regs[(insn >> 20) & 31u]);
	}
	if (acc != ACC_EXEC && gpa - VDISK_GPA < VDISK_SIZE && !(gpa & 3u) && !fetch_insn(f, f->mepc, &insn) &&
	    (insn & 0x707fu) == ((acc == ACC_STORE ? OPC_STORE : OPC_LOAD) | (2u << 12))) {
		/* the legacy disk: aligned lw/sw only (docs/io.md §1) */
		uint32_t v = acc == ACC_STORE ? f->regs[(insn >> 20) & 31u] : 0;

		vdisk_mmio(gpa - VDISK_GPA, acc == ACC_STORE, &v, entry_cycle(f));
		if (acc == ACC_LOAD)
			set_rd(f, (insn >> 7) & 31u, v);
		f->mepc += 4;
		return HV_EXIT_mmio;
	}
	/* nothing else is mapped for the guest: the access fault it would take on the bus */
	inject(f, acc == ACC_STORE ? CAUSE_STORE_ACCESS : acc == ACC_LOAD ? CAUSE_LOAD_ACCESS : CAUSE_FETCH_ACCESS,
	       f->mtval);
	return HV_EXIT_mmio;
}

static enum hv_exit emulate_pte_store(struct hv_frame *f, uint32_t gpa)
{
	uint32_t insn, size, val;
	uint8_t *p = gpa_ptr(gpa);

	if (fetch_insn(f, f->mepc, &insn) || (insn & 0x7fu) != OPC_STORE || ((insn >> 12) & 7u) > 2) {
		hv_fail("a write-protected guest page table was written by an instruction that is not a store", 7);
	}
	size = 1u << ((insn >> 12) & 7u);
	val = f->regs[(insn >> 20) & 31u];
	if (size == 4)
		*(uint32_t *)p = val;
	else if (size == 2)
		*(uint16_t *)p = (uint16_t)val;
	else
		*p = (uint8_t)val;
	track_write(&hv.sh, gpa, size == 4 ? val : size == 2 ? (val & 0xffffu) : (val & 0xffu), size);
	f->mepc += 4;
	return HV_EXIT_pte_write;
}

static enum hv_exit page_fault(struct hv_frame *f, enum access acc)
{
	struct gwalk w;
	uint32_t st = f->mstatus;
	enum fault_action a;

	a = shadow_page_fault(&hv.sh, f->mtval, acc, mode_of(st) == MODE_U, !!(st & MSTATUS_SUM),
			      !!(st & MSTATUS_MXR), &w);
	HV_TRACE("page fault gva", f->mtval);
	HV_TRACE("  action", (uint32_t)a);
	switch (a) {
	case FA_FIXED:
		return HV_EXIT_hidden_fault;
	case FA_UNSYNCED:
		return HV_EXIT_unsync;
	case FA_EMULATE:
		return emulate_pte_store(f, w.gpa);
	case FA_MMIO:
		return emulate_mmio(f, w.gpa, acc);
	case FA_NOMEM:
		hv_fail("shadow page pool exhausted (HV_POOL_PAGES) although every cached root was dropped", 9);
	case FA_INJECT:
	default:
		if (w.result == GW_ACCESS_FAULT)
			inject(f, acc == ACC_STORE ? CAUSE_STORE_ACCESS : acc == ACC_LOAD ? CAUSE_LOAD_ACCESS
											  : CAUSE_FETCH_ACCESS,
			       f->mtval);
		else
			inject(f, f->mcause, f->mtval);
		return HV_EXIT_true_fault;
	}
}

static enum hv_exit access_fault(struct hv_frame *f, enum access acc)
{
	struct gwalk w;
	uint32_t st = f->mstatus;

	/* an access fault from the guest: walk its tables to find the gpa it meant */
	shadow_gwalk(&hv.sh, guest_satp(), f->mtval, acc, mode_of(st) == MODE_U, !!(st & MSTATUS_SUM),
		     !!(st & MSTATUS_MXR), &w);
	if (w.result != GW_OK) {
		inject(f, f->mcause, f->mtval);
		return HV_EXIT_true_fault;
	}
	return emulate_mmio(f, w.gpa, acc);
}

int hv_probe_trap(struct hv_frame *f);

void hv_trap(struct hv_frame *f)
{
	uint32_t cause = f->mcause, now;
	enum hv_exit why;

	if (mode_of(f->mstatus) == MODE_M) {
		if (hv_probe_trap(f))
			return;
		hv_console_puts("hv: error: unexpected trap in the hypervisor, mcause ");
		hv_console_hex(cause);
		hv_console_puts(" mepc ");
		hv_console_hex(f->mepc);
		hv_console_puts(" mtval ");
		hv_console_hex(f->mtval);
		hv_console_puts("\n");
		hv.ended = 1;
		hv_finish((8u << 16) | FINISHER_FAIL);
	}
	if (cause & CAUSE_INTERRUPT) {
		if ((cause & ~CAUSE_INTERRUPT) == IRQ_M_TIMER) {
			/* the guest's SBI timer (as STIP) or a maturity wake-up */
			timer_service(entry_cycle(f));
			why = HV_EXIT_timer;
		} else if ((cause & ~CAUSE_INTERRUPT) == IRQ_M_EXT) {
			/* the host disk finished: deliver or queue by the policy */
			vdisk_host_service(entry_cycle(f), 0);
			hv_timer_rearm();
			why = HV_EXIT_hostio;
		} else {
			why = HV_EXIT_other;
		}
	} else {
		switch (cause) {
		case CAUSE_ECALL_S:
			sbi_call(f);
			why = HV_EXIT_sbi;
			break;
		case CAUSE_ILLEGAL_INSN:
			why = emulate_system(f);
			break;
		case CAUSE_FETCH_PAGE_FAULT:
			why = page_fault(f, ACC_EXEC);
			break;
		case CAUSE_LOAD_PAGE_FAULT:
			why = page_fault(f, ACC_LOAD);
			break;
		case CAUSE_STORE_PAGE_FAULT:
			why = page_fault(f, ACC_STORE);
			break;
		case CAUSE_LOAD_ACCESS:
			why = access_fault(f, ACC_LOAD);
			break;
		case CAUSE_STORE_ACCESS:
			why = access_fault(f, ACC_STORE);
			break;
		case CAUSE_GWB_FULL:
			/* drain and re-execute the store; no flush needed beyond track_write()'s own */
			hv.gwb.full++;
			hv_gwb_drain();
			if (hv.audit)
				audit_now();
			why = HV_EXIT_gwb_full;
			break;
		default:
			inject(f, cause, f->mtval);
			why = HV_EXIT_other;
			break;
		}
	}
	__asm__ volatile("csrr %0, mcycle" : "=r"(now));
	*hv.stat_exit_count[why] += 1;
	*hv.stat_exit_cycles[why] += now - f->cycle_in;
}
