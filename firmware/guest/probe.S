/* probe.S: kernel loads and stores that may fault: the fault is caught, the access skipped, its cause returned. */

/*
 * While a probe runs, stvec points at probe_trap; only the probed access can trap there
 * (the kernel runs with sstatus.SIE=0, so no interrupt is taken in S-mode). The trap records
 * scause and stval and resumes after the access. In the virtualized modes the hypervisor
 * injects the page fault through the same stvec, as the hardware would.
 */

	.text
	.balign	4

/* uint32_t probe_load(uint32_t va, uint32_t *val): 0 and *val, or the scause of the fault */
	.globl	probe_load
probe_load:
	la	t0, probe_trap
	csrrw	t1, stvec, t0
	li	t2, 0
	lw	a2, 0(a0)
	csrw	stvec, t1
	bnez	t2, 1f
	sw	a2, 0(a1)
1:	mv	a0, t2
	ret

/* uint32_t probe_store(uint32_t va, uint32_t val): 0, or the scause of the fault */
	.globl	probe_store
probe_store:
	la	t0, probe_trap
	csrrw	t1, stvec, t0
	li	t2, 0
	sw	a1, 0(a0)
	csrw	stvec, t1
	mv	a0, t2
	ret

/* uint32_t probe_store16(uint32_t va, uint32_t val), probe_store8(...): the same, half and byte */
	.globl	probe_store16
probe_store16:
	la	t0, probe_trap
	csrrw	t1, stvec, t0
	li	t2, 0
	sh	a1, 0(a0)
	csrw	stvec, t1
	mv	a0, t2
	ret

	.globl	probe_store8
probe_store8:
	la	t0, probe_trap
	csrrw	t1, stvec, t0
	li	t2, 0
	sb	a1, 0(a0)
	csrw	stvec, t1
	mv	a0, t2
	ret

/* t2 = scause, probe_tval = stval, resume after the 4-byte access */
	.balign	4
probe_trap:
	csrr	t2, scause
	la	t0, probe_tval
	csrr	t3, stval
	sw	t3, 0(t0)
	csrr	t0, sepc
	addi	t0, t0, 4
	csrw	sepc, t0
	sret

	.bss
	.balign	4
	.globl	probe_tval
probe_tval:
	.space	4
