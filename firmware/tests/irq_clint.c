/* irq_clint.c: machine timer (mtime/mtimecmp) and machine software (msip) interrupts, MIE by privilege. */
#include "test.h"

static volatile uint32_t n_irq, last_irq, last_mpp;

static void on_irq(uint32_t irq, struct trap_frame *f)
{
	n_irq = n_irq + 1;
	last_irq = irq;
	last_mpp = (f->status & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
	if (irq == IRQ_M_TIMER)
		clint_set_mtimecmp(~0ull);
	else if (irq == IRQ_M_SOFT)
		clint_set_msip(0);
}

/* Spins until an interrupt was counted or the bound runs out; returns the count. */
static uint32_t wait_irq(uint32_t bound)
{
	for (uint32_t i = 0; i < bound && n_irq == 0; i++)
		;
	return n_irq;
}

/*
 * The same, bounded by mtime: QEMU delivers a timer interrupt from a host timer that can
 * lag mtimecmp by milliseconds, so the bound is 2,000,000 ticks (0.2 s).
 */
static uint32_t wait_irq_ticks(uint32_t ticks)
{
	uint32_t t0 = mmio_read32(CLINT_MTIME);

	while (n_irq == 0 && mmio_read32(CLINT_MTIME) - t0 < ticks)
		;
	return n_irq;
}

static void test_mtime_regs(void)
{
	uint64_t t0 = clint_read_mtime(), t1;
	uint32_t spins = 0;

	do {
		t1 = clint_read_mtime();
	} while (t1 == t0 && spins++ < 1000000);
	CHECK(1, t1 > t0);
	/* mtimecmp is plain read/write storage */
	clint_set_mtimecmp(0x123456789abcdef0ull);
	CHECK_SIG(2, mmio_read32(CLINT_MTIMECMP), 0x9abcdef0u);
	CHECK_SIG(3, mmio_read32(CLINT_MTIMECMP + 4), 0x12345678u);
	/* MTIP = (mtime >= mtimecmp), not writable through mip */
	CHECK_SIG(4, csr_read(mip) & MIP_MTIP, 0u);
	clint_set_mtimecmp(0);
	CHECK_SIG(5, csr_read(mip) & MIP_MTIP, MIP_MTIP);
	csr_clear(mip, MIP_MTIP);
	CHECK_SIG(6, csr_read(mip) & MIP_MTIP, MIP_MTIP);
	clint_set_mtimecmp(~0ull);
	CHECK_SIG(7, csr_read(mip) & MIP_MTIP, 0u);
	csr_set(mip, MIP_MTIP);
	CHECK_SIG(8, csr_read(mip) & MIP_MTIP, 0u);
	/* msip: bit 0 only */
	clint_set_msip(1);
	CHECK_SIG(9, mmio_read32(CLINT_MSIP), 1u);
	CHECK_SIG(10, csr_read(mip) & MIP_MSIP, MIP_MSIP);
	clint_set_msip(0);
	CHECK_SIG(11, csr_read(mip) & MIP_MSIP, 0u);
}

static void test_timer_irq(void)
{
	n_irq = 0;
	csr_write(mie, MIP_MTIP);
	csr_set(mstatus, MSTATUS_MIE);
	/* 200 ticks = 20 us at 10 MHz */
	clint_set_mtimecmp(clint_read_mtime() + 200);
	CHECK_SIG(20, wait_irq_ticks(2000000), 1u);
	CHECK_SIG(21, last_irq, IRQ_M_TIMER);
	CHECK_SIG(22, last_trap.cause, CAUSE_INTERRUPT | IRQ_M_TIMER);
	CHECK_SIG(23, last_trap.tval, 0u);
	CHECK_SIG(24, last_mpp, MODE_M);
	/* MIE = 1 again after the handler's mret */
	CHECK_SIG(25, csr_read(mstatus) & MSTATUS_MIE, MSTATUS_MIE);
	csr_clear(mstatus, MSTATUS_MIE);
	csr_write(mie, 0);
}

static void test_soft_irq(void)
{
	n_irq = 0;
	csr_write(mie, MIP_MSIP);
	csr_set(mstatus, MSTATUS_MIE);
	clint_set_msip(1);
	CHECK_SIG(30, wait_irq(100000), 1u);
	CHECK_SIG(31, last_irq, IRQ_M_SOFT);
	CHECK_SIG(32, mmio_read32(CLINT_MSIP), 0u);
	csr_clear(mstatus, MSTATUS_MIE);
	csr_write(mie, 0);
}

static uint32_t spin_lower(uint32_t bound)
{
	for (uint32_t i = 0; i < bound && n_irq == 0; i++)
		;
	return n_irq;
}

static void test_global_enable(void)
{
	/* M-mode, MIE = 0: pending and enabled, not taken */
	n_irq = 0;
	csr_write(mie, MIP_MSIP);
	clint_set_msip(1);
	CHECK_SIG(40, wait_irq(10000), 0u);
	/* mie bit clear, MIE = 1: not taken */
	csr_write(mie, 0);
	csr_set(mstatus, MSTATUS_MIE);
	CHECK_SIG(41, wait_irq(10000), 0u);
	/* both set: taken at once */
	csr_write(mie, MIP_MSIP);
	CHECK_SIG(42, wait_irq(100000), 1u);
	csr_clear(mstatus, MSTATUS_MIE);
	/* in S and U, M-level interrupts are taken whatever MIE says */
	for (int mode = MODE_U; mode <= MODE_S; mode++) {
		n_irq = 0;
		clint_set_msip(1);
		CHECK_SIG(43 + 2 * mode, run_in_mode(mode, spin_lower, 100000), 1u);
		CHECK_SIG(44 + 2 * mode, last_mpp, (uint32_t)mode);
	}
	/* ... but not when the mie bit is clear */
	csr_write(mie, 0);
	n_irq = 0;
	clint_set_msip(1);
	CHECK_SIG(47, run_in_mode(MODE_U, spin_lower, 10000), 0u);
	clint_set_msip(0);
}

int main(void)
{
	trap_set_irq_handler(on_irq);
	test_mtime_regs();
	test_timer_irq();
	test_soft_irq();
	test_global_enable();
	return 0;
}
