/* trap.S: M- and S-mode trap vectors (GPR frame on an M/S stack via mscratch/sscratch) and run_in_mode. */
#include "csr_bits.h"
#include "asm.h"

#define TF_EPC    128
#define TF_STATUS 132
#define TF_CAUSE  136
#define TF_TVAL   140
#define TF_SIZE   144

	.section .text.trap, "ax"

/*
 * M-mode vector.  mscratch == 0: the trap came from M-mode, build the frame on the current
 * stack.  mscratch != 0: it came from S/U and mscratch is the M-mode stack to use.
 */
	.balign	64
	.globl	trap_entry
trap_entry:
	csrrw	sp, mscratch, sp
	bnez	sp, 1f
	csrrw	sp, mscratch, sp
1:	addi	sp, sp, -TF_SIZE
	SAVE_GPRS
	csrrw	t0, mscratch, zero	/* interrupted sp if from S/U, else 0 */
	bnez	t0, 2f
	addi	t0, sp, TF_SIZE
2:	sw	t0, 2*4(sp)
	csrr	t0, mepc
	sw	t0, TF_EPC(sp)
	csrr	t0, mstatus
	sw	t0, TF_STATUS(sp)
	csrr	t0, mcause
	sw	t0, TF_CAUSE(sp)
	csrr	t0, mtval
	sw	t0, TF_TVAL(sp)
	mv	a0, sp
	call	trap_handler
	lw	t0, TF_EPC(sp)
	csrw	mepc, t0
	lw	t0, TF_STATUS(sp)
	csrw	mstatus, t0
	li	t1, MSTATUS_MPP
	and	t0, t0, t1
	beq	t0, t1, 3f		/* back to M: mscratch stays 0 */
	addi	t0, sp, TF_SIZE
	csrw	mscratch, t0
3:	RESTORE_GPRS
	mret

/* S-mode vector: the same with sscratch (0 while in S), sepc, sstatus.SPP and sret. */
	.balign	64
	.globl	strap_entry
strap_entry:
	csrrw	sp, sscratch, sp
	bnez	sp, 1f
	csrrw	sp, sscratch, sp
1:	addi	sp, sp, -TF_SIZE
	SAVE_GPRS
	csrrw	t0, sscratch, zero
	bnez	t0, 2f
	addi	t0, sp, TF_SIZE
2:	sw	t0, 2*4(sp)
	csrr	t0, sepc
	sw	t0, TF_EPC(sp)
	csrr	t0, sstatus
	sw	t0, TF_STATUS(sp)
	csrr	t0, scause
	sw	t0, TF_CAUSE(sp)
	csrr	t0, stval
	sw	t0, TF_TVAL(sp)
	mv	a0, sp
	call	strap_handler
	lw	t0, TF_EPC(sp)
	csrw	sepc, t0
	lw	t0, TF_STATUS(sp)
	csrw	sstatus, t0
	andi	t0, t0, MSTATUS_SPP
	bnez	t0, 3f			/* back to S: sscratch stays 0 */
	addi	t0, sp, TF_SIZE
	csrw	sscratch, t0
3:	RESTORE_GPRS
	sret

/*
 * uint32_t run_in_mode(int mode, uint32_t (*fn)(uint32_t), uint32_t arg)
 * Saves the M-mode context on the stack, points mscratch at it and mrets into fn with
 * ra = run_exit_stub, which makes the ecall that brings the result back (run_mode_return).
 */
#define RC_RA      0
#define RC_S0      4
#define RC_MSTATUS 52
#define RC_SIZE    64

	.text
	.globl	run_in_mode
run_in_mode:
	addi	sp, sp, -RC_SIZE
	sw	ra, RC_RA(sp)
	sw	s0, RC_S0+0*4(sp)
	sw	s1, RC_S0+1*4(sp)
	sw	s2, RC_S0+2*4(sp)
	sw	s3, RC_S0+3*4(sp)
	sw	s4, RC_S0+4*4(sp)
	sw	s5, RC_S0+5*4(sp)
	sw	s6, RC_S0+6*4(sp)
	sw	s7, RC_S0+7*4(sp)
	sw	s8, RC_S0+8*4(sp)
	sw	s9, RC_S0+9*4(sp)
	sw	s10, RC_S0+10*4(sp)
	sw	s11, RC_S0+11*4(sp)
	csrr	t0, mstatus
	sw	t0, RC_MSTATUS(sp)
	la	t1, run_ctx_sp
	sw	sp, 0(t1)
	csrw	mscratch, sp		/* M trap stack while fn runs */
	csrw	sscratch, zero
	bnez	a0, 1f			/* U: traps into S from U need an S stack */
	la	t1, run_sstack_top
	lw	t1, 0(t1)
	csrw	sscratch, t1
1:	csrw	mepc, a1
	/* MPP = mode, MPIE = MIE (mret leaves MIE as it was) */
	li	t1, MSTATUS_MPP | MSTATUS_MPIE
	csrc	mstatus, t1
	andi	t1, t0, MSTATUS_MIE
	slli	t1, t1, 4		/* MIE (bit 3) -> MPIE (bit 7) */
	slli	t2, a0, MSTATUS_MPP_SHIFT
	or	t1, t1, t2
	csrs	mstatus, t1
	mv	a0, a2
	la	ra, run_exit_stub
	la	t1, run_lower_sp
	lw	sp, 0(t1)
	li	t0, 0
	li	t1, 0
	li	t2, 0
	mret

/* Runs in U/S: fn returned with its value in a0. */
	.globl	run_exit_stub
run_exit_stub:
	ecall
1:	j	1b

/* void run_mode_return(uint32_t value): M-mode, from the trap handler; never returns. */
	.globl	run_mode_return
run_mode_return:
	la	t1, run_ctx_sp
	lw	sp, 0(t1)
	sw	zero, 0(t1)
	csrw	mscratch, zero
	csrw	sscratch, zero
	lw	t0, RC_MSTATUS(sp)
	andi	t0, t0, MSTATUS_MIE
	csrs	mstatus, t0
	lw	ra, RC_RA(sp)
	lw	s0, RC_S0+0*4(sp)
	lw	s1, RC_S0+1*4(sp)
	lw	s2, RC_S0+2*4(sp)
	lw	s3, RC_S0+3*4(sp)
	lw	s4, RC_S0+4*4(sp)
	lw	s5, RC_S0+5*4(sp)
	lw	s6, RC_S0+6*4(sp)
	lw	s7, RC_S0+7*4(sp)
	lw	s8, RC_S0+8*4(sp)
	lw	s9, RC_S0+9*4(sp)
	lw	s10, RC_S0+10*4(sp)
	lw	s11, RC_S0+11*4(sp)
	addi	sp, sp, RC_SIZE
	ret

/* uint32_t ecall1(uint32_t arg) */
	.globl	ecall1
ecall1:
	ecall
	ret

	.data
	.balign	4
	.globl	run_ctx_sp
run_ctx_sp:
	.word	0
	.globl	run_lower_sp
run_lower_sp:
	.word	__lower_stack_top
	.globl	run_sstack_top
run_sstack_top:
	.word	__sstack_top
