/* priv_tw.c: WFI and mstatus.TW: illegal in S-mode with TW=1 and always in U-mode; completes on a pending enabled interrupt otherwise. */
#include "common/vm_lib.h"

uint32_t p_wfi(uint32_t);
extern char p_wfi_at[];

__asm__(VM_PROBE_ASM(p_wfi, "wfi"));

/* Makes the supervisor software interrupt pending and enabled (mie.SSIE, mip.SSIP). */
static void ssip_on(int delegate)
{
	if (delegate)
		csr_set(mideleg, MIP_SSIP);
	csr_set(mie, MIP_SSIP);
	csr_set(mip, MIP_SSIP);
}

static void ssip_off(void)
{
	csr_clear(mip, MIP_SSIP);
	csr_clear(mie, MIP_SSIP);
	csr_clear(mideleg, MIP_SSIP);
}

int main(void)
{
	uint32_t n;

	/* sstatus.SIE = 0: a delegated SSI stays pending in S-mode and only wakes WFI. */
	csr_clear(mstatus, MSTATUS_SIE | MSTATUS_MIE);

	/* 1: TW = 0: S-mode WFI with a pending, enabled (delegated, SIE = 0) interrupt completes. */
	ssip_on(1);
	n = last_trap.count;
	vm_expect_value(1, vm_run(MODE_S, p_wfi, 0), VM_NOT_RUN);
	CHECK_EQ(1, last_trap.count - n, 1); /* only the probe's closing ecall: no interrupt */
	CHECK_SIG(2, csr_read(mip) & MIP_SSIP, MIP_SSIP);
	ssip_off();

	/* 3: TW = 1: S-mode WFI is illegal (trap to M) ... */
	csr_set(mstatus, MSTATUS_TW);
	CHECK_SIG(3, csr_read(mstatus) & MSTATUS_TW, MSTATUS_TW);
	vm_expect_illegal(4, vm_run(MODE_S, p_wfi, 0), p_wfi_at, MODE_S, MODE_M);
	/* 5: ... even with an interrupt pending that would let it complete (time limit 0). */
	ssip_on(1);
	vm_expect_illegal(5, vm_run(MODE_S, p_wfi, 0), p_wfi_at, MODE_S, MODE_M);
	ssip_off();

	/* 6: TW = 1: M-mode WFI is unaffected; with a pending enabled interrupt it completes. */
	ssip_on(0);
	__asm__ volatile("wfi");
	CHECK_SIG(6, csr_read(mip) & MIP_SSIP, MIP_SSIP);
	ssip_off();

	/* 7, 8: U-mode WFI is illegal with TW = 1 and with TW = 0 (S-mode exists). */
	vm_expect_illegal(7, vm_run(MODE_U, p_wfi, 0), p_wfi_at, MODE_U, MODE_M);
	csr_clear(mstatus, MSTATUS_TW);
	vm_expect_illegal(8, vm_run(MODE_U, p_wfi, 0), p_wfi_at, MODE_U, MODE_M);

	/* 9: TW = 1 with medeleg[2]: the WFI trap is an ordinary illegal instruction, sent to S. */
	csr_set(mstatus, MSTATUS_TW);
	csr_set(medeleg, 1u << CAUSE_ILLEGAL_INSN);
	vm_expect_illegal(9, vm_run(MODE_S, p_wfi, 0), p_wfi_at, MODE_S, MODE_S);
	csr_write(medeleg, 0);
	csr_clear(mstatus, MSTATUS_TW);
	return 0;
}
