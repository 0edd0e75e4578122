/* vm_lib.h: Sv32 page tables, S/U-mode access probes and fault capture for the vm_* and priv_* tests. */
#ifndef UMBRA_VM_LIB_H
#define UMBRA_VM_LIB_H

/*
 * Header-only on purpose: firmware.mk builds one ELF from each .c file in firmware/tests, so shared
 * code lives in this subdirectory and every test includes it once ("common/vm_lib.h").
 *
 * Rules:
 *  1. Virtual address plan between vm_init() and vm_off() (satp Bare otherwise; the priv_*
 *     tests never turn paging on):
 *       VM_VA_IDENT   0x80000000  megapage -> RAM 0x80000000, RWX A D, S-only: the program,
 *                                 its stacks, page tables and frames; M and S code run here.
 *       VM_VA_UALIAS  0xC0000000  the same 4 MiB of RAM with U=1: U-mode code runs only here
 *                                 (vm_run() relocates the probe), so the S trap vector and
 *                                 stacks stay S-only and delegated traps from U work.
 *       UART_BASE     0x10000000  megapage, S-only RW, so an S-mode failure can still print.
 *       VM_VA_PAGES   0x40000000  1024 4 KiB test pages through vm_l0 (all invalid at start).
 *       VM_VA_MEGA    0x40400000  a megapage slot for tests (invalid at start).
 *     Every memory access that is meant to succeed stays in RAM 0x80000000..0x800fffff (the
 *     image).  Accesses meant to fault on purpose go to UNMAPPED_ADDR, to physical
 *     0x00400000 (nothing there on either platform) or above 4 GiB.
 *  2. Every PTE write goes through vm_set_pte(), which ends with sfence.vma: umbra's TLBs
 *     cache PTEs, QEMU's too.
 *  3. Frame k holds at word offset 0 the stub "addi a0, zero, 0x100+k; ret" (so a fetch
 *     through any page tells which frame ran) and at every other byte offset off the word
 *     VM_PATTERN(k, off).  vm_init() rewrites them and runs fence.i.
 *  4. Probes are position-independent assembly that end with ecall, so run_in_mode() returns
 *     their a0 and they run unchanged from the U alias.  A faulting access in a probe is
 *     caught by vm_on_exception() only between vm_catch_begin() and vm_catch_end(): it records
 *     the fault in vm_caught and resumes after the access (at ra for a fetch fault).
 */

#include "test.h"

/* ---- Sv32 PTE layout ---- */
#define PTE_V   0x001u
#define PTE_R   0x002u
#define PTE_W   0x004u
#define PTE_X   0x008u
#define PTE_U   0x010u
#define PTE_G   0x020u
#define PTE_A   0x040u
#define PTE_D   0x080u
#define PTE_RSW 0x300u
#define PTE_PPN_SHIFT 10
#define PTE_RWX (PTE_R | PTE_W | PTE_X)
#define PTE_AD  (PTE_A | PTE_D)

_Static_assert(((PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_G | PTE_A | PTE_D | PTE_RSW) >> PTE_PPN_SHIFT) == 0,
	       "PTE flag bits overlap the PPN");
_Static_assert((PTE_V & PTE_RWX) == 0 && (PTE_RWX & (PTE_U | PTE_G | PTE_AD | PTE_RSW)) == 0 &&
	       ((PTE_U | PTE_G) & (PTE_AD | PTE_RSW)) == 0 && (PTE_AD & PTE_RSW) == 0,
	       "PTE flag bits overlap");

#define VM_PAGE   0x1000u
#define VM_MEGA   0x400000u
#define VM_VPN1(va) ((uint32_t)(va) >> 22)
#define VM_VPN0(va) (((uint32_t)(va) >> 12) & 0x3ffu)
/* PTE from a physical page number (22 bits: may reach 34-bit physical addresses). */
#define VM_PTE_PPN(ppn, flags) (((uint32_t)(ppn) << PTE_PPN_SHIFT) | (flags))
#define VM_PTE(pa, flags) VM_PTE_PPN((uint32_t)(pa) >> 12, (flags))

/* ---- virtual address plan (rule 1) ---- */
#define VM_VA_IDENT  0x80000000u
#define VM_VA_UALIAS 0xc0000000u
#define VM_VA_PAGES  0x40000000u
#define VM_VA_MEGA   0x40400000u
#define VM_PAGE_VA(i) (VM_VA_PAGES + (uint32_t)(i) * VM_PAGE)
/* U-mode view of an address inside the image. */
#define VM_UALIAS(p) ((uint32_t)(p) - VM_VA_IDENT + VM_VA_UALIAS)

