/* csr_counters.c: mcycle/minstret/time and high halves, mcountinhibit, mcounteren/scounteren gating, CSR privilege checks. */
#include "test.h"

/* Reads in lower modes with a fixed destination register, so the trapping encoding is known. */
static uint32_t rd_cycle(uint32_t a)
{
	uint32_t v;

	(void)a;
	__asm__ volatile("csrr a0, cycle\n\tmv %0, a0" : "=r"(v) : : "a0");
	return v;
}

static uint32_t rd_time(uint32_t a)
{
	uint32_t v;

	(void)a;
	__asm__ volatile("csrr a0, time\n\tmv %0, a0" : "=r"(v) : : "a0");
	return v;
}

static uint32_t rd_instret(uint32_t a)
{
	uint32_t v;

	(void)a;
	__asm__ volatile("csrr a0, instret\n\tmv %0, a0" : "=r"(v) : : "a0");
	return v;
}

static uint32_t rd_cycleh(uint32_t a)
{
	uint32_t v;

	(void)a;
	__asm__ volatile("csrr a0, cycleh\n\tmv %0, a0" : "=r"(v) : : "a0");
	return v;
}

/*
 * minstret over known instruction sequences (umbra checks them exactly; QEMU 7.2 counts host
 * ticks).  Each returns minstret after minus minstret before, read by two csrr: the first
 * csrr retires inside the window, the second reads before it retires.
 *  instret_seq:  csrr + 11 instructions (nop, addi, sw, lw, mul, div, taken and untaken
 *                branch, jal, csrr, fence; two skipped nops) = 12 retired;
 *  instret_trap: csrr, nop, nop, then an illegal instruction that traps straight to a
 *                local mtvec = 3 retired (the trapping one does not retire);
 *  instret_irq:  csrr, nop, csrsi mstatus.MIE with SSIP pending and enabled, so the SSI is
 *                taken before the next nop = 3 retired (the interrupted one is not).
 * The trap variants restore mtvec, mie and mstatus themselves.
 */
uint32_t instret_seq(void);
uint32_t instret_trap(void);
uint32_t instret_irq(void);
#define INSTRET_SEQ  12u
#define INSTRET_TRAP 3u
#define INSTRET_IRQ  3u
__asm__(
	"	.text\n"
	"	.balign 4\n"
	"	.globl instret_seq\n"
	"instret_seq:\n"
	"	addi	sp, sp, -16\n"
	"	li	t3, 7\n"
	"	csrr	t1, minstret\n"
	"	nop\n"
	"	addi	t3, t3, 5\n"
	"	sw	t3, 0(sp)\n"
	"	lw	t4, 0(sp)\n"
	"	mul	t4, t4, t3\n"
	"	div	t4, t4, t3\n"
	"	beq	t4, t3, 1f\n"
	"	nop\n"
	"1:	bne	t4, t3, 1b\n"
	"	jal	zero, 2f\n"
	"	nop\n"
	"2:	csrr	t5, mscratch\n"
	"	fence\n"
	"	csrr	t2, minstret\n"
	"	addi	sp, sp, 16\n"
	"	sub	a0, t2, t1\n"
	"	ret\n"
	"	.globl instret_trap\n"
	"instret_trap:\n"
	"	csrr	t4, mstatus\n"
	"	la	t0, 1f\n"
	"	csrrw	t3, mtvec, t0\n"
	"	csrr	t1, minstret\n"
	"	nop\n"
	"	nop\n"
	"	.word	0\n"
	"	nop\n"
	"	.balign 4\n"
	"1:	csrr	t2, minstret\n"
	"	csrw	mtvec, t3\n"
	"	csrw	mstatus, t4\n"
	"	sub	a0, t2, t1\n"
	"	ret\n"
	"	.globl instret_irq\n"
	"instret_irq:\n"
	"	csrr	t4, mstatus\n"
	"	csrr	t5, mie\n"
	"	la	t0, 1f\n"
	"	csrrw	t3, mtvec, t0\n"
	"	csrwi	mie, 2\n"
	"	csrsi	mip, 2\n"
	"	csrr	t1, minstret\n"
	"	nop\n"
	"	csrsi	mstatus, 8\n"
	"	nop\n"
	"	nop\n"
	"	.balign 4\n"
	"1:	csrr	t2, minstret\n"
	"	csrci	mip, 2\n"
	"	csrw	mie, t5\n"
	"	csrw	mtvec, t3\n"
	"	csrw	mstatus, t4\n"
	"	sub	a0, t2, t1\n"
	"	ret\n");

static uint32_t (*const readers[4])(uint32_t) = {rd_cycle, rd_time, rd_instret, rd_cycleh};
static const uint32_t reader_bit[4] = {COUNTER_CY, COUNTER_TM, COUNTER_IR, COUNTER_CY};

/* 1 if reader r traps in mode with these enables */
static uint32_t traps_in(int mode, int r, uint32_t men, uint32_t sen)
{
	uint32_t n = last_trap.count;

	csr_write(mcounteren, men);
	csr_write(scounteren, sen);
	trap_expect();
	run_in_mode(mode, readers[r], 0);
	trap_expect_clear();
	return last_trap.count - n;
}

