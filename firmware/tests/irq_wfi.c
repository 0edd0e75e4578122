/* irq_wfi.c: WFI wake-up with MIE = 0 and 1, with an interrupt already pending, in S and U-mode. */
#include "test.h"

#define WAIT_TICKS 2000000u /* 0.2 s of mtime: QEMU's timer interrupt can lag by milliseconds */

static volatile uint32_t n_irq;

static void on_irq(uint32_t irq, struct trap_frame *f)
{
	(void)f;
	n_irq = n_irq + 1;
	if (irq == IRQ_M_TIMER)
		clint_set_mtimecmp(~0ull);
	else if (irq == IRQ_M_SOFT)
		clint_set_msip(0);
	else if (irq == IRQ_S_SOFT)
		csr_clear(sip, MIP_SSIP);
}

/* WFI until mip shows the timer (WFI may also return early: it is only a hint). */
static uint32_t wfi_until_mtip(void)
{
	uint32_t t0 = mmio_read32(CLINT_MTIME);

	while (!(csr_read(mip) & MIP_MTIP) && mmio_read32(CLINT_MTIME) - t0 < WAIT_TICKS)
		__asm__ volatile("wfi");
	return (csr_read(mip) & MIP_MTIP) != 0;
}

static void test_wfi_mie0(void)
{
	uint32_t n = last_trap.count;

	/* MIE = 0: an enabled interrupt wakes WFI, no trap is taken */
	csr_write(mie, MIP_MTIP);
	clint_set_mtimecmp(clint_read_mtime() + 500);
	CHECK_SIG(1, wfi_until_mtip(), 1u);
	CHECK_SIG(2, last_trap.count - n, 0u);
	clint_set_mtimecmp(~0ull);
	/* already pending and enabled: WFI returns at once */
	csr_write(mie, MIP_MSIP);
	clint_set_msip(1);
	__asm__ volatile("wfi");
	CHECK_SIG(3, last_trap.count - n, 0u);
	clint_set_msip(0);
	csr_write(mie, 0);
}

static void test_wfi_mie1(void)
{
	uint32_t t0;

	n_irq = 0;
	csr_write(mie, MIP_MTIP);
	clint_set_mtimecmp(clint_read_mtime() + 500);
	t0 = mmio_read32(CLINT_MTIME);
	if (platform_is_umbra()) {
		/* MIE = 1 across WFI: the timer wakes it and is taken at once (umbra is
		 * deterministic: the interrupt cannot slip in between the test and WFI) */
		csr_set(mstatus, MSTATUS_MIE);
		while (n_irq == 0 && mmio_read32(CLINT_MTIME) - t0 < WAIT_TICKS)
			__asm__ volatile("wfi");
	} else {
		/* Real time (QEMU): an interrupt taken between the test and WFI would leave
		 * WFI waiting for ever. The idle-loop idiom: WFI with MIE = 0, then open. */
		while (n_irq == 0 && mmio_read32(CLINT_MTIME) - t0 < WAIT_TICKS) {
			__asm__ volatile("wfi");
			csr_set(mstatus, MSTATUS_MIE);
			csr_clear(mstatus, MSTATUS_MIE);
		}
	}
	csr_clear(mstatus, MSTATUS_MIE);
	csr_write(mie, 0);
	CHECK_SIG(10, n_irq, 1u);
	CHECK_SIG(11, last_trap.cause, CAUSE_INTERRUPT | IRQ_M_TIMER);
}

static uint32_t wfi_here(uint32_t a)
{
	(void)a;
	trap_expect();
	__asm__ volatile("wfi");
	trap_expect_clear();
	return 0;
}

static uint32_t s_wfi_masked(uint32_t a)
{
	(void)a;
	/* SSIP pending, enabled in sie, SIE = 0: WFI returns, nothing is taken */
	csr_set(sie, MIP_SSIP);
	__asm__ volatile("wfi");
	csr_clear(sie, MIP_SSIP);
	return csr_read(sip) & MIP_SSIP;
}

static void test_wfi_lower(void)
{
	uint32_t n = last_trap.count;

	/* U-mode WFI is illegal (QEMU always traps; the spec allows a bounded wait) */
	run_in_mode(MODE_U, wfi_here, 0);
	CHECK_SIG(20, last_trap.count - n, 1u);
	CHECK_SIG(21, last_trap.cause, CAUSE_ILLEGAL_INSN);
	CHECK_SIG(22, last_trap.tval, 0x10500073u);
	/* S-mode WFI with TW = 0 executes */
	csr_write(mideleg, MIP_SSIP);
	csr_set(mip, MIP_SSIP);
	n = last_trap.count;
	CHECK_SIG(23, run_in_mode(MODE_S, s_wfi_masked, 0), MIP_SSIP);
	CHECK_SIG(24, last_trap.count - n, 0u);
	csr_clear(mip, MIP_SSIP);
	csr_write(mideleg, 0);
}

int main(void)
{
	trap_set_irq_handler(on_irq);
	test_wfi_mie0();
	test_wfi_mie1();
	test_wfi_lower();
	return 0;
}
