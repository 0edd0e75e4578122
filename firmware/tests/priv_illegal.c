/* priv_illegal.c: privileged instructions and CSRs above the current mode raise illegal instruction (U: sret, mret, sfence.vma, S/M CSRs; S: mret, M CSRs). */
#include "common/vm_lib.h"

#define PROBES(X)                                                                               \
	X(p_sret, "sret")                                                                       \
	X(p_mret, "mret")                                                                       \
	X(p_sfence, "sfence.vma")                                                               \
	X(p_csrr_sstatus, "csrr a0, sstatus")                                                   \
	X(p_csrw_sscratch, "csrw sscratch, a0")                                                 \
	X(p_csrr_satp, "csrr a0, satp")                                                         \
	X(p_csrr_stvec, "csrr a0, stvec")                                                       \
	X(p_csrr_sip, "csrr a0, sip")                                                           \
	X(p_csrr_mstatus, "csrr a0, mstatus")                                                   \
	X(p_csrr_medeleg, "csrr a0, medeleg")                                                   \
	X(p_csrr_mscratch, "csrr a0, mscratch")                                                 \
	X(p_csrr_mepc, "csrr a0, mepc")                                                         \
	X(p_csrr_mtvec, "csrr a0, mtvec")                                                       \
	X(p_csrr_mhartid, "csrr a0, mhartid")                                                   \
	X(p_csrr_sscratch, "csrr a0, sscratch")                                                 \
	X(p_sscratch_rw, "li t0, 0x1234\n	csrw sscratch, t0\n	csrr a0, sscratch")

#define DECLARE(name, insn) uint32_t name(uint32_t); extern char name##_at[];
PROBES(DECLARE)
#define EMIT(name, insn) VM_PROBE_ASM(name, insn)
__asm__(PROBES(EMIT));

#define ILLEGAL(n, mode, name) vm_expect_illegal((n), vm_run((mode), name, 0), name##_at, (mode), MODE_M)

int main(void)
{
	/* satp stays Bare; TVM, TW and TSR are 0: only the privilege level matters. */

	/* 1..14: U-mode. */
	ILLEGAL(1, MODE_U, p_sret);
	ILLEGAL(2, MODE_U, p_mret);
	ILLEGAL(3, MODE_U, p_sfence);
	ILLEGAL(4, MODE_U, p_csrr_sstatus);
	ILLEGAL(5, MODE_U, p_csrw_sscratch);
	ILLEGAL(6, MODE_U, p_csrr_satp);
	ILLEGAL(7, MODE_U, p_csrr_stvec);
	ILLEGAL(8, MODE_U, p_csrr_sip);
	ILLEGAL(9, MODE_U, p_csrr_mstatus);
	ILLEGAL(10, MODE_U, p_csrr_medeleg);
	ILLEGAL(11, MODE_U, p_csrr_mscratch);
	ILLEGAL(12, MODE_U, p_csrr_mepc);
	ILLEGAL(13, MODE_U, p_csrr_mhartid);
	ILLEGAL(14, MODE_U, p_csrr_sscratch);
	CHECK_EQ(5, csr_read(sscratch), 0);

	/* 20..26: S-mode: mret and M-mode CSRs. */
	ILLEGAL(20, MODE_S, p_mret);
	ILLEGAL(21, MODE_S, p_csrr_mstatus);
	ILLEGAL(22, MODE_S, p_csrr_medeleg);
	ILLEGAL(23, MODE_S, p_csrr_mscratch);
	ILLEGAL(24, MODE_S, p_csrr_mepc);
	ILLEGAL(25, MODE_S, p_csrr_mtvec);
	ILLEGAL(26, MODE_S, p_csrr_mhartid);

	/* 30..33: S-mode CSRs and sfence.vma from S-mode work (controls). */
	vm_expect_value(30, vm_run(MODE_S, p_csrr_stvec, 0), (uint32_t)strap_entry);
	vm_expect_value(31, vm_run(MODE_S, p_csrr_sscratch, 0), 0); /* run_in_mode: 0 in S */
	vm_expect_value(32, vm_run(MODE_S, p_sfence, 0), VM_NOT_RUN);
	vm_expect_value(33, vm_run(MODE_S, p_sscratch_rw, 0), 0x1234);

	/* 34: an S-mode mret with medeleg[2] is handled in S-mode. */
	csr_set(medeleg, 1u << CAUSE_ILLEGAL_INSN);
	vm_expect_illegal(34, vm_run(MODE_S, p_mret, 0), p_mret_at, MODE_S, MODE_S);
	csr_write(medeleg, 0);
	return 0;
}