/* mcycle and time over the same window: two csrr each, in the same order at both ends. */
static void cycles_and_ticks(uint32_t spins, uint32_t *dc, uint32_t *dt)
{
	uint32_t c0, t0, c1, t1;

	__asm__ volatile("csrr %0, mcycle\n\tcsrr %1, time" : "=r"(c0), "=r"(t0));
	for (volatile uint32_t k = 0; k < spins; k++)
		;
	__asm__ volatile("csrr %0, mcycle\n\tcsrr %1, time" : "=r"(c1), "=r"(t1));
	*dc = c1 - c0;
	*dt = t1 - t0;
}

/*
 * umbra only (QEMU's counters follow the host clock): 14..16 minstret counts exactly the
 * retired instructions; 17 mcycle advances at least once per retired instruction; 18 time
 * (mtime) advances once every 10 cycles (the default --mtime-div): over a window of dc
 * cycles it moves by dc/10, give or take one tick and the few cycles between the two reads;
 * 19 the value written to minstret is what the next instruction reads (the write replaces
 * the increment, Zicsr), and its retirement carries into minstreth.
 */
static void test_exact_umbra(void)
{
	uint32_t c0, i0, c1, i1, dc, dt, lo, hi;

	if (!platform_is_umbra())
		return;
	CHECK_EQ(14, instret_seq(), INSTRET_SEQ);
	CHECK_EQ(15, instret_trap(), INSTRET_TRAP);
	CHECK_EQ(16, instret_irq(), INSTRET_IRQ);
	c0 = csr_read(mcycle);
	i0 = csr_read(minstret);
	for (volatile int k = 0; k < 200; k++)
		;
	i1 = csr_read(minstret);
	c1 = csr_read(mcycle);
	CHECK(17, i1 - i0 > 200 && c1 - c0 >= i1 - i0);
	cycles_and_ticks(400, &dc, &dt);
	CHECK(18, dc > 2000 && 10 * dt + 20 > dc && dc + 20 > 10 * dt);
	__asm__ volatile("csrw minstreth, zero\n\tcsrw minstret, %2\n\tcsrr %0, minstret\n\t"
			 "csrr %1, minstreth"
			 : "=&r"(lo), "=&r"(hi)
			 : "r"(0xffffffffu));
	CHECK_EQ(19, lo, 0xffffffffu);
	CHECK_EQ(19, hi, 1u);
}

static void test_increase(void)
{
	uint32_t c0, c1, i0, i1;

	c0 = csr_read(mcycle);
	i0 = csr_read(minstret);
	for (volatile int k = 0; k < 50; k++)
		;
	c1 = csr_read(mcycle);
	i1 = csr_read(minstret);
	CHECK(1, c1 - c0 > 0 && c1 - c0 < 0x80000000u);
	CHECK(2, i1 - i0 > 0 && i1 - i0 < 0x80000000u);
	/* the unprivileged aliases read the same counters */
	c0 = csr_read(mcycle);
	c1 = csr_read(cycle);
	CHECK(3, c1 - c0 < 0x80000000u);
	i0 = csr_read(minstret);
	i1 = csr_read(instret);
	CHECK(4, i1 - i0 > 0 && i1 - i0 < 0x80000000u);
	CHECK(5, csr_read(cycleh) - csr_read(mcycleh) <= 1);
	CHECK(6, csr_read(instreth) - csr_read(minstreth) <= 1);
	/* time follows mtime */
	uint32_t t0 = csr_read(time);
	uint32_t m = mmio_read32(CLINT_MTIME);
	uint32_t t1 = csr_read(time);
	CHECK(7, m - t0 < 0x80000000u && t1 - m < 0x80000000u);
	CHECK(8, csr_read(timeh) == mmio_read32(CLINT_MTIME + 4));
	uint32_t spins = 0;
	while (csr_read(time) == t1 && spins < 1000000)
		spins++;
	CHECK(9, csr_read(time) != t1);
	print("note: counter values depend on timing: QEMU counts host ticks; umbra is checked "
	      "exactly (minstret deltas, mcycle >= minstret, 10 cycles per mtime tick), not signed\n");
	test_exact_umbra();
}

static void test_write_counters(void)
{
	/* writes: the high halves keep what was written (the low halves are far from a carry) */
	csr_write(mcycle, 0);
	csr_write(mcycleh, 5);
	CHECK_SIG(10, csr_read(mcycleh), 5u);
	csr_write(minstret, 0);
	csr_write(minstreth, 7);
	CHECK_SIG(11, csr_read(minstreth), 7u);
	csr_write(mcycle, 1000);
	uint32_t c = csr_read(mcycle);
	CHECK(12, c - 1000u < 0x10000000u);
	csr_write(minstret, 1000);
	c = csr_read(minstret);
	CHECK(13, c - 1000u < 0x10000000u);
}

