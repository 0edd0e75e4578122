/* trap_deleg_rest.c: the delegations trap_deleg.c leaves out (ecall from S, fetch faults and misaligned accesses to S) and the same causes from U/S kept in M. */
#include "test.h"

/*
 * Cases 1-19: medeleg sends ecall from S, misaligned fetch, fetch access fault and
 * misaligned load/store to S-mode; scause/stval/sepc as the privileged spec says (§3.1.8,
 * §4.1.9). Cases 20-29: the same causes with medeleg = 0 are taken in M although they come
 * from U or S. QEMU does misaligned loads and stores in hardware: those cases are checked
 * on umbra only (CHECK_ON_UMBRA), never signed, so the consoles stay the same.
 */

#define DELEG_S ((1u << CAUSE_MISALIGNED_FETCH) | (1u << CAUSE_FETCH_ACCESS) |                    \
		 (1u << CAUSE_MISALIGNED_LOAD) | (1u << CAUSE_MISALIGNED_STORE) | (1u << CAUSE_ECALL_S))

/*
 * The exit stub of run_in_mode() ends an S-mode call with an ecall, which must reach M: so
 * after its delegated ecall, S-mode code runs an ebreak (kept in M), and this M-mode hook
 * takes bit 9 out of medeleg and skips the ebreak.
 */
static int undelegate_ecall_s(struct trap_frame *f, uint32_t mode)
{
	if (mode != MODE_M || f->cause != CAUSE_BREAKPOINT)
		return 0;
	csr_clear(medeleg, 1u << CAUSE_ECALL_S);
	f->epc += 4;
	return 1;
}

static uint32_t ecall_in_s(uint32_t arg)
{
	uint32_t got;

	trap_expect();
	got = ecall1(arg);
	trap_expect_clear();
	__asm__ volatile("ebreak");
	return got;
}

static uint32_t misaligned_jump(uint32_t arg)
{
	(void)arg;
	trap_expect();
	__asm__ volatile("la t0, 9f+6\n9:\tjalr zero, 0(t0)\n\tnop\n\tnop" : : : "t0");
	trap_expect_clear();
	return last_trap.mode;
}

static uint32_t call_unmapped(uint32_t addr)
{
	trap_expect();
	__asm__ volatile("jalr ra, 0(%0)" : : "r"(addr) : "ra");
	trap_expect_clear();
	return last_trap.mode;
}

static uint32_t misaligned_load(uint32_t addr)
{
	uint32_t v = 0x0bad0bad;

	trap_expect();
	__asm__ volatile("lw %0, 0(%1)" : "+r"(v) : "r"(addr) : "memory");
	trap_expect_clear();
	return v;
}

static uint32_t misaligned_store(uint32_t addr)
{
	trap_expect();
	__asm__ volatile("sh %0, 0(%1)" : : "r"(0x5566u), "r"(addr) : "memory");
	trap_expect_clear();
	return 0;
}

static uint32_t ebreak_in(uint32_t arg)
{
	(void)arg;
	trap_expect();
	__asm__ volatile("ebreak");
	trap_expect_clear();
	return last_trap.mode;
}

