/* entry.S: guest kernel entry (S-mode, a0 = hart id, a1 = FDT gpa) and its trap vector. */
#include "csr_bits.h"

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
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sw	zero, 0(t0)
	addi	t0, t0, 4
	j	1b
2:	call	kmain
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
	sw	x1, 1*4(sp)
	sw	x3, 3*4(sp)
	sw	x4, 4*4(sp)
	sw	x5, 5*4(sp)
	sw	x6, 6*4(sp)
	sw	x7, 7*4(sp)
	sw	x8, 8*4(sp)
	sw	x9, 9*4(sp)
	sw	x10, 10*4(sp)
	sw	x11, 11*4(sp)
	sw	x12, 12*4(sp)
	sw	x13, 13*4(sp)
	sw	x14, 14*4(sp)
	sw	x15, 15*4(sp)
	sw	x16, 16*4(sp)
	sw	x17, 17*4(sp)
	sw	x18, 18*4(sp)
	sw	x19, 19*4(sp)
	sw	x20, 20*4(sp)
	sw	x21, 21*4(sp)
	sw	x22, 22*4(sp)
	sw	x23, 23*4(sp)
	sw	x24, 24*4(sp)
	sw	x25, 25*4(sp)
	sw	x26, 26*4(sp)
	sw	x27, 27*4(sp)
	sw	x28, 28*4(sp)
	sw	x29, 29*4(sp)
	sw	x30, 30*4(sp)
	sw	x31, 31*4(sp)
	sw	zero, 0(sp)
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
3:	lw	x1, 1*4(sp)
	lw	x3, 3*4(sp)
	lw	x4, 4*4(sp)
	lw	x5, 5*4(sp)
	lw	x6, 6*4(sp)
	lw	x7, 7*4(sp)
	lw	x8, 8*4(sp)
	lw	x9, 9*4(sp)
	lw	x10, 10*4(sp)
	lw	x11, 11*4(sp)
	lw	x12, 12*4(sp)
	lw	x13, 13*4(sp)
	lw	x14, 14*4(sp)
	lw	x15, 15*4(sp)
	lw	x16, 16*4(sp)
	lw	x17, 17*4(sp)
	lw	x18, 18*4(sp)
	lw	x19, 19*4(sp)
	lw	x20, 20*4(sp)
	lw	x21, 21*4(sp)
	lw	x22, 22*4(sp)
	lw	x23, 23*4(sp)
	lw	x24, 24*4(sp)
	lw	x25, 25*4(sp)
	lw	x26, 26*4(sp)
	lw	x27, 27*4(sp)
	lw	x28, 28*4(sp)
	lw	x29, 29*4(sp)
	lw	x30, 30*4(sp)
	lw	x31, 31*4(sp)
	lw	x2, 2*4(sp)
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