#define VM_NFRAMES 6
#define VM_PATTERN(k, off) (0xa5000000u | ((uint32_t)(k) << 16) | (uint32_t)(off))
#define VM_STUB_VALUE(k) (0x100u + (uint32_t)(k))
#define VM_POISON    0xdeadbeefu /* a probe's result when its access faulted */
#define VM_STORE_XOR 0x5a5a5a5au /* vm_probe_sw stores va ^ VM_STORE_XOR */
#define INSN_RET     0x00008067u

_Static_assert(MSTATUS_MPP == 0x1800u && MSTATUS_MPRV == 0x20000u && MSTATUS_MPIE == 0x80u,
	       "constants hard-coded in the probe assembly");

/* ---- page tables and frames (bss, inside the image; crt0 zeroes them) ---- */
static uint32_t vm_root[1024] __attribute__((aligned(4096), unused));
static uint32_t vm_l0[1024] __attribute__((aligned(4096), unused));
static uint32_t vm_frames[VM_NFRAMES][1024] __attribute__((aligned(4096), unused));
static int vm_paging __attribute__((unused));

/* ---- fault capture (rule 4) ---- */
struct vm_fault {
	uint32_t count;  /* exceptions caught since vm_catch_begin() */
	uint32_t cause;  /* of the first one, like tval, epc, mode, prev and status */
	uint32_t tval;
	uint32_t epc;
	uint32_t mode;   /* MODE_M or MODE_S: the handler that took it */
	uint32_t prev;   /* mode the hart was in (mstatus.MPP / sstatus.SPP at the trap) */
	uint32_t status; /* mstatus / sstatus at the trap */
};
static volatile struct vm_fault vm_caught __attribute__((unused));
static volatile int vm_catching __attribute__((unused));

/* Result of one probe run: the probe's a0 and the fault, if any. */
struct vm_result {
	uint32_t value;
	uint32_t faults;
	uint32_t cause;
	uint32_t tval;
	uint32_t epc;
	uint32_t mode;
	uint32_t prev;
	uint32_t status;
};

/* ---- probes (assembly, rule 4); *_at labels mark the accessing instruction ---- */
uint32_t vm_probe_lw(uint32_t va);   /* a0 = *(u32 *)va, or VM_POISON */
uint32_t vm_probe_sw(uint32_t va);   /* *(u32 *)va = va ^ VM_STORE_XOR; a0 = 0 */
uint32_t vm_probe_call(uint32_t va); /* a0 = ((u32 (*)(void))va)(), or 0 on a fetch fault */
uint32_t vm_probe_sfence_lw(uint32_t va); /* sfence.vma va; then as vm_probe_lw */
/* M-mode only: set mstatus bits (MPRV, MPP, SUM, MXR), access va, clear them again. */
uint32_t vm_mprv_lw(uint32_t va, uint32_t mstatus_bits);
uint32_t vm_mprv_sw(uint32_t va, uint32_t mstatus_bits);
uint32_t vm_mprv_call(uint32_t va, uint32_t mstatus_bits);
extern char vm_probe_lw_at[], vm_probe_sw_at[], vm_probe_sfence_lw_at[];
extern char vm_mprv_lw_at[], vm_mprv_sw_at[];

__asm__(
	"	.text\n"
	"	.balign 4\n"
	"	.globl vm_probe_lw, vm_probe_lw_at\n"
	"vm_probe_lw:\n"
	"	mv	t0, a0\n"
	"	li	a0, 0xdeadbeef\n"
	"vm_probe_lw_at:\n"
	"	lw	a0, 0(t0)\n"
	"1:	ecall\n"
	"	j	1b\n"
	"	.globl vm_probe_sw, vm_probe_sw_at\n"
	"vm_probe_sw:\n"
	"	li	t1, 0x5a5a5a5a\n"
	"	xor	t1, t1, a0\n"
	"vm_probe_sw_at:\n"
	"	sw	t1, 0(a0)\n"
	"	li	a0, 0\n"
	"1:	ecall\n"
	"	j	1b\n"
	"	.globl vm_probe_call\n"
	"vm_probe_call:\n"
	"	mv	t0, a0\n"
	"	li	a0, 0\n"
	"	jalr	ra, 0(t0)\n"
	"1:	ecall\n"
	"	j	1b\n"
	"	.globl vm_probe_sfence_lw, vm_probe_sfence_lw_at\n"
	"vm_probe_sfence_lw:\n"
	"	mv	t0, a0\n"
	"	li	a0, 0xdeadbeef\n"
	"	sfence.vma t0, zero\n"
	"vm_probe_sfence_lw_at:\n"
	"	lw	a0, 0(t0)\n"
	"1:	ecall\n"
	"	j	1b\n"
	/*
	 * MPRV probes run in M-mode.  After a caught fault the handler's mret leaves
	 * mstatus.MPP = U with MPRV still 1, so nothing may touch memory between the access
	 * and the csrc that clears the bits again.
	 */
	"	.globl vm_mprv_lw, vm_mprv_lw_at\n"
	"vm_mprv_lw:\n"
	"	li	t0, 0x1800\n"
	"	csrc	mstatus, t0\n"
	"	li	t1, 0xdeadbeef\n"
	"	csrs	mstatus, a1\n"
	"vm_mprv_lw_at:\n"
	"	lw	t1, 0(a0)\n"
	"	csrc	mstatus, a1\n"
	"	mv	a0, t1\n"
	"	ret\n"
	"	.globl vm_mprv_sw, vm_mprv_sw_at\n"
	"vm_mprv_sw:\n"
	"	li	t0, 0x1800\n"
	"	csrc	mstatus, t0\n"
	"	li	t1, 0x5a5a5a5a\n"
	"	xor	t1, t1, a0\n"
	"	csrs	mstatus, a1\n"
	"vm_mprv_sw_at:\n"
	"	sw	t1, 0(a0)\n"
	"	csrc	mstatus, a1\n"
	"	li	a0, 0\n"
	"	ret\n"
	"	.globl vm_mprv_call\n"
	"vm_mprv_call:\n"
	"	addi	sp, sp, -16\n"
	"	sw	ra, 12(sp)\n"
	"	li	t0, 0x1800\n"
	"	csrc	mstatus, t0\n"
	"	mv	t1, a0\n"
	"	li	a0, 0\n"
	"	csrs	mstatus, a1\n"
	"	jalr	ra, 0(t1)\n"
	"	csrc	mstatus, a1\n"
	"	lw	ra, 12(sp)\n"
	"	addi	sp, sp, 16\n"
	"	ret\n");

/*
 * VM_PROBE_ASM(name, insn): a probe that sets a0 = VM_NOT_RUN, runs insn at label name_at,
 * then ecalls (a0 = whatever insn left there).  For tests of single privileged instructions.
 */
#define VM_NOT_RUN 0x600d
#define VM_PROBE_ASM(name, insn)                                                               \
	"	.text\n	.balign 4\n	.globl " #name ", " #name "_at\n" #name ":\n"           \
	"	li	a0, 0x600d\n" #name "_at:\n	" insn "\n1:	ecall\n	j	1b\n"

static inline int vm_is_fetch_fault(uint32_t cause)
{
	return cause == CAUSE_MISALIGNED_FETCH || cause == CAUSE_FETCH_ACCESS ||
	       cause == CAUSE_FETCH_PAGE_FAULT;
}

