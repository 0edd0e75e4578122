/* csr_tvec.S: vector tables for csr_tvec.c: entry k records k in tvec_hit, then enters the library vector. */
#include "csr_bits.h"

/* Runs on the interrupted stack (traps come from M for mvec, from S for svec). */
.macro	STUB name, k, value, target
\name\()_\k:
	addi	sp, sp, -16
	sw	t0, 0(sp)
	sw	t1, 4(sp)
	li	t0, \value
	la	t1, tvec_hit
	sw	t0, 0(t1)
	lw	t1, 4(sp)
	lw	t0, 0(sp)
	addi	sp, sp, 16
	j	\target
.endm

	.text
	.balign	256
	.globl	mvec_table
mvec_table:
	.irp	k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	j	mstub_\k
	.endr
	.irp	k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	STUB	mstub, \k, \k, trap_entry
	.endr

	.balign	256
	.globl	svec_table
svec_table:
	.irp	k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	j	sstub_\k
	.endr
	.irp	k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	STUB	sstub, \k, 0x100+\k, strap_entry
	.endr

	.data
	.balign	4
	.globl	tvec_hit
tvec_hit:
	.word	0xffffffff
