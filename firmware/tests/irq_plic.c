/* irq_plic.c: PLIC priority/enable/threshold/claim/complete with the UART THRE interrupt (IRQ 10), M and S contexts. */
#include "test.h"

static volatile uint32_t n_irq, last_id, last_mode;

/*
 * Console output toggles the UART's THRE request line, so while IER.THRI may be set the
 * values are recorded first and printed/checked by rec_flush() with the UART quiet.
 */
struct rec {
	uint32_t case_no, got, want;
	const char *expr;
	int line;
	int quiet; /* checked but not sig()ned */
};
static struct rec recs[32];
static uint32_t n_recs;

#define REC(c_, g_, w_)                                                                        \
	do {                                                                                   \
		struct rec *r_ = &recs[n_recs++];                                              \
		r_->case_no = (c_);                                                            \
		r_->got = (uint32_t)(g_);                                                      \
		r_->want = (uint32_t)(w_);                                                     \
		r_->expr = #g_ " == " #w_;                                                     \
		r_->line = __LINE__;                                                           \
		r_->quiet = 0;                                                                 \
	} while (0)

/* REC without sig(); on QEMU want = got (see rec_flush) */
#define REC_ON_UMBRA(c_, g_, w_)                                                               \
	do {                                                                                   \
		uint32_t g_v_ = (uint32_t)(g_);                                                \
		REC((c_), g_v_, platform_is_umbra() ? (uint32_t)(w_) : g_v_);                  \
		recs[n_recs - 1].expr = #g_ " == " #w_;                                        \
		recs[n_recs - 1].quiet = 1;                                                    \
	} while (0)

static void uart_thri(int on);

static void rec_flush(void)
{
	uart_thri(0);
	for (uint32_t i = 0; i < n_recs; i++) {
		if (!recs[i].quiet)
			sig(recs[i].case_no, recs[i].got);
		if (recs[i].got != recs[i].want)
			test_check_failed(recs[i].case_no, recs[i].expr, recs[i].got, recs[i].want,
					  __FILE__, recs[i].line);
	}
	n_recs = 0;
}

/* Waits until the UART has sent everything, so its THRE request is stable. */
static void uart_drain(void)
{
	while ((mmio_read8(UART_BASE + UART_LSR) & 0x60u) != 0x60u)
		;
}

static void uart_thri(int on)
{
	uart_drain();
	mmio_write8(UART_BASE + UART_IER, on ? UART_IER_THRI : 0);
}

/* External interrupt: claim from the handler's context, silence the UART, complete. */
static void on_irq(uint32_t irq, struct trap_frame *f)
{
	uint32_t ctx = irq == IRQ_S_EXT ? PLIC_CTX_S : PLIC_CTX_M;
	uint32_t id = plic_claim(ctx);

	(void)f;
	uart_thri(0);
	plic_complete(ctx, id);
	n_irq = n_irq + 1;
	last_id = id;
	last_mode = last_trap.mode;
}

static void plic_reset(void)
{
	uart_thri(0);
	for (uint32_t ctx = 0; ctx < 2; ctx++) {
		plic_set_enable(ctx, UART_IRQ, 0);
		plic_set_threshold(ctx, 0);
	}
	plic_set_priority(UART_IRQ, 0);
	/* drop a latched request */
	plic_set_priority(UART_IRQ, 1);
	plic_set_enable(PLIC_CTX_M, UART_IRQ, 1);
	uint32_t id = plic_claim(PLIC_CTX_M);
	if (id)
		plic_complete(PLIC_CTX_M, id);
	plic_set_enable(PLIC_CTX_M, UART_IRQ, 0);
}

/*
 * mip.MEIP/SEIP as the PLIC drives them, given time to settle: QEMU 7.2's PLIC output can lag
 * a register write, so poll (bounded) until it shows the expected level.
 */
static uint32_t eip_settles(uint32_t bit, uint32_t want)
{
	uint32_t v = 0;

	for (uint32_t i = 0; i < 20000; i++) {
		v = (csr_read(mip) & bit) != 0;
		if (v == want)
			break;
	}
	return v;
}

#define MEIP_IS(want) eip_settles(MIP_MEIP, (want))
#define SEIP_IS(want) eip_settles(MIP_SEIP, (want))

static void test_registers(void)
{
	plic_set_priority(UART_IRQ, 0xffffffffu);
	CHECK_SIG(1, mmio_read32(PLIC_PRIORITY(UART_IRQ)), 7u);
	plic_set_priority(UART_IRQ, 3);
	CHECK_SIG(2, mmio_read32(PLIC_PRIORITY(UART_IRQ)), 3u);
	plic_set_threshold(PLIC_CTX_M, 0xffffffffu);
	CHECK_SIG(3, mmio_read32(PLIC_THRESHOLD(PLIC_CTX_M)), 7u);
	plic_set_threshold(PLIC_CTX_M, 0);
	plic_set_enable(PLIC_CTX_S, UART_IRQ, 1);
	CHECK_SIG(4, mmio_read32(PLIC_ENABLE(PLIC_CTX_S)), 1u << UART_IRQ);
	CHECK_SIG(5, mmio_read32(PLIC_ENABLE(PLIC_CTX_M)), 0u);
	plic_set_enable(PLIC_CTX_S, UART_IRQ, 0);
	CHECK_SIG(6, mmio_read32(PLIC_ENABLE(PLIC_CTX_S)), 0u);
	/* nothing pending: claim returns 0 */
	CHECK_SIG(7, plic_claim(PLIC_CTX_M), 0u);
}

