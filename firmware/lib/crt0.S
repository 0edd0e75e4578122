/* crt0.S: reset entry at 0x80000000: M-mode stack, trap vectors, a defined CSR state, .bss, main(). */
#include "csr_bits.h"
#include "asm.h"
#include "platform.h"

	.section .text.init, "ax"
	.globl	_start
_start:
	.option	push
	.option	norelax
	mv	s0, a0			/* hart id */
	mv	s1, a1			/* FDT address */
	csrw	mie, zero
	csrci	mstatus, MSTATUS_MIE
	la	sp, __stack_top
	la	t0, trap_entry
	csrw	mtvec, t0
	la	t0, strap_entry
	csrw	stvec, t0
	csrw	mscratch, zero
	csrw	sscratch, zero
	csrw	medeleg, zero
	csrw	mideleg, zero
	csrw	satp, zero
	csrw	mcounteren, zero
	csrw	scounteren, zero
	li	t0, MIP_S_ALL
	csrc	mip, t0
	/* CLINT: no machine timer or software interrupt pending (QEMU resets mtimecmp to 0) */
	li	t0, CLINT_MTIMECMP
	li	t1, -1
	sw	t1, 4(t0)
	sw	t1, 0(t0)
	li	t0, CLINT_MSIP
	sw	zero, 0(t0)
	PMP_OPEN_ALL
	ZERO_BSS
	la	t0, boot_hartid
	sw	s0, 0(t0)
	la	t0, boot_fdt
	sw	s1, 0(t0)
	call	main
	bnez	a0, 3f
	call	test_pass
3:	call	test_fail
	.option	pop

	.section .bss
	.balign	4
	.globl	boot_hartid
boot_hartid:
	.space	4
	.globl	boot_fdt
boot_fdt:
	.space	4