/* trap_exc_fn: records and skips any exception but ecalls while catching (rule 4). */
static inline int vm_on_exception(struct trap_frame *f, uint32_t mode)
{
	uint32_t c = f->cause;

	if (!vm_catching || c == CAUSE_ECALL_U || c == CAUSE_ECALL_S || c == CAUSE_ECALL_M)
		return 0;
	if (vm_caught.count++ == 0) {
		vm_caught.cause = c;
		vm_caught.tval = f->tval;
		vm_caught.epc = f->epc;
		vm_caught.mode = mode;
		vm_caught.status = f->status;
		if (mode == MODE_M)
			vm_caught.prev = (f->status & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
		else
			vm_caught.prev = (f->status & MSTATUS_SPP) ? MODE_S : MODE_U;
	}
	if (vm_is_fetch_fault(c) && f->epc == f->tval)
		f->epc = f->regs[1];
	else
		f->epc += 4;
	return 1;
}

static inline void vm_catch_begin(void)
{
	vm_caught.count = 0;
	vm_caught.cause = 0;
	vm_caught.tval = 0;
	vm_caught.epc = 0;
	vm_caught.mode = 0;
	vm_caught.prev = 0;
	vm_caught.status = 0;
	trap_set_exc_handler(vm_on_exception);
	vm_catching = 1;
}

static inline struct vm_result vm_catch_end(uint32_t value)
{
	struct vm_result r;

	vm_catching = 0;
	r.value = value;
	r.faults = vm_caught.count;
	r.cause = vm_caught.cause;
	r.tval = vm_caught.tval;
	r.epc = vm_caught.epc;
	r.mode = vm_caught.mode;
	r.prev = vm_caught.prev;
	r.status = vm_caught.status;
	return r;
}

/* Runs probe(arg) in S or U mode; U code runs from the U alias while paging is on. */
static inline struct vm_result vm_run(int mode, uint32_t (*probe)(uint32_t), uint32_t arg)
{
	uint32_t fn = (uint32_t)probe;
	uint32_t v;

	if (mode == MODE_U && vm_paging)
		fn = VM_UALIAS(fn);
	vm_catch_begin();
	v = run_in_mode(mode, (uint32_t (*)(uint32_t))fn, arg);
	return vm_catch_end(v);
}

/* M-mode access with mstatus bits (MPRV, MPP, SUM, MXR) set around it. */
static inline struct vm_result vm_run_mprv(uint32_t (*probe)(uint32_t, uint32_t), uint32_t va,
					   uint32_t mstatus_bits)
{
	uint32_t v;

	vm_catch_begin();
	v = probe(va, mstatus_bits);
	return vm_catch_end(v);
}

/* Where a probe's access instruction sits, as seen from mode. */
static inline uint32_t vm_probe_pc(const char *at, int mode)
{
	return (mode == MODE_U && vm_paging) ? VM_UALIAS(at) : (uint32_t)at;
}

/* ---- page tables (rule 2) ---- */
static inline void vm_sfence_all(void)
{
	__asm__ volatile("sfence.vma" : : : "memory");
}

static inline void vm_set_pte(uint32_t *pte, uint32_t val)
{
	*(volatile uint32_t *)pte = val;
	vm_sfence_all();
}

static inline uint32_t vm_get_pte(const uint32_t *pte)
{
	return *(const volatile uint32_t *)pte;
}

/* Level-1 entry for va in vm_root; level-0 entry for va (inside VM_VA_PAGES) in vm_l0. */
static inline uint32_t *vm_pte1(uint32_t va)
{
	return &vm_root[VM_VPN1(va)];
}

static inline uint32_t *vm_pte0(uint32_t va)
{
	return &vm_l0[VM_VPN0(va)];
}

static inline void vm_map_page(uint32_t va, uint32_t pa, uint32_t flags)
{
	vm_set_pte(vm_pte0(va), VM_PTE(pa, flags));
}

static inline void vm_map_mega(uint32_t va, uint32_t pa, uint32_t flags)
{
	vm_set_pte(vm_pte1(va), VM_PTE(pa, flags));
}

static inline uint32_t vm_frame_pa(int k)
{
	return (uint32_t)vm_frames[k];
}

/* VA of frame k's byte off through the megapage at mega_va that maps RAM 0x80000000. */
static inline uint32_t vm_mega_va(uint32_t mega_va, int k, uint32_t off)
{
	return mega_va + (vm_frame_pa(k) - VM_VA_IDENT) + off;
}

static inline uint32_t vm_frame_word(int k, uint32_t off)
{
	return *(volatile uint32_t *)(vm_frame_pa(k) + off);
}

/* Rule 3: stubs and patterns in every frame. */
static inline void vm_fill_frames(void)
{
	for (int k = 0; k < VM_NFRAMES; k++) {
		for (uint32_t i = 2; i < 1024; i++)
			vm_frames[k][i] = VM_PATTERN(k, 4 * i);
		/* addi a0, zero, 0x100+k */
		vm_frames[k][0] = (VM_STUB_VALUE(k) << 20) | (10u << 7) | 0x13u;
		vm_frames[k][1] = INSN_RET;
	}
	__asm__ volatile("fence.i" : : : "memory");
}

static inline uint32_t vm_satp(const uint32_t *root)
{
	return SATP_MODE_SV32 | ((uint32_t)root >> 12);
}

/* Builds the rule-1 tables, fills the frames and turns Sv32 on (for S/U and MPRV). */
static inline void vm_init(void)
{
	memset(vm_root, 0, sizeof(vm_root));
	memset(vm_l0, 0, sizeof(vm_l0));
	vm_fill_frames();
	vm_root[VM_VPN1(VM_VA_IDENT)] = VM_PTE(VM_VA_IDENT, PTE_V | PTE_RWX | PTE_AD);
	vm_root[VM_VPN1(VM_VA_UALIAS)] = VM_PTE(VM_VA_IDENT, PTE_V | PTE_RWX | PTE_U | PTE_AD);
	vm_root[VM_VPN1(UART_BASE)] = VM_PTE(UART_BASE, PTE_V | PTE_R | PTE_W | PTE_AD);
	vm_root[VM_VPN1(VM_VA_PAGES)] = VM_PTE(vm_l0, PTE_V);
	csr_write(satp, vm_satp(vm_root));
	vm_sfence_all();
	vm_paging = 1;
}

/* Bare translation again (satp = 0). */
static inline void vm_off(void)
{
	csr_write(satp, 0);
	vm_sfence_all();
	vm_paging = 0;
}

/* ---- checks ---- */

/* The probe ran without an exception and returned want. */
static inline void vm_expect_value(uint32_t case_no, struct vm_result r, uint32_t want)
{
	CHECK_EQ(case_no, r.faults, 0);
	CHECK_SIG(case_no, r.value, want);
}

/*
 * The probe took exactly one exception with cause, tval and epc, in the handler of
 * trap_mode, from the mode it ran in (prev).  sig() shows the cause.
 */
static inline void vm_expect_fault(uint32_t case_no, struct vm_result r, uint32_t cause,
				   uint32_t tval, uint32_t epc, uint32_t trap_mode, uint32_t prev)
{
	CHECK_EQ(case_no, r.faults, 1);
	CHECK_SIG(case_no, r.cause, cause);
	CHECK_EQ(case_no, r.tval, tval);
	CHECK_EQ(case_no, r.epc, epc);
	CHECK_EQ(case_no, r.mode, trap_mode);
	CHECK_EQ(case_no, r.prev, prev);
}

/*
 * The probe's instruction at `at` raised an illegal-instruction exception.  xtval may be 0
 * or the instruction bits (QEMU writes the bits); it is checked but not signed.
 */
static inline void vm_expect_illegal(uint32_t case_no, struct vm_result r, const char *at, int mode,
				     uint32_t trap_mode)
{
	vm_expect_fault(case_no, r, CAUSE_ILLEGAL_INSN, r.tval, vm_probe_pc(at, mode), trap_mode,
			(uint32_t)mode);
	CHECK(case_no, r.tval == 0 || r.tval == *(const volatile uint32_t *)at);
	CHECK_EQ(case_no, r.value, VM_NOT_RUN);
}

/* Shorthands for the probes of this file, trapping into M-mode. */
static inline void vm_expect_load_fault(uint32_t case_no, int mode, uint32_t va, uint32_t cause)
{
	struct vm_result r = vm_run(mode, vm_probe_lw, va);

	vm_expect_fault(case_no, r, cause, va, vm_probe_pc(vm_probe_lw_at, mode), MODE_M, (uint32_t)mode);
	CHECK_EQ(case_no, r.value, VM_POISON);
}

static inline void vm_expect_store_fault(uint32_t case_no, int mode, uint32_t va, uint32_t cause)
{
	struct vm_result r = vm_run(mode, vm_probe_sw, va);

	vm_expect_fault(case_no, r, cause, va, vm_probe_pc(vm_probe_sw_at, mode), MODE_M, (uint32_t)mode);
}

static inline void vm_expect_fetch_fault(uint32_t case_no, int mode, uint32_t va, uint32_t cause)
{
	struct vm_result r = vm_run(mode, vm_probe_call, va);

	vm_expect_fault(case_no, r, cause, va, va, MODE_M, (uint32_t)mode);
	CHECK_EQ(case_no, r.value, 0);
}

static inline void vm_expect_load(uint32_t case_no, int mode, uint32_t va, uint32_t want)
{
	vm_expect_value(case_no, vm_run(mode, vm_probe_lw, va), want);
}

/* The store went through and reached physical address pa. */
static inline void vm_expect_store(uint32_t case_no, int mode, uint32_t va, uint32_t pa)
{
	struct vm_result r = vm_run(mode, vm_probe_sw, va);

	CHECK_EQ(case_no, r.faults, 0);
	CHECK_SIG(case_no, *(volatile uint32_t *)pa, va ^ VM_STORE_XOR);
}

/* The fetch went through and ran the stub of frame k. */
static inline void vm_expect_fetch(uint32_t case_no, int mode, uint32_t va, int k)
{
	vm_expect_value(case_no, vm_run(mode, vm_probe_call, va), VM_STUB_VALUE(k));
}

#endif