static void test_inhibit(void)
{
	uint32_t c0, c1, i0, i1;

	csr_write(mcountinhibit, COUNTER_CY | COUNTER_IR);
	CHECK_SIG(20, csr_read(mcountinhibit) & (COUNTER_CY | COUNTER_IR), COUNTER_CY | COUNTER_IR);
	c0 = csr_read(mcycle);
	i0 = csr_read(minstret);
	for (volatile int k = 0; k < 50; k++)
		;
	c1 = csr_read(mcycle);
	i1 = csr_read(minstret);
	CHECK_SIG(21, c1 - c0, 0u);
	CHECK_SIG(22, i1 - i0, 0u);
	csr_write(mcountinhibit, 0);
	CHECK_SIG(23, csr_read(mcountinhibit) & (COUNTER_CY | COUNTER_IR), 0u);
	/* 25: umbra: exactly bits 0 and 2..7 (CY, IR, hpmcounter3..7) are writable, TM is not */
	csr_write(mcountinhibit, 0xffffffffu);
	CHECK_ON_UMBRA(25, csr_read(mcountinhibit), 0xfdu);
	csr_write(mcountinhibit, 0);
	CHECK_ON_UMBRA(25, csr_read(mcountinhibit), 0u);
	c0 = csr_read(mcycle);
	for (volatile int k = 0; k < 50; k++)
		;
	CHECK(24, csr_read(mcycle) != c0);
}

/*
 * S-mode reads need mcounteren; U-mode reads need mcounteren and scounteren.
 * Signature per reader: bit (2*mode_index + combo) set when it trapped.
 */
static void test_counteren(void)
{
	static const uint32_t en[4][2] = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};

	for (int r = 0; r < 4; r++) {
		uint32_t bits = 0, want = 0;

		for (int k = 0; k < 4; k++) {
			uint32_t men = en[k][0] ? reader_bit[r] : 0;
			uint32_t sen = en[k][1] ? reader_bit[r] : 0;

			bits |= traps_in(MODE_S, r, men, sen) << k;
			bits |= traps_in(MODE_U, r, men, sen) << (4 + k);
			want |= (uint32_t)(!en[k][0]) << k;
			want |= (uint32_t)(!(en[k][0] && en[k][1])) << (4 + k);
		}
		CHECK_SIG(30 + r, bits, want);
	}
	/* the trap is an illegal instruction with the encoding in mtval */
	traps_in(MODE_U, 0, 0, 0);
	CHECK_SIG(34, last_trap.cause, CAUSE_ILLEGAL_INSN);
	CHECK_SIG(35, last_trap.tval, 0xc0002573u); /* csrr a0, cycle */
	/* other enable bits do not open the wrong counter */
	CHECK_SIG(36, traps_in(MODE_S, 1, COUNTER_CY | COUNTER_IR, 0), 1u);
	CHECK_SIG(37, traps_in(MODE_U, 2, COUNTER_IR, COUNTER_CY | COUNTER_TM), 1u);
	csr_write(mcounteren, 0);
	csr_write(scounteren, 0);
}

static uint32_t rd_mstatus(uint32_t a)
{
	(void)a;
	return csr_read(mstatus);
}

static uint32_t rd_mscratch(uint32_t a)
{
	(void)a;
	return csr_read(mscratch);
}

static uint32_t wr_mie(uint32_t a)
{
	csr_write(mie, a);
	return 0;
}

static uint32_t rd_sstatus(uint32_t a)
{
	(void)a;
	return csr_read(sstatus);
}

static uint32_t rd_satp(uint32_t a)
{
	(void)a;
	return csr_read(satp);
}

static uint32_t rd_mcycle(uint32_t a)
{
	(void)a;
	return csr_read(mcycle);
}

static uint32_t rd_stvec(uint32_t a)
{
	(void)a;
	return csr_read(stvec);
}

struct priv_case {
	uint32_t (*fn)(uint32_t);
	int mode;
	uint32_t traps; /* expected */
};

static void test_csr_privilege(void)
{
	static const struct priv_case cases[] = {
		{rd_mstatus, MODE_S, 1}, {rd_mscratch, MODE_S, 1}, {wr_mie, MODE_S, 1},
		{rd_mcycle, MODE_S, 1},  {rd_sstatus, MODE_S, 0},  {rd_satp, MODE_S, 0},
		{rd_stvec, MODE_S, 0},   {rd_mstatus, MODE_U, 1},  {rd_sstatus, MODE_U, 1},
		{rd_satp, MODE_U, 1},    {rd_stvec, MODE_U, 1},    {rd_mcycle, MODE_U, 1},
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t n = last_trap.count;

		trap_expect();
		run_in_mode(cases[i].mode, cases[i].fn, 0);
		trap_expect_clear();
		CHECK_SIG(40 + i, last_trap.count - n, cases[i].traps);
		if (cases[i].traps)
			CHECK_EQ(40 + i, last_trap.cause, CAUSE_ILLEGAL_INSN);
	}
}

int main(void)
{
	test_increase();
	test_write_counters();
	test_inhibit();
	test_counteren();
	test_csr_privilege();
	return 0;
}