static void test_gating(void)
{
	plic_reset();
	uart_thri(1);
	REC(10, plic_pending(UART_IRQ), 1u);
	/* pending but not enabled: no MEIP */
	REC(11, MEIP_IS(0), 0u);
	plic_set_priority(UART_IRQ, 2);
	plic_set_enable(PLIC_CTX_M, UART_IRQ, 1);
	REC(12, MEIP_IS(1), 1u);
	/* priority must exceed the threshold */
	plic_set_threshold(PLIC_CTX_M, 2);
	REC(13, MEIP_IS(0), 0u);
	plic_set_threshold(PLIC_CTX_M, 1);
	REC(14, MEIP_IS(1), 1u);
	/* priority 0 never interrupts */
	plic_set_threshold(PLIC_CTX_M, 0);
	plic_set_priority(UART_IRQ, 0);
	REC(15, MEIP_IS(0), 0u);
	plic_set_priority(UART_IRQ, 1);
	REC(16, MEIP_IS(1), 1u);
	/* the S context sees it on SEIP when enabled there, with threshold 0 */
	plic_set_threshold(PLIC_CTX_S, 0);
	REC(17, SEIP_IS(0), 0u);
	plic_set_enable(PLIC_CTX_S, UART_IRQ, 1);
	REC(18, SEIP_IS(1), 1u);
	plic_set_enable(PLIC_CTX_S, UART_IRQ, 0);
	rec_flush();
}

static void test_claim_complete(void)
{
	uint32_t id, pend;

	/* the UART requests (IER.THRI = 1, THR empty; rec_flush() had turned it off) */
	uart_thri(1);
	id = plic_claim(PLIC_CTX_M);
	REC(20, id, UART_IRQ);
	/* claimed: not pending, no MEIP, a second claim gets nothing */
	REC(21, plic_pending(UART_IRQ), 0u);
	REC(22, MEIP_IS(0), 0u);
	REC(23, plic_claim(PLIC_CTX_M), 0u);
	/*
	 * 24..26: complete with the line still high: the gateway (level-triggered) forwards
	 * the next request, so the source is pending again and can be claimed again (PLIC spec;
	 * umbra).  QEMU 7.2 waits for a new source edge; its outcome is only recorded.
	 */
	plic_complete(PLIC_CTX_M, id);
	pend = plic_pending(UART_IRQ);
	REC_ON_UMBRA(24, pend, 1u);
	REC_ON_UMBRA(25, MEIP_IS(pend), 1u);
	REC_ON_UMBRA(26, plic_claim(PLIC_CTX_M), UART_IRQ);
	/* complete with the line dropped: nothing pending any more */
	uart_thri(0);
	plic_complete(PLIC_CTX_M, id);
	REC(27, plic_pending(UART_IRQ), 0u);
	REC(28, MEIP_IS(0), 0u);
	rec_flush();
	print("note: PLIC re-pending after a completion with the source still high: QEMU 7.2 "
	      "waits for a new source edge; umbra is checked (pending again), not signed\n");
}

static void test_m_interrupt(void)
{
	plic_reset();
	n_irq = 0;
	plic_set_priority(UART_IRQ, 1);
	plic_set_enable(PLIC_CTX_M, UART_IRQ, 1);
	csr_write(mie, MIP_MEIP);
	csr_set(mstatus, MSTATUS_MIE);
	uart_thri(1);
	for (uint32_t i = 0; i < 100000 && n_irq == 0; i++)
		;
	csr_clear(mstatus, MSTATUS_MIE);
	csr_write(mie, 0);
	REC(30, n_irq, 1u);
	REC(31, last_id, UART_IRQ);
	REC(32, last_trap.cause, CAUSE_INTERRUPT | IRQ_M_EXT);
	REC(33, last_mode, MODE_M);
	REC(34, MEIP_IS(0), 0u);
	rec_flush();
}

static uint32_t s_wait_ext(uint32_t a)
{
	(void)a;
	csr_set(sie, MIP_SEIP);
	csr_set(sstatus, MSTATUS_SIE);
	uart_thri(1);
	for (uint32_t i = 0; i < 100000 && n_irq == 0; i++)
		;
	csr_clear(sstatus, MSTATUS_SIE);
	csr_clear(sie, MIP_SEIP);
	return n_irq;
}

static void test_s_interrupt(void)
{
	plic_reset();
	n_irq = 0;
	plic_set_priority(UART_IRQ, 1);
	plic_set_enable(PLIC_CTX_S, UART_IRQ, 1);
	csr_write(mideleg, MIP_SEIP);
	REC(40, run_in_mode(MODE_S, s_wait_ext, 0), 1u);
	REC(41, last_id, UART_IRQ);
	REC(42, last_mode, MODE_S);
	REC(43, csr_read(scause), CAUSE_INTERRUPT | IRQ_S_EXT);
	csr_write(mideleg, 0);
	/* enabled in both contexts: whoever claims first gets it, the other gets 0 */
	plic_set_enable(PLIC_CTX_M, UART_IRQ, 1);
	uart_thri(1);
	REC(44, plic_claim(PLIC_CTX_M), UART_IRQ);
	REC(45, plic_claim(PLIC_CTX_S), 0u);
	uart_thri(0);
	plic_complete(PLIC_CTX_M, UART_IRQ);
	plic_reset();
	rec_flush();
}

int main(void)
{
	trap_set_irq_handler(on_irq);
	test_registers();
	test_gating();
	test_claim_complete();
	test_m_interrupt();
	test_s_interrupt();
	return 0;
}
