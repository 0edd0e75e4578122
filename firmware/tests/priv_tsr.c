/* priv_tsr.c: sret: works from S-mode to S and U, illegal with mstatus.TSR=1 in S-mode and always in U-mode. */
#include "common/vm_lib.h"

#define SRET_TO_S 0x5e7u
#define SRET_TO_U 0x5e8u

uint32_t p_sret_s(uint32_t), p_sret_u(uint32_t), p_sret(uint32_t);
extern char p_sret_s_at[], p_sret_u_at[], p_sret_at[];

/*
 * p_sret_s / p_sret_u: sret to the label 2 in S (SPP = 1) or U (SPP = 0), which returns
 * SRET_TO_S / SRET_TO_U; if the sret traps and is skipped, a0 stays VM_NOT_RUN.
 */
__asm__("	.text\n"
	"	.balign 4\n"
	"	.globl p_sret_s, p_sret_s_at\n"
	"p_sret_s:\n"
	"	li	a0, 0x600d\n"
	"	la	t0, 2f\n"
	"	csrw	sepc, t0\n"
	"	li	t0, 0x100\n"
	"	csrs	sstatus, t0\n"
	"p_sret_s_at:\n"
	"	sret\n"
	"	j	1f\n"
	"2:	li	a0, 0x5e7\n"
	"1:	ecall\n"
	"	j	1b\n"
	"	.globl p_sret_u, p_sret_u_at\n"
	"p_sret_u:\n"
	"	li	a0, 0x600d\n"
	"	la	t0, 2f\n"
	"	csrw	sepc, t0\n"
	"	li	t0, 0x100\n"
	"	csrc	sstatus, t0\n"
	"p_sret_u_at:\n"
	"	sret\n"
	"	j	1f\n"
	"2:	li	a0, 0x5e8\n"
	"1:	ecall\n"
	"	j	1b\n"
	VM_PROBE_ASM(p_sret, "sret"));

int main(void)
{
	/* satp stays Bare: the probes run at their physical addresses. */

	/* 1, 2: TSR = 0: sret from S-mode returns to S or to U as SPP says. */
	vm_expect_value(1, vm_run(MODE_S, p_sret_s, 0), SRET_TO_S);
	vm_expect_value(2, vm_run(MODE_S, p_sret_u, 0), SRET_TO_U);
	/* 3: sret in U-mode is illegal. */
	vm_expect_illegal(3, vm_run(MODE_U, p_sret, 0), p_sret_at, MODE_U, MODE_M);

	/* 4: TSR is writable. */
	csr_set(mstatus, MSTATUS_TSR);
	CHECK_SIG(4, csr_read(mstatus) & MSTATUS_TSR, MSTATUS_TSR);
	/* 5..7: TSR = 1: sret in S-mode is illegal whatever SPP says; in U-mode as before. */
	vm_expect_illegal(5, vm_run(MODE_S, p_sret_s, 0), p_sret_s_at, MODE_S, MODE_M);
	vm_expect_illegal(6, vm_run(MODE_S, p_sret_u, 0), p_sret_u_at, MODE_S, MODE_M);
	vm_expect_illegal(7, vm_run(MODE_U, p_sret, 0), p_sret_at, MODE_U, MODE_M);
	/* (No medeleg[2] case: with TSR = 1 the S-mode handler could not sret itself.) */

	/* 8: TSR = 0 again: sret works. */
	csr_clear(mstatus, MSTATUS_TSR);
	vm_expect_value(8, vm_run(MODE_S, p_sret_s, 0), SRET_TO_S);
	return 0;
}
