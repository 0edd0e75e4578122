/* gprs.h: assembler macros that save and restore the 31 GPRs in a frame of 32 words at sp (slot n = xn); used by every trap vector (trap.S, the hypervisor's and the guest kernel's). */
#ifndef UMBRA_GPRS_H
#define UMBRA_GPRS_H

#ifdef __ASSEMBLER__
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
#endif

#endif /* UMBRA_GPRS_H */
