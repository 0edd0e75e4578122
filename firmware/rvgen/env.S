/* env.S: the run-time environment of regress/rvgen.py's random programs: reset, trap handlers, signature dump.
 *
 * Rules the generated code and this file keep (regress/rvgen.py relies on them):
 *  1. tp (x4) points to rvgen_env for the whole run; generated code reads it, never writes it.
 *     The environment's RVGEN_ENV_SIZE bytes are mapped identically (va = pa, RWX, U=0) in
 *     every address space, so the S handler runs translated and the M handler untranslated.
 *  2. The M handler (mtvec) and the S handler (stvec) save all registers, record the trap in the
 *     log (cause, epc, tval, info = previous mode | 0x100 when taken in S), step over the trapping
 *     instruction and return. They never trap themselves.
 *  3. `ecall` followed by the word RVGEN_TO_M (never executed) in S or U is the request "continue
 *     in M after this word": not logged.
 *  4. A misaligned load or store from M-mode is emulated (as OpenSBI does) and recorded in the
 *     separate misaligned log, so the registers and memory end as on a hart that performs it in
 *     hardware (QEMU); the program rewrites mcause/mepc/mtval right after such an access.
 *  5. After the reset mret, mstatus.MPP = U and MPIE = 1 between traps on every hart (each trap's
 *     mret restores them), so that a trap taken on one target and not on another leaves no trace.
 *  6. The signature (console, UART) is: header, x1..x31, the CSRs, the data windows, the trap log,
 *     the misaligned log, "end"; then the finisher is written with PASS.
 */
#include "rvgen.h"

	.option	norelax

	.section .text.init, "ax"
	.globl	_start
_start:
	la	tp, rvgen_env
	la	t0, rvgen_mtrap
	csrw	mtvec, t0
	la	t0, rvgen_strap
	csrw	stvec, t0
	csrw	mstatus, zero
	csrw	mie, zero
	csrw	mip, zero
	csrw	medeleg, zero
	csrw	mideleg, zero
	csrw	satp, zero
	csrw	mscratch, zero
	csrw	sscratch, zero
	csrw	mcounteren, zero
	csrw	scounteren, zero
	/* no timer or software interrupt pending (QEMU resets mtimecmp to 0) */
	li	t0, RVGEN_MTIMECMP
	li	t1, -1
	sw	t1, 4(t0)
	sw	t1, 0(t0)
	li	t0, RVGEN_MSIP
	sw	zero, 0(t0)
	/* PMP entry 0: NAPOT over everything, RWX, so S and U reach memory (QEMU has PMP) */
	li	t0, -1
	csrw	pmpaddr0, t0
	li	t0, 0x1f
	csrw	pmpcfg0, t0
	/* rule 5: enter the program through an mret to M */
	li	t0, 0x1800
	csrs	mstatus, t0
	la	t0, rvgen_program
	csrw	mepc, t0
	/* a defined start: every register but tp zero */
	li	x1, 0
	li	x2, 0
	li	x3, 0
	li	x5, 0
	li	x6, 0
	mret

/* Saves x1..x31 into the frame at FRAME(tp). */
.macro	SAVE_ALL frame
	.irp	r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sw	x\r, (\frame + 4 * \r)(tp)
	.endr
.endm

.macro	RESTORE_ALL frame
	.irp	r, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	lw	x\r, (\frame + 4 * \r)(tp)
	.endr
.endm

/* Appends (t0 cause, t1 epc, t2 tval, t3 info) to the log at LOG(tp), counted at COUNT(tp). */
.macro	LOG_TRAP log, count, max
	lw	t4, \count(tp)
	li	t5, \max
	bgeu	t4, t5, 1f
	slli	t5, t4, 4
	add	t5, t5, tp
	li	t6, \log
	add	t5, t5, t6
	sw	t0, 0(t5)
	sw	t1, 4(t5)
	sw	t2, 8(t5)
	sw	t3, 12(t5)
1:	addi	t4, t4, 1
	sw	t4, \count(tp)
.endm

	.section .text.trap, "ax"
	.balign	4
	.globl	rvgen_mtrap
rvgen_mtrap:
	SAVE_ALL ENV_MFRAME
	csrr	t0, mcause
	csrr	t1, mepc
	csrr	t2, mtval
	csrr	t3, mstatus
	srli	t3, t3, 11
	andi	t3, t3, 3
	/* rule 3: ecall + RVGEN_TO_M from S or U */
	addi	t4, t0, -8
	li	t5, 1
	bgtu	t4, t5, 2f
	lw	t4, 4(t1)
	li	t5, RVGEN_TO_M
	bne	t4, t5, 2f
	li	t4, 0x1800
	csrs	mstatus, t4
	addi	t1, t1, 8
	csrw	mepc, t1
	j	9f
2:	/* rule 4: misaligned load or store from M */
	li	t4, 3
	bne	t3, t4, 8f
	li	t4, 4
	beq	t0, t4, 3f
	li	t4, 6
	bne	t0, t4, 8f
	/* store: bytes of x[rs2] at tval, lowest first; size = 1 << funct3 */
	lw	a0, 0(t1)
	srli	a1, a0, 20
	andi	a1, a1, 31
	slli	a1, a1, 2
	add	a1, a1, tp
	lw	a1, ENV_MFRAME(a1)	/* x0's slot holds 0 */
	srli	a2, a0, 12
	andi	a2, a2, 3
	li	a3, 1
	sll	a2, a3, a2		/* size */
	mv	a3, t2
4:	sb	a1, 0(a3)
	srli	a1, a1, 8
	addi	a3, a3, 1
	addi	a2, a2, -1
	bnez	a2, 4b
	j	7f
3:	/* load: lh, lw, lhu into x[rd] */
	lw	a0, 0(t1)
	srli	a2, a0, 12
	andi	a2, a2, 7		/* funct3 */
	andi	a3, a2, 3
	li	a4, 1
	sll	a3, a4, a3		/* size */
	add	a4, t2, a3		/* one past the last byte */
	li	a1, 0
5:	addi	a4, a4, -1
	lbu	a5, 0(a4)
	slli	a1, a1, 8
	or	a1, a1, a5
	bne	a4, t2, 5b
	li	a5, 1			/* lh sign-extends */
	bne	a2, a5, 6f
	slli	a1, a1, 16
	srai	a1, a1, 16
6:	srli	a5, a0, 7
	andi	a5, a5, 31
	beqz	a5, 7f
	slli	a5, a5, 2
	add	a5, a5, tp
	sw	a1, ENV_MFRAME(a5)
7:	LOG_TRAP ENV_MISLOG, ENV_MISCOUNT, ENV_MISLOG_MAX
	j	10f
8:	LOG_TRAP ENV_TRAPLOG, ENV_TRAPCOUNT, ENV_TRAPLOG_MAX
10:	addi	t1, t1, 4
	csrw	mepc, t1
9:	RESTORE_ALL ENV_MFRAME
	mret

	.balign	4
	.globl	rvgen_strap
rvgen_strap:
	SAVE_ALL ENV_SFRAME
	csrr	t0, scause
	csrr	t1, sepc
	csrr	t2, stval
	csrr	t3, sstatus
	srli	t3, t3, 8		/* SPP */
	andi	t3, t3, 1
	ori	t3, t3, 0x100
	LOG_TRAP ENV_TRAPLOG, ENV_TRAPCOUNT, ENV_TRAPLOG_MAX
	addi	t1, t1, 4
	csrw	sepc, t1
	RESTORE_ALL ENV_SFRAME
	sret

/* putc a0; clobbers t0, t1 */
putc:
	li	t0, RVGEN_UART
1:	lbu	t1, RVGEN_UART_LSR(t0)
	andi	t1, t1, RVGEN_LSR_THRE
	beqz	t1, 1b
	sb	a0, 0(t0)
	ret