static void test_to_s(void)
{
	static uint32_t data[2] __attribute__((aligned(8))) = { 0x44332211u, 0x88776655u };
	uint32_t n, v;

	csr_write(medeleg, DELEG_S);
	trap_set_exc_handler(undelegate_ecall_s);

	/* ecall from S, delegated: S takes it with scause 9, stval 0; then bit 9 is cleared */
	n = last_trap.count;
	CHECK_SIG(1, run_in_mode(MODE_S, ecall_in_s, 0x2a), 0x2au);
	CHECK_SIG(2, csr_read(medeleg), DELEG_S & ~(1u << CAUSE_ECALL_S));
	CHECK_SIG(3, last_trap.count - n, 2u); /* the ecall in S and the ebreak in M */
	CHECK_SIG(4, csr_read(scause), CAUSE_ECALL_S);
	CHECK_SIG(5, csr_read(stval), 0u);

	/* misaligned fetch from S and from U, delegated: stval = the target, sepc = the jump
	 * (sepc as the trap left it is in last_trap.epc: the handler moves sepc on) */
	CHECK_SIG(6, run_in_mode(MODE_S, misaligned_jump, 0), MODE_S);
	CHECK_SIG(7, csr_read(scause), CAUSE_MISALIGNED_FETCH);
	CHECK_SIG(8, csr_read(stval) - last_trap.epc, 6u);
	CHECK_SIG(9, run_in_mode(MODE_U, misaligned_jump, 0), MODE_S);
	CHECK_SIG(10, csr_read(scause), CAUSE_MISALIGNED_FETCH);

	/* fetch access fault from S, delegated: sepc = stval = the target */
	CHECK_SIG(11, run_in_mode(MODE_S, call_unmapped, UNMAPPED_ADDR), MODE_S);
	CHECK_SIG(12, csr_read(scause), CAUSE_FETCH_ACCESS);
	CHECK_SIG(13, csr_read(stval), UNMAPPED_ADDR);
	CHECK_SIG(14, last_trap.epc, UNMAPPED_ADDR);

	/* misaligned load and store from U, delegated (umbra traps; QEMU may do them) */
	n = last_trap.count;
	v = run_in_mode(MODE_U, misaligned_load, (uint32_t)data + 1);
	CHECK_ON_UMBRA(15, last_trap.count - n, 1u);
	CHECK_ON_UMBRA(16, v, 0x0bad0bad);
	CHECK_ON_UMBRA(17, csr_read(scause), CAUSE_MISALIGNED_LOAD);
	CHECK_ON_UMBRA(17, csr_read(stval), (uint32_t)data + 1);
	n = last_trap.count;
	run_in_mode(MODE_S, misaligned_store, (uint32_t)data + 3);
	CHECK_ON_UMBRA(18, last_trap.count - n, 1u);
	CHECK_ON_UMBRA(19, csr_read(scause), CAUSE_MISALIGNED_STORE);
	CHECK_ON_UMBRA(19, csr_read(stval), (uint32_t)data + 3);
	CHECK_ON_UMBRA(19, data[0], 0x44332211u); /* nothing written */
	CHECK_ON_UMBRA(19, data[1], 0x88776655u);

	trap_set_exc_handler(0);
	csr_write(medeleg, 0);
}

static void test_kept_in_m(void)
{
	static uint32_t data[2] __attribute__((aligned(8))) = { 0x44332211u, 0x88776655u };
	uint32_t n, v;

	/* not delegated: traps from U and S go to M */
	CHECK_SIG(20, run_in_mode(MODE_U, ebreak_in, 0), MODE_M);
	CHECK_SIG(21, last_trap.cause, CAUSE_BREAKPOINT);
	CHECK_SIG(22, run_in_mode(MODE_U, misaligned_jump, 0), MODE_M);
	CHECK_SIG(23, last_trap.cause, CAUSE_MISALIGNED_FETCH);
	CHECK_SIG(24, last_trap.tval - last_trap.epc, 6u);
	CHECK_SIG(25, run_in_mode(MODE_S, call_unmapped, UNMAPPED_ADDR), MODE_M);
	CHECK_SIG(26, last_trap.cause, CAUSE_FETCH_ACCESS);
	n = last_trap.count;
	v = run_in_mode(MODE_U, misaligned_load, (uint32_t)data + 2);
	CHECK_ON_UMBRA(27, last_trap.count - n, 1u);
	CHECK_ON_UMBRA(27, last_trap.mode, MODE_M);
	CHECK_ON_UMBRA(28, last_trap.cause, CAUSE_MISALIGNED_LOAD);
	CHECK_ON_UMBRA(28, v, 0x0bad0bad);
	n = last_trap.count;
	run_in_mode(MODE_U, misaligned_store, (uint32_t)data + 1);
	CHECK_ON_UMBRA(29, last_trap.count - n, 1u);
	CHECK_ON_UMBRA(29, last_trap.cause, CAUSE_MISALIGNED_STORE);
	CHECK_ON_UMBRA(29, data[0], 0x44332211u);
}

int main(void)
{
	test_to_s();
	test_kept_in_m();
	return 0;
}
