/* hv_entry.S: reset entry of the boot image (M-mode) and the hypervisor's trap vector. */
#include "csr_bits.h"
#include "asm.h"
#include "platform.h"

#define HVF_EPC 128
#define HVF_STATUS 132
#define HVF_CAUSE 136
#define HVF_TVAL 140
#define HVF_CYCLE 144
#define HVF_SIZE 160

	.section .text.init, "ax"
	.globl	_start
_start:
	.option	push
	.option	norelax
	mv	s0, a0			/* hart id */
	mv	s1, a1			/* host FDT */
	csrw	mie, zero
	csrci	mstatus, MSTATUS_MIE
	la	sp, hv_stack_top
	la	t0, hv_trap_vector
	csrw	mtvec, t0
	csrw	mscratch, zero
	csrw	medeleg, zero
	csrw	mideleg, zero
	csrw	satp, zero
	li	t0, MIP_S_ALL
	csrc	mip, t0
	li	t0, CLINT_MTIMECMP
	li	t1, -1
	sw	t1, 4(t0)
	sw	t1, 0(t0)
	PMP_OPEN_ALL
	ZERO_BSS
	mv	a0, s0
	mv	a1, s1
	call	hv_main
3:	j	3b
	.option	pop

/*
 * Trap vector. mscratch != 0: the trap came from the guest (S/U) and mscratch is the
 * hypervisor stack top; mscratch == 0: from the hypervisor itself (a CSR probe), the frame
 * goes on the current stack.
 */
	.section .text.trap, "ax"
	.balign	64
	.globl	hv_trap_vector
hv_trap_vector:
	csrrw	sp, mscratch, sp
	bnez	sp, 1f
	csrrw	sp, mscratch, sp
1:	addi	sp, sp, -HVF_SIZE
	sw	t0, 5*4(sp)
	csrr	t0, mcycle
	sw	t0, HVF_CYCLE(sp)
	SAVE_GPRS t0_saved=1
	csrrw	t0, mscratch, zero
	bnez	t0, 2f
	addi	t0, sp, HVF_SIZE
2:	sw	t0, 2*4(sp)
	csrr	t0, mepc
	sw	t0, HVF_EPC(sp)
	csrr	t0, mstatus
	sw	t0, HVF_STATUS(sp)
	csrr	t0, mcause
	sw	t0, HVF_CAUSE(sp)
	csrr	t0, mtval
	sw	t0, HVF_TVAL(sp)
	mv	a0, sp
	call	hv_trap
	/* fall through */

/* Returns to the context in the frame at sp. */
hv_return:
	lw	t0, HVF_EPC(sp)
	csrw	mepc, t0
	lw	t0, HVF_STATUS(sp)
	csrw	mstatus, t0
	li	t1, MSTATUS_MPP
	and	t0, t0, t1
	beq	t0, t1, 3f		/* back to M: mscratch stays 0 */
	addi	t0, sp, HVF_SIZE
	csrw	mscratch, t0
3:	RESTORE_GPRS
	mret

/* void hv_enter_guest(struct hv_frame *f): f sits at the top of the hypervisor stack. */
	.text
	.globl	hv_enter_guest
hv_enter_guest:
	mv	sp, a0
	j	hv_return

/* The guest kernel image, copied into guest RAM at boot. */
	.section .rodata.guest, "a"
	.balign	16
	.globl	hv_guest_image
hv_guest_image:
	.incbin	GUEST_BIN
	.globl	hv_guest_image_end
hv_guest_image_end:
