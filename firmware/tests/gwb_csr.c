/* gwb_csr.c: the GWB CSRs (mgwbctl/base/idx/cap): reset values, writable bits, mgwbcap's legal values, M-only access, counters 6/7. */
#include "common/gwb_lib.h"

/* A read of mgwbctl and a write of mgwbidx, run from S or U: illegal instructions there. */
uint32_t read_ctl(uint32_t arg);
uint32_t write_idx(uint32_t arg);
extern char read_ctl_at[], write_idx_at[];
__asm__(VM_PROBE_ASM(read_ctl, "csrr a0, 0x7c0") VM_PROBE_ASM(write_idx, "csrw 0x7c2, a0"));

/* probe ran in mode and its CSR instruction at `at` was illegal (not signed: rule 2). */
static void expect_illegal(uint32_t case_no, int mode, uint32_t (*probe)(uint32_t), const char *at)
{
	struct vm_result r = vm_run(mode, probe, 5);

	CHECK_EQ(case_no, r.faults, 1);
	CHECK_EQ(case_no, r.cause, CAUSE_ILLEGAL_INSN);
	CHECK_EQ(case_no, r.epc, vm_probe_pc(at, mode));
	CHECK_EQ(case_no, r.mode, MODE_M);
	CHECK_EQ(case_no, r.value, VM_NOT_RUN);
}

static void expect_cap_write(uint32_t case_no, uint32_t value, uint32_t want)
{
	gwb_write(CSR_MGWBCAP, value);
	CHECK_EQ(case_no, gwb_read(CSR_MGWBCAP), want);
}

int main(void)
{
	uint32_t n;

	gwb_require();

	/* 1..4: reset values (crt0 does not touch them): ctl 0, base 0, idx 0, cap 1. */
	CHECK_EQ(1, gwb_read(CSR_MGWBCTL), 0);
	CHECK_EQ(2, gwb_read(CSR_MGWBBASE), 0);
	CHECK_EQ(3, gwb_read(CSR_MGWBIDX), 0);
	CHECK_EQ(4, gwb_read(CSR_MGWBCAP), 1);

	/* 5: mgwbctl keeps only EN; csrs/csrc act on it. */
	gwb_write(CSR_MGWBCTL, 0xffffffffu);
	CHECK_EQ(5, gwb_read(CSR_MGWBCTL), MGWBCTL_EN);
	csr_clear(0x7c0, 1);
	CHECK_EQ(5, gwb_read(CSR_MGWBCTL), 0);
	csr_set(0x7c0, 1);
	CHECK_EQ(5, gwb_read(CSR_MGWBCTL), MGWBCTL_EN);
	gwb_write(CSR_MGWBCTL, 0xfffffffeu);
	CHECK_EQ(5, gwb_read(CSR_MGWBCTL), 0);

	/* 6: mgwbbase keeps bits 31:3 (any 8-byte aligned address). */
	gwb_write(CSR_MGWBBASE, 0xffffffffu);
	CHECK_EQ(6, gwb_read(CSR_MGWBBASE), MGWBBASE_MASK);
	gwb_write(CSR_MGWBBASE, 0x80012345u);
	CHECK_EQ(6, gwb_read(CSR_MGWBBASE), 0x80012340u);

	/* 7: mgwbidx keeps bits 12:0 (0..8191). */
	gwb_write(CSR_MGWBIDX, 0xffffffffu);
	CHECK_EQ(7, gwb_read(CSR_MGWBIDX), MGWBIDX_MASK);
	gwb_write(CSR_MGWBIDX, 0x12345u);
	CHECK_EQ(7, gwb_read(CSR_MGWBIDX), 0x0345u);
	gwb_write(CSR_MGWBIDX, 0);

	/* 8: mgwbcap takes every power of two 1..4096. */
	for (uint32_t c = 1; c <= MGWBCAP_MAX; c <<= 1)
		expect_cap_write(8, c, c);
	/* 9: anything else is ignored (the old value stays). */
	expect_cap_write(9, 64, 64);
	expect_cap_write(9, 0, 64);
	expect_cap_write(9, 3, 64);
	expect_cap_write(9, 96, 64);
	expect_cap_write(9, 8192, 64);
	expect_cap_write(9, 0x10000u, 64);
	expect_cap_write(9, 0x80000000u, 64);
	expect_cap_write(9, 0xffffffffu, 64);
	expect_cap_write(9, 4095, 64);
	expect_cap_write(9, 4097, 64);
	expect_cap_write(9, 1, 1);

	/* 10, 11: from S and U, reads and writes are illegal instructions, taken in M. */
	for (int mode = MODE_U; mode <= MODE_S; mode++) {
		expect_illegal(10, mode, read_ctl, read_ctl_at);
		expect_illegal(11, mode, write_idx, write_idx_at);
		CHECK_EQ(11, gwb_read(CSR_MGWBIDX), 0);
	}

	/* 12: mhpmcounter6/7 (appends, full traps) are writable, 64-bit, and read 0 after reset. */
	CHECK_EQ(12, csr_read(mhpmcounter6), 0);
	CHECK_EQ(12, csr_read(mhpmcounter7), 0);
	csr_write(mcountinhibit, 0xc0); /* keep them still while written */
	csr_write(mhpmcounter6, 0x11223344u);
	csr_write(mhpmcounter6h, 0x55667788u);
	csr_write(mhpmcounter7, 0x99aabbccu);
	csr_write(mhpmcounter7h, 0xddeeff00u);
	CHECK_EQ(12, csr_read(mhpmcounter6), 0x11223344u);
	CHECK_EQ(12, csr_read(mhpmcounter6h), 0x55667788u);
	CHECK_EQ(12, csr_read(mhpmcounter7), 0x99aabbccu);
	CHECK_EQ(12, csr_read(mhpmcounter7h), 0xddeeff00u);
	CHECK_EQ(12, csr_read(mcountinhibit) & 0xc0u, 0xc0u);
	csr_write(mhpmcounter6, 0);
	csr_write(mhpmcounter6h, 0);
	csr_write(mhpmcounter7, 0);
	csr_write(mhpmcounter7h, 0);
	csr_write(mcountinhibit, 0);

	/* 13: medeleg bit 24 (GWB full) is not writable. */
	csr_set(medeleg, 1u << CAUSE_GWB_FULL);
	CHECK_EQ(13, csr_read(medeleg) & (1u << CAUSE_GWB_FULL), 0);
	csr_write(medeleg, 0);

	/* 14: a store from M-mode (untranslated) with EN=1 logs nothing. */
	gwb_reset_log();
	gwb_enable(1);
	n = gwb_appends();
	*(volatile uint32_t *)vm_frame_pa(0) = 0x1234u;
	CHECK_EQ(14, vm_frame_word(0, 0), 0x1234u);
	CHECK_EQ(14, gwb_idx(), 0);
	CHECK_EQ(14, gwb_appends(), n);
	gwb_expect_no_record(14, 0);
	gwb_enable(0);
	return 0;
}
