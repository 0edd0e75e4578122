/* entry.S: guest kernel entry (S-mode, a0 = hart id, a1 = FDT gpa) and its trap vector. */
#include "csr_bits.h"
#include "asm.h"

#define KF_EPC 128
#define KF_STATUS 132
#define KF_CAUSE 136
#define KF_TVAL 140
#define KF_SIZE 144

	.section .text.init, "ax"
	.globl	_start
_start:
	.option	push
	.option	norelax
	la	sp, kstack_top
	la	t0, ktrap_vector
	csrw	stvec, t0
	csrw	sscratch, zero
	csrw	sie, zero
	ZERO_BSS
	call	kmain
3:	j	3b
	.option	pop

/* sscratch = kernel stack top while in U, 0 while in S. */
	.text
	.balign	4
	.globl	ktrap_vector
ktrap_vector:
	csrrw	sp, sscratch, sp
	bnez	sp, 1f
	csrrw	sp, sscratch, sp
1:	addi	sp, sp, -KF_SIZE
	SAVE_GPRS
	csrrw	t0, sscratch, zero
	bnez	t0, 2f
	addi	t0, sp, KF_SIZE
2:	sw	t0, 2*4(sp)
	csrr	t0, sepc
	sw	t0, KF_EPC(sp)
	csrr	t0, sstatus
	sw	t0, KF_STATUS(sp)
	csrr	t0, scause
	sw	t0, KF_CAUSE(sp)
	csrr	t0, stval
	sw	t0, KF_TVAL(sp)
	mv	a0, sp
	call	ktrap
	.globl	kreturn
kreturn:
	lw	t0, KF_EPC(sp)
	csrw	sepc, t0
	lw	t0, KF_STATUS(sp)
	csrw	sstatus, t0
	andi	t0, t0, MSTATUS_SPP
	bnez	t0, 3f
	addi	t0, sp, KF_SIZE
	csrw	sscratch, t0
3:	RESTORE_GPRS
	sret

/* void kenter(struct kframe *f): f is at the kernel stack top; returns to the context in it. */
	.globl	kenter
kenter:
	mv	sp, a0
	j	kreturn

	.bss
	.balign	16
	.space	16384
	.globl	kstack_top
kstack_top:
