/* test_iss_csr.c: cmocka tests of the ISS's CSR file: WARL masks, privilege rules, traps and interrupt priority (as umbra_csr.sv). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "iss.h"
#include "iss_fixture.h"

static int setup(void **state)
{
	struct iss_fixture *fx = iss_fixture_new();

	if (!fx)
		return -1;
	fx->s.clint.mtimecmp = UINT64_MAX;   /* no timer interrupt unless a case asks */
	*state = fx;
	return 0;
}

static uint32_t rd(struct iss *s, uint32_t addr)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(iss_csr_access(s, addr, ISS_CSR_RS, false, 0, &v), 0);
	return v;
}

static int wr(struct iss *s, uint32_t addr, uint32_t val)
{
	uint32_t old;

	return iss_csr_access(s, addr, ISS_CSR_RW, true, val, &old);
}

/* Case 1: identity registers and the WARL masks of umbra_csr.sv. */
static void test_csr_warl(void **state)
{
	struct iss *s = &((struct iss_fixture *)*state)->s;

	assert_int_equal(rd(s, 0x301), 0x40141100u);
	assert_int_equal(rd(s, 0xf13), 0x756d6272u);
	assert_int_equal(rd(s, 0xf14), 0);
	wr(s, 0x302, ~0u); assert_int_equal(rd(s, 0x302), 0xb3ffu);
	wr(s, 0x303, ~0u); assert_int_equal(rd(s, 0x303), 0x222u);
	wr(s, 0x304, ~0u); assert_int_equal(rd(s, 0x304), 0xaaau);
	wr(s, 0x344, ~0u); assert_int_equal(rd(s, 0x344) & 0x222u, 0x222u);
	wr(s, 0x320, ~0u); assert_int_equal(rd(s, 0x320), 0xfdu);
	wr(s, 0x300, ~0u); assert_int_equal(rd(s, 0x300), 0x007e19aau);
	wr(s, 0x300, 2u << 11); assert_int_equal(rd(s, 0x300), 3u << 11);   /* MPP=2 keeps MPP */
	wr(s, 0x300, 1u << 11); assert_int_equal(rd(s, 0x300), 1u << 11);
	wr(s, 0x305, 0x80000101u); assert_int_equal(rd(s, 0x305), 0x80000101u);
	wr(s, 0x305, 0x80000202u); assert_int_equal(rd(s, 0x305), 0x80000101u);  /* mode 2 ignored */
	wr(s, 0x305, 0x80000203u); assert_int_equal(rd(s, 0x305), 0x80000101u);
	wr(s, 0x341, 0x80000007u); assert_int_equal(rd(s, 0x341), 0x80000004u);
	wr(s, 0x180, ~0u); assert_int_equal(rd(s, 0x180), 0x803fffffu);
	wr(s, 0x100, ~0u); assert_int_equal(rd(s, 0x100), 0x000c0122u);
	assert_int_equal(rd(s, 0x3a0), 0); assert_int_equal(rd(s, 0x3bf), 0);   /* PMP: 0 entries */
	assert_int_equal(rd(s, 0x323), 0);
	assert_int_equal(iss_check(s), 0);
}

/* Case 2: S views of M registers follow mideleg. */
static void test_csr_s_views(void **state)
{
	struct iss *s = &((struct iss_fixture *)*state)->s;

	wr(s, 0x304, 0xaaau);
	assert_int_equal(rd(s, 0x104), 0);
	wr(s, 0x303, 0x222u);
	assert_int_equal(rd(s, 0x104), 0x222u);
	wr(s, 0x104, 0);
	assert_int_equal(rd(s, 0x304), 0x888u);
	wr(s, 0x144, ~0u);                 /* only SSIP is writable through sip */
	assert_int_equal(rd(s, 0x344) & 0x222u, 0x2u);
	wr(s, 0x303, 0);
	assert_int_equal(rd(s, 0x144), 0);
}

/* Case 3: privilege, read-only, TVM and counter-enable rules give illegal instruction. */
static void test_csr_privilege(void **state)
{
	struct iss *s = &((struct iss_fixture *)*state)->s;
	uint32_t v;

	assert_int_equal(iss_csr_access(s, 0xf13, ISS_CSR_RW, true, 0, &v), -EPERM);
	assert_int_equal(iss_csr_access(s, 0xf13, ISS_CSR_RS, false, 0, &v), 0);
	assert_int_equal(iss_csr_access(s, 0x7c4, ISS_CSR_RS, false, 0, &v), -EPERM);  /* past the GWB CSRs */
	assert_int_equal(iss_csr_access(s, 0xb01, ISS_CSR_RS, false, 0, &v), -EPERM);  /* no mtime CSR */
	assert_int_equal(iss_csr_access(s, 0xc01, ISS_CSR_RS, false, 0, &v), 0);
	s->priv = ISS_PRIV_S;
	assert_int_equal(iss_csr_access(s, 0x300, ISS_CSR_RS, false, 0, &v), -EPERM);
	assert_int_equal(iss_csr_access(s, 0x100, ISS_CSR_RS, false, 0, &v), 0);
	assert_int_equal(iss_csr_access(s, 0xc00, ISS_CSR_RS, false, 0, &v), -EPERM);
	s->csr.mcounteren = 1;
	assert_int_equal(iss_csr_access(s, 0xc00, ISS_CSR_RS, false, 0, &v), 0);
	assert_int_equal(iss_csr_access(s, 0xc80, ISS_CSR_RS, false, 0, &v), 0);
	assert_int_equal(iss_csr_access(s, 0xc02, ISS_CSR_RS, false, 0, &v), -EPERM);
	assert_int_equal(iss_csr_access(s, 0x180, ISS_CSR_RS, false, 0, &v), 0);
	s->csr.mstatus |= MSTATUS_TVM;
	assert_int_equal(iss_csr_access(s, 0x180, ISS_CSR_RS, false, 0, &v), -EPERM);
	s->priv = ISS_PRIV_U;
	assert_int_equal(iss_csr_access(s, 0x100, ISS_CSR_RS, false, 0, &v), -EPERM);
	assert_int_equal(iss_csr_access(s, 0xc00, ISS_CSR_RS, false, 0, &v), -EPERM);
	s->csr.scounteren = 1;
	assert_int_equal(iss_csr_access(s, 0xc00, ISS_CSR_RS, false, 0, &v), 0);
}

/* Case 4: trap entry, delegation, mret/sret. */
static void test_csr_traps(void **state)
{
	struct iss *s = &((struct iss_fixture *)*state)->s;

	s->csr.mtvec = 0x80000100u;
	s->csr.stvec = 0x80000200u;
	s->csr.medeleg = 1u << EXC_ECALL_U;
	s->priv = ISS_PRIV_U;
	s->csr.mstatus = MSTATUS_SIE;
	iss_trap_enter(s, EXC_ECALL_U, false, 0, 0x1234);
	assert_int_equal(s->priv, ISS_PRIV_S);
	assert_int_equal(s->pc, 0x80000200u);
	assert_int_equal(s->csr.sepc, 0x1234);
	assert_int_equal(s->csr.scause, EXC_ECALL_U);
	assert_int_equal(s->csr.mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP), MSTATUS_SPIE);
	iss_trap_enter(s, EXC_ILLEGAL, false, 0xbad, 0x2000);   /* not delegated: to M */
	assert_int_equal(s->priv, ISS_PRIV_M);
	assert_int_equal(s->csr.mtval, 0xbad);
	assert_int_equal((s->csr.mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, ISS_PRIV_S);
	s->csr.mstatus |= MSTATUS_MPRV;
	iss_do_mret(s);
	assert_int_equal(s->priv, ISS_PRIV_S);
	assert_int_equal(s->pc, 0x2000);
	assert_int_equal(s->csr.mstatus & (MSTATUS_MPRV | MSTATUS_MPP), 0);
	assert_true(s->csr.mstatus & MSTATUS_MPIE);
	iss_do_sret(s);
	assert_int_equal(s->priv, ISS_PRIV_U);
	assert_true(s->csr.mstatus & MSTATUS_SIE);
	s->priv = ISS_PRIV_M;                                   /* M traps are never delegated */
	iss_trap_enter(s, EXC_ECALL_U, false, 0, 0x3000);
	assert_int_equal(s->priv, ISS_PRIV_M);
	assert_int_equal(s->csr.mcause, EXC_ECALL_U);
	s->csr.mtvec = 0x80000101u;                             /* vectored: interrupts only */
	iss_trap_enter(s, IRQ_MT, true, 0, 0x3000);
	assert_int_equal(s->pc, 0x80000100u + 4 * IRQ_MT);
	assert_int_equal(s->csr.mcause, 0x80000000u | IRQ_MT);
	iss_trap_enter(s, EXC_BREAKPOINT, false, 0, 0x3000);
	assert_int_equal(s->pc, 0x80000100u);
}

/* Case 5: interrupt selection: MEI MSI MTI SEI SSI STI, enables and delegation. */
static void test_csr_irq_priority(void **state)
{
	struct iss *s = &((struct iss_fixture *)*state)->s;

	s->csr.mie = 0xaaa;
	s->csr.mip_sw = 0x222;                          /* SSIP STIP SEIP */
	assert_int_equal(iss_irq_pending(s), -1);       /* M with MIE=0 */
	s->csr.mstatus = MSTATUS_MIE;
	assert_int_equal(iss_irq_pending(s), IRQ_SE);
	s->clint.mtimecmp = 0;
	assert_int_equal(iss_irq_pending(s), IRQ_MT);
	s->clint.msip = true;
	assert_int_equal(iss_irq_pending(s), IRQ_MS);
	s->clint.msip = false;
	s->clint.mtimecmp = UINT64_MAX;
	s->csr.mideleg = 0x222;                         /* delegated: not taken in M */
	assert_int_equal(iss_irq_pending(s), -1);
	s->priv = ISS_PRIV_S;
	assert_int_equal(iss_irq_pending(s), -1);       /* S with SIE=0 */
	s->priv = ISS_PRIV_U;
	assert_int_equal(iss_irq_pending(s), IRQ_SE);
	s->csr.mip_sw = 0x22;
	assert_int_equal(iss_irq_pending(s), IRQ_SS);
	s->csr.mip_sw = 0x20;
	assert_int_equal(iss_irq_pending(s), IRQ_ST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_csr_warl, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_csr_s_views, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_csr_privilege, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_csr_traps, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_csr_irq_priority, setup, iss_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
