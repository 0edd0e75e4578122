/* irq_sint.c: supervisor software/timer/external interrupts set by M-mode, mideleg, SIE by privilege. */
#include "test.h"

static volatile uint32_t n_irq, last_irq, last_mode;

/* S handler masks the source (sip.SSIP is S-writable; STIP/SEIP are not, so mask in sie). */
static void on_irq(uint32_t irq, struct trap_frame *f)
{
	(void)f;
	n_irq = n_irq + 1;
	last_irq = irq;
	last_mode = last_trap.mode;
	if (last_trap.mode == MODE_S) {
		if (irq == IRQ_S_SOFT)
			csr_clear(sip, MIP_SSIP);
		else
			csr_clear(sie, 1u << irq);
	} else {
		csr_clear(mip, 1u << irq);
	}
}

/* Runs in S or U: enables the S interrupt bits in sie, SIE as asked, spins for the interrupt. */
static uint32_t spin_with(uint32_t arg)
{
	uint32_t sie_bits = arg & 0xffffu;

	if (sie_bits)
		csr_set(sie, sie_bits);
	if (arg & 0x10000u)
		csr_set(sstatus, MSTATUS_SIE);
	for (uint32_t i = 0; i < 20000 && n_irq == 0; i++)
		;
	if (arg & 0x10000u)
		csr_clear(sstatus, MSTATUS_SIE);
	return n_irq;
}

static uint32_t spin_u(uint32_t a)
{
	(void)a;
	for (uint32_t i = 0; i < 20000 && n_irq == 0; i++)
		;
	return n_irq;
}

#define WITH_SIE 0x10000u

/* Delegated interrupt irq, raised by M through mip, taken in S-mode with SIE = 1. */
static void delegated_in_s(uint32_t base, uint32_t irq)
{
	uint32_t bit = 1u << irq;

	n_irq = 0;
	csr_write(mideleg, MIP_S_ALL);
	csr_write(mie, 0);
	csr_set(mip, bit);
	CHECK_SIG(base, run_in_mode(MODE_S, spin_with, bit | WITH_SIE), 1u);
	CHECK_SIG(base + 1, last_irq, irq);
	CHECK_SIG(base + 2, last_mode, MODE_S);
	CHECK_SIG(base + 3, csr_read(scause), CAUSE_INTERRUPT | irq);
	csr_clear(mip, bit);
	csr_write(mie, 0);
	csr_write(mideleg, 0);
}

static void test_delegated(void)
{
	delegated_in_s(1, IRQ_S_SOFT);
	delegated_in_s(5, IRQ_S_TIMER);
	delegated_in_s(9, IRQ_S_EXT);
}

static void test_sie_by_privilege(void)
{
	csr_write(mideleg, MIP_SSIP);
	csr_write(mie, 0);
	/* S-mode, SIE = 0: pending and enabled in sie, not taken */
	n_irq = 0;
	csr_set(mip, MIP_SSIP);
	CHECK_SIG(20, run_in_mode(MODE_S, spin_with, MIP_SSIP), 0u);
	/* U-mode: S interrupts are enabled whatever SIE says */
	CHECK_SIG(21, run_in_mode(MODE_U, spin_u, 0), 1u);
	CHECK_SIG(22, last_mode, MODE_S);
	/* sie bit clear: not taken in U either */
	csr_write(sie, 0);
	n_irq = 0;
	csr_set(mip, MIP_SSIP);
	CHECK_SIG(23, run_in_mode(MODE_U, spin_u, 0), 0u);
	/* a delegated interrupt is never taken in M-mode, even with MIE = 1 */
	csr_write(sie, MIP_SSIP);
	csr_set(mstatus, MSTATUS_MIE);
	for (volatile int i = 0; i < 10000; i++)
		;
	csr_clear(mstatus, MSTATUS_MIE);
	CHECK_SIG(24, n_irq, 0u);
	csr_clear(mip, MIP_SSIP);
	csr_write(sie, 0);
	csr_write(mideleg, 0);
}

static void test_not_delegated(void)
{
	/* without mideleg, S-level interrupts go to M: in S-mode regardless of MIE */
	n_irq = 0;
	csr_write(mie, MIP_STIP);
	csr_set(mip, MIP_STIP);
	CHECK_SIG(30, run_in_mode(MODE_S, spin_u, 0), 1u);
	CHECK_SIG(31, last_mode, MODE_M);
	CHECK_SIG(32, last_irq, IRQ_S_TIMER);
	CHECK_SIG(33, last_trap.cause, CAUSE_INTERRUPT | IRQ_S_TIMER);
	/* in M-mode they need MIE */
	n_irq = 0;
	csr_write(mie, MIP_SSIP);
	csr_set(mip, MIP_SSIP);
	for (volatile int i = 0; i < 10000; i++)
		;
	CHECK_SIG(34, n_irq, 0u);
	csr_set(mstatus, MSTATUS_MIE);
	for (volatile int i = 0; i < 10000 && n_irq == 0; i++)
		;
	csr_clear(mstatus, MSTATUS_MIE);
	CHECK_SIG(35, n_irq, 1u);
	CHECK_SIG(36, last_irq, IRQ_S_SOFT);
	csr_write(mie, 0);
}

int main(void)
{
	trap_set_irq_handler(on_irq);
	test_delegated();
	test_sie_by_privilege();
	test_not_delegated();
	return 0;
}
