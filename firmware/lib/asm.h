/* asm.h: assembler macros shared by the start-up and trap code of the test library (crt0.S, trap.S), the guest kernel and the hypervisor. */
#ifndef UMBRA_ASM_H
#define UMBRA_ASM_H

#ifdef __ASSEMBLER__
/* GPR frames: 32 words at sp, slot n = xn. */

/*
 * Stores x1, x3..x31 and a zero in slot 0; x2 (sp) is the caller's to store.
 * With t0_saved=1, x5 is left alone: the caller saved it before using t0.
 */
.macro	SAVE_GPRS t0_saved=0
	sw	x1, 1*4(sp)
	sw	x3, 3*4(sp)
	sw	x4, 4*4(sp)
	.if \t0_saved == 0
	sw	x5, 5*4(sp)
	.endif
	.irp	n, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sw	x\n, \n*4(sp)
	.endr
	sw	zero, 0(sp)
.endm

/* Reloads x1, x3..x31 and last sp (x2) from the frame at sp. */
.macro	RESTORE_GPRS
	lw	x1, 1*4(sp)
	.irp	n, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	lw	x\n, \n*4(sp)
	.endr
	lw	x2, 2*4(sp)
.endm

/* Zeroes [__bss_start, __bss_end) word by word (the linker scripts align both); uses t0, t1. */
.macro	ZERO_BSS
	la	t0, __bss_start
	la	t1, __bss_end
.Lbss_loop\@:
	bgeu	t0, t1, .Lbss_done\@
	sw	zero, 0(t0)
	addi	t0, t0, 4
	j	.Lbss_loop\@
.Lbss_done\@:
.endm

/* PMP entry 0: NAPOT over everything, RWX, so S/U may reach memory (QEMU has PMP); uses t0. */
.macro	PMP_OPEN_ALL
	li	t0, -1
	csrw	pmpaddr0, t0
	li	t0, 0x1f
	csrw	pmpcfg0, t0
.endm
#endif

#endif /* UMBRA_ASM_H */