/* puts a0 (NUL-terminated); clobbers a0, a1, t0, t1, t6 */
puts:
	mv	t6, ra
	mv	a1, a0
1:	lbu	a0, 0(a1)
	beqz	a0, 2f
	call	putc
	addi	a1, a1, 1
	j	1b
2:	mv	ra, t6
	ret

/* puthex a0 as a space then 8 hex digits; clobbers a0..a2, t0, t1, t6 */
puthex:
	mv	t6, ra
	mv	a1, a0
	li	a0, ' '
	call	putc
	li	a2, 28
1:	srl	a0, a1, a2
	andi	a0, a0, 15
	la	t0, hexdigits
	add	a0, a0, t0
	lbu	a0, 0(a0)
	call	putc
	addi	a2, a2, -4
	bgez	a2, 1b
	mv	ra, t6
	ret

/* putdec2 a0 (0..99) as two decimal digits; clobbers a0, a1, t0, t1, t6 */
putdec2:
	mv	t6, ra
	li	a1, 0
1:	li	t0, 10
	bltu	a0, t0, 2f
	addi	a0, a0, -10
	addi	a1, a1, 1
	j	1b
2:	mv	t0, a0
	addi	a0, a1, '0'
	mv	a1, t0
	call	putc
	addi	a0, a1, '0'
	call	putc
	mv	ra, t6
	ret

/* putdec3 a0 (0..999) as three decimal digits; clobbers a0, a1, t0, t1, t4, t5, t6 */
putdec3:
	mv	t5, ra
	li	a1, 0
1:	li	t0, 100
	bltu	a0, t0, 2f
	addi	a0, a0, -100
	addi	a1, a1, 1
	j	1b
2:	mv	t4, a0
	addi	a0, a1, '0'
	call	putc
	mv	a0, t4
	call	putdec2
	mv	ra, t5
	ret

newline:
	mv	t5, ra
	li	a0, '\n'
	call	putc
	mv	ra, t5
	ret

/* Prints the log at s3 with s4 entries (capped at s5), each line prefixed by the string at s6. */
print_log:
	mv	s7, ra
	li	s8, 0
1:	bgeu	s8, s4, 3f
	bgeu	s8, s5, 3f
	mv	a0, s6
	call	puts
	mv	a0, s8
	call	putdec3
	slli	s9, s8, 4
	add	s9, s9, s3
	lw	a0, 0(s9)
	call	puthex
	lw	a0, 4(s9)
	call	puthex
	lw	a0, 8(s9)
	call	puthex
	lw	a0, 12(s9)
	call	puthex
	call	newline
	addi	s8, s8, 1
	j	1b
3:	mv	ra, s7
	ret

/* Reached from the last (M-mode) block of the program: rule 6. */
	.globl	rvgen_finish
rvgen_finish:
	SAVE_ALL ENV_SIG
	la	a0, str_head
	call	puts
	la	a0, rvgen_seed
	lw	a0, 0(a0)
	call	puthex
	call	newline
	/* registers */
	li	s0, 1
