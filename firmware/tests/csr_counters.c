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
	print("note: counter values depend on timing and are not compared (QEMU counts host ticks)\n");
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
