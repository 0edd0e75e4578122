/* gwb_lib.h: GWB (guest write buffer) access, presence probe, log checks and store probes for the gwb_* tests. */
#ifndef UMBRA_GWB_LIB_H
#define UMBRA_GWB_LIB_H

/*
 * Rules:
 *  1. QEMU has no GWB: every gwb_* test starts with gwb_require(), which on a machine where
 *     mgwbctl is illegal checks that all four GWB CSRs are illegal and ends the test with a
 *     pass (the same console line as on umbra), and on umbra insists the GWB is present.
 *  2. So that both consoles stay byte-identical, GWB results are never sig()ned: the tests
 *     check with CHECK/CHECK_EQ, which print nothing when they hold.
 *  3. The log lives in gwb_log (inside the image, 8 KiB aligned, GWB_LOG_ENTRIES records);
 *     gwb_reset_log() fills it with GWB_POISON so an unwritten record is recognisable, and
 *     sets mgwbbase = gwb_log, mgwbidx = 0, mgwbcap = GWB_LOG_ENTRIES.
 *  4. Store probes run from any mode (S/U through vm_run(), M through the MPRV helpers of
 *     vm_lib.h) and store GWB_STORE_VALUE(va) truncated to their size.
 */

#include "vm_lib.h"

#define PTE_T 0x100u /* GWB traced bit: PTE bit 8, the first RSW bit */
_Static_assert((PTE_T & PTE_RSW) == PTE_T && (PTE_T & (PTE_AD | PTE_RWX | PTE_U | PTE_G | PTE_V)) == 0,
	       "T is an RSW bit");
_Static_assert(CAUSE_GWB_FULL == 24, "GWB full cause");

#define GWB_LOG_ENTRIES 64u
#define GWB_POISON 0xdeadbeefu
#define GWB_STORE_VALUE(va) ((uint32_t)(va) ^ VM_STORE_XOR)

static uint32_t gwb_log[2 * GWB_LOG_ENTRIES] __attribute__((aligned(8192), unused));

/* Two levels so that the CSR number macro expands before csr_read() stringifies it. */
#define gwb_read(csr) csr_read(csr)
#define gwb_write(csr, v) csr_write(csr, v)

/* ---- store probes (rule 4): sb / sh of va ^ VM_STORE_XOR, then ecall ---- */
uint32_t gwb_probe_sb(uint32_t va);
uint32_t gwb_probe_sh(uint32_t va);
extern char gwb_probe_sb_at[], gwb_probe_sh_at[];
__asm__(
	"	.text\n"
	"	.balign 4\n"
	"	.globl gwb_probe_sb, gwb_probe_sb_at\n"
	"gwb_probe_sb:\n"
	"	li	t1, 0x5a5a5a5a\n"
	"	xor	t1, t1, a0\n"
	"gwb_probe_sb_at:\n"
	"	sb	t1, 0(a0)\n"
	"	li	a0, 0\n"
	"1:	ecall\n"
	"	j	1b\n"
	"	.globl gwb_probe_sh, gwb_probe_sh_at\n"
	"gwb_probe_sh:\n"
	"	li	t1, 0x5a5a5a5a\n"
	"	xor	t1, t1, a0\n"
	"gwb_probe_sh_at:\n"
	"	sh	t1, 0(a0)\n"
	"	li	a0, 0\n"
	"1:	ecall\n"
	"	j	1b\n");

/* Returns 1 when reading mgwbctl does not trap, 0 when it is an illegal instruction. */
static inline int gwb_csr_legal(uint32_t case_no, int which)
{
	uint32_t n = last_trap.count;

	trap_expect();
	switch (which) {
	case 0: (void)gwb_read(CSR_MGWBCTL); break;
	case 1: (void)gwb_read(CSR_MGWBBASE); break;
	case 2: (void)gwb_read(CSR_MGWBIDX); break;
	default: (void)gwb_read(CSR_MGWBCAP); break;
	}
	trap_expect_clear();
	if (last_trap.count == n)
		return 1;
	CHECK_EQ(case_no, last_trap.count - n, 1);
	CHECK_EQ(case_no, last_trap.cause, CAUSE_ILLEGAL_INSN);
	return 0;
}

/*
 * Rule 1. Returns when the GWB is there; without it (QEMU) checks that the CSRs are all
 * illegal (case 250) and passes; on umbra a missing GWB fails case 251.
 */
static inline void gwb_require(void)
{
	print("note: GWB checks run where mgwbctl exists (umbra); elsewhere (QEMU) the GWB CSRs "
	      "must be illegal instructions, checked; nothing is signed\n");
	if (gwb_csr_legal(250, 0)) {
		for (int i = 1; i < 4; i++)
			CHECK_EQ(250, gwb_csr_legal(250, i), 1);
		return;
	}
	CHECK_EQ(251, platform_is_umbra(), 0);
	for (int i = 1; i < 4; i++)
		CHECK_EQ(250, gwb_csr_legal(250, i), 0);
	test_pass();
}