1:	li	a0, 'x'
	call	putc
	mv	a0, s0
	call	putdec2
	slli	s1, s0, 2
	add	s1, s1, tp
	lw	a0, ENV_SIG(s1)
	call	puthex
	call	newline
	addi	s0, s0, 1
	li	t0, 32
	bltu	s0, t0, 1b
	/* CSRs: read each into the table, then print name and value */
	la	s1, csr_values
	csrr	t0, mstatus
	li	t1, RVGEN_MSTATUS_SIGNED
	and	t0, t0, t1
	sw	t0, 0(s1)
	csrr	t0, mscratch
	sw	t0, 4(s1)
	csrr	t0, sscratch
	sw	t0, 8(s1)
	csrr	t0, mepc
	sw	t0, 12(s1)
	csrr	t0, sepc
	sw	t0, 16(s1)
	csrr	t0, mcause
	sw	t0, 20(s1)
	csrr	t0, scause
	sw	t0, 24(s1)
	csrr	t0, mtval
	sw	t0, 28(s1)
	csrr	t0, stval
	sw	t0, 32(s1)
	csrr	t0, medeleg
	sw	t0, 36(s1)
	csrr	t0, mideleg
	sw	t0, 40(s1)
	csrr	t0, mie
	sw	t0, 44(s1)
	csrr	t0, mtvec
	sw	t0, 48(s1)
	csrr	t0, stvec
	sw	t0, 52(s1)
	csrr	t0, mcounteren
	sw	t0, 56(s1)
	csrr	t0, scounteren
	sw	t0, 60(s1)
	csrr	t0, satp
	sw	t0, 64(s1)
	la	s2, csr_names
	li	s0, 0
2:	mv	a0, s2
	call	puts
	lw	a0, 0(s1)
	call	puthex
	call	newline
	addi	s2, s2, 12
	addi	s1, s1, 4
	addi	s0, s0, 1
	li	t0, 17
	bltu	s0, t0, 2b
	/* data windows: RVGEN_DATA_PAGES pages, the first RVGEN_WINDOW bytes of each, 8 words a line */
	li	s0, RVGEN_DATA_PA
	li	s1, RVGEN_DATA_PA + RVGEN_DATA_PAGES * 4096
3:	la	a0, str_data
	call	puts
	mv	a0, s0
	call	puthex
	li	s2, 0
4:	add	t0, s0, s2
	lw	a0, 0(t0)
	call	puthex
	addi	s2, s2, 4
	li	t0, 32
	bltu	s2, t0, 4b
	call	newline
	addi	s0, s0, 32
	li	t0, 4095
	and	t0, s0, t0
	li	t1, RVGEN_WINDOW
	bltu	t0, t1, 5f
	li	t0, -4096
	and	s0, s0, t0
	li	t0, 4096
	add	s0, s0, t0
5:	bltu	s0, s1, 3b
	/* logs */
	li	s3, ENV_TRAPLOG
	add	s3, s3, tp
	lw	s4, ENV_TRAPCOUNT(tp)
	li	s5, ENV_TRAPLOG_MAX
	la	s6, str_trap
	call	print_log
	la	a0, str_traps
	call	puts
	mv	a0, s4
	call	puthex
	call	newline
	li	s3, ENV_MISLOG
	add	s3, s3, tp
	lw	s4, ENV_MISCOUNT(tp)
	li	s5, ENV_MISLOG_MAX
	la	s6, str_mis
	call	print_log
	la	a0, str_end
	call	puts
	li	t0, RVGEN_FINISHER
	li	t1, RVGEN_PASS
	sw	t1, 0(t0)
6:	j	6b

	.section .rodata
hexdigits:	.ascii	"0123456789abcdef"
str_head:	.asciz	"rvgen seed"
str_data:	.asciz	"data"
str_trap:	.asciz	"trap "
str_traps:	.asciz	"traps"
str_mis:	.asciz	"misaligned "
str_end:	.asciz	"end\n"
	.balign	4
/* 12 bytes per name */
csr_names:
	.asciz	"mstatus    "
	.asciz	"mscratch   "
	.asciz	"sscratch   "
	.asciz	"mepc       "
	.asciz	"sepc       "
	.asciz	"mcause     "
	.asciz	"scause     "
	.asciz	"mtval      "
	.asciz	"stval      "
	.asciz	"medeleg    "
	.asciz	"mideleg    "
	.asciz	"mie        "
	.asciz	"mtvec      "
	.asciz	"stvec      "
	.asciz	"mcounteren "
	.asciz	"scounteren "
	.asciz	"satp       "

	.section .env.data, "aw"
	.balign	4096
	.globl	rvgen_env
rvgen_env:
	.zero	ENV_SIZE
csr_values:
	.zero	17 * 4