/* Rule 3. */
static inline void gwb_reset_log(void)
{
	for (uint32_t i = 0; i < 2 * GWB_LOG_ENTRIES; i++)
		gwb_log[i] = GWB_POISON;
	gwb_write(CSR_MGWBBASE, (uint32_t)gwb_log);
	gwb_write(CSR_MGWBIDX, 0);
	gwb_write(CSR_MGWBCAP, GWB_LOG_ENTRIES);
}

static inline void gwb_enable(int on)
{
	gwb_write(CSR_MGWBCTL, on ? MGWBCTL_EN : 0);
}

static inline uint32_t gwb_idx(void)
{
	return gwb_read(CSR_MGWBIDX);
}

static inline uint32_t gwb_appends(void)
{
	return csr_read(mhpmcounter6);
}

static inline uint32_t gwb_fulls(void)
{
	return csr_read(mhpmcounter7);
}

/* Record i holds (pa with size in bits [1:0], data). */
static inline void gwb_expect_record(uint32_t case_no, uint32_t i, uint32_t pa, uint32_t size,
				     uint32_t data)
{
	CHECK_EQ(case_no, gwb_log[2 * i], (pa & ~3u) | size);
	CHECK_EQ(case_no, gwb_log[2 * i + 1], data);
}

/* Record i was never written (an index past gwb_log has nothing to check). */
static inline void gwb_expect_no_record(uint32_t case_no, uint32_t i)
{
	if (i >= GWB_LOG_ENTRIES)
		return;
	CHECK_EQ(case_no, gwb_log[2 * i], GWB_POISON);
	CHECK_EQ(case_no, gwb_log[2 * i + 1], GWB_POISON);
}

/* The value a probe of this size stores at va (rule 4), as record word 1 holds it. */
static inline uint32_t gwb_store_value(uint32_t va, uint32_t size)
{
	uint32_t v = GWB_STORE_VALUE(va);

	return size == GWB_SIZE_BYTE ? (v & 0xffu) : size == GWB_SIZE_HALF ? (v & 0xffffu) : v;
}

static inline uint32_t (*gwb_probe(uint32_t size))(uint32_t)
{
	return size == GWB_SIZE_BYTE ? gwb_probe_sb : size == GWB_SIZE_HALF ? gwb_probe_sh : vm_probe_sw;
}

static inline const char *gwb_probe_at(uint32_t size)
{
	return size == GWB_SIZE_BYTE ? gwb_probe_sb_at : size == GWB_SIZE_HALF ? gwb_probe_sh_at : vm_probe_sw_at;
}

/* Memory at physical pa, as wide as a store of this size. */
static inline uint32_t gwb_mem(uint32_t pa, uint32_t size)
{
	if (size == GWB_SIZE_BYTE)
		return *(volatile uint8_t *)pa;
	if (size == GWB_SIZE_HALF)
		return *(volatile uint16_t *)pa;
	return *(volatile uint32_t *)pa;
}

/* A store of size from mode through va reached pa and appended record idx (idx now idx + 1). */
static inline void gwb_expect_logged(uint32_t case_no, int mode, uint32_t size, uint32_t va, uint32_t pa)
{
	uint32_t idx = gwb_idx(), n = gwb_appends();
	struct vm_result r = vm_run(mode, gwb_probe(size), va);

	CHECK_EQ(case_no, r.faults, 0);
	CHECK_EQ(case_no, gwb_mem(pa, size), gwb_store_value(va, size));
	CHECK_EQ(case_no, gwb_idx(), idx + 1);
	CHECK_EQ(case_no, gwb_appends(), n + 1);
	gwb_expect_record(case_no, idx, pa, size, gwb_store_value(va, size));
}

/* A store of size from mode through va reached pa and logged nothing. */
static inline void gwb_expect_unlogged(uint32_t case_no, int mode, uint32_t size, uint32_t va, uint32_t pa)
{
	uint32_t idx = gwb_idx(), n = gwb_appends();
	struct vm_result r = vm_run(mode, gwb_probe(size), va);

	CHECK_EQ(case_no, r.faults, 0);
	CHECK_EQ(case_no, gwb_mem(pa, size), gwb_store_value(va, size));
	CHECK_EQ(case_no, gwb_idx(), idx);
	CHECK_EQ(case_no, gwb_appends(), n);
	gwb_expect_no_record(case_no, idx);
}

/*
 * A store of size from mode through va took exactly one exception, cause, into M-mode
 * (tval = va, epc = the store), and logged nothing.  Returns the result for more checks.
 */
static inline struct vm_result gwb_expect_fault(uint32_t case_no, int mode, uint32_t size, uint32_t va,
						uint32_t cause)
{
	uint32_t idx = gwb_idx(), n = gwb_appends();
	struct vm_result r = vm_run(mode, gwb_probe(size), va);

	CHECK_EQ(case_no, r.faults, 1);
	CHECK_EQ(case_no, r.cause, cause);
	CHECK_EQ(case_no, r.tval, va);
	CHECK_EQ(case_no, r.epc, vm_probe_pc(gwb_probe_at(size), mode));
	CHECK_EQ(case_no, r.mode, MODE_M);
	CHECK_EQ(case_no, r.prev, (uint32_t)mode);
	CHECK_EQ(case_no, gwb_idx(), idx);
	CHECK_EQ(case_no, gwb_appends(), n);
	gwb_expect_no_record(case_no, idx);
	return r;
}

#endif
