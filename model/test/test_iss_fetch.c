/* test_iss_fetch.c: cmocka tests of the ISS's decoded-code cache and fetch shortcut (iss.h rules 5 and 7): nothing stale is ever executed. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "iss.h"
#include "iss_fixture.h"
#include "iss_mmu.h"

#define CODE  0x80000000u
#define CODE2 0x80002000u   /* a second physical code page */
#define ROOT  0x80100000u
#define L0    0x80101000u
#define VA    0x40000000u   /* virtual code page, mapped to CODE or CODE2 */
#define ADDI(rd, imm) (((uint32_t)(imm) << 20) | ((rd) << 7) | 0x13u)   /* addi rd, zero, imm */

static int setup(void **state)
{
	struct iss_fixture *fx = iss_fixture_new();

	if (!fx)
		return -1;
	fx->s.pc = CODE;
	*state = fx;
	return 0;
}

/* Execute the word at pc (M-mode unless the test set up otherwise) and return x5. */
static uint32_t run_at(struct iss_fixture *fx, uint32_t pc)
{
	fx->s.pc = pc;
	assert_int_equal(iss_step(&fx->s, 1), 1);
	assert_int_equal(iss_check(&fx->s), 0);
	return fx->s.x[5];
}

/* Case 1: a store to decoded code (through the model's own port) drops the page. */
static void test_store_invalidates(void **state)
{
	struct iss_fixture *fx = *state;
	uint32_t dummy;

	FX_PUT(fx, CODE, ADDI(5, 1));
	assert_int_equal(run_at(fx, CODE), 1);
	assert_int_equal(iss_phys_access(&fx->s, CODE, true, 0xf, ADDI(5, 2), &dummy), 0);
	assert_int_equal(run_at(fx, CODE), 2);
	/* a byte store into the word counts too */
	assert_int_equal(iss_phys_access(&fx->s, CODE, true, 0x4, 0x00300000u, &dummy), 0);
	assert_int_equal(run_at(fx, CODE), 3);
}

/* Case 2: device DMA (mem_write_bytes) drops every decoded page before the next step. */
static void test_dma_invalidates(void **state)
{
	struct iss_fixture *fx = *state;
	uint32_t w = ADDI(5, 7);

	FX_PUT(fx, CODE + 4, ADDI(5, 6));
	assert_int_equal(run_at(fx, CODE + 4), 6);
	assert_int_equal(mem_write_bytes(&fx->m.ram, CODE + 4, &w, 4), 0);
	assert_int_equal(run_at(fx, CODE + 4), 7);
}

/* Case 3: fence.i drops decoded code (a write behind the model's back, as another hart would). */
static void test_fence_i(void **state)
{
	struct iss_fixture *fx = *state;

	FX_PUT(fx, CODE + 8, ADDI(5, 8));
	assert_int_equal(run_at(fx, CODE + 8), 8);
	FX_PUT(fx, CODE + 8, ADDI(5, 9));   /* mem_write_word: not seen by the model */
	assert_int_equal(run_at(fx, CODE + 8), 8);
	FX_PUT(fx, CODE + 12, 0x0000100fu);   /* fence.i */
	run_at(fx, CODE + 12);
	assert_int_equal(run_at(fx, CODE + 8), 9);
}

/* Case 4: the fetch shortcut follows sfence.vma and privilege changes. */
static void test_shortcut_remaps(void **state)
{
	struct iss_fixture *fx = *state;

	FX_PUT(fx, CODE, ADDI(5, 10));
	FX_PUT(fx, CODE2, ADDI(5, 20));
	FX_PUT(fx, ROOT + (VA >> 22) * 4, ((L0 >> 12) << 10) | PTE_V);
	FX_PUT(fx, L0, ((CODE >> 12) << 10) | PTE_V | PTE_X | PTE_A);
	fx->s.csr.satp = SATP_MODE | (ROOT >> 12);
	fx->s.priv = ISS_PRIV_S;
	iss_mmu_flush(&fx->s);
	assert_int_equal(run_at(fx, VA), 10);
	FX_PUT(fx, L0, ((CODE2 >> 12) << 10) | PTE_V | PTE_X | PTE_A);
	iss_mmu_flush(&fx->s);   /* sfence.vma */
	assert_int_equal(run_at(fx, VA), 20);
	/* in M-mode the same pc is physical: 0x40000000 is not memory */
	fx->s.priv = ISS_PRIV_M;
	fx->s.csr.mtvec = CODE + 0x100;
	fx->s.fetch_vpn = ISS_TLB_INVALID;   /* what every privilege change does */
	fx->s.pc = VA;
	iss_step(&fx->s, 1);
	assert_int_equal(fx->s.csr.mcause, EXC_INSN_ACCESS);
	assert_int_equal(fx->s.pc, CODE + 0x100);
}

/* Case 5: a trap into another privilege forgets the shortcut (an S-mode page is not M's). */
static void test_trap_forgets(void **state)
{
	struct iss_fixture *fx = *state;

	FX_PUT(fx, CODE, ADDI(5, 1));
	run_at(fx, CODE);
	assert_int_equal(fx->s.fetch_vpn, CODE >> 12);
	iss_trap_enter(&fx->s, EXC_ILLEGAL, false, 0, CODE);
	assert_int_equal(fx->s.fetch_vpn, ISS_TLB_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_invalidates, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_dma_invalidates, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_fence_i, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_shortcut_remaps, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_trap_forgets, setup, iss_fixture_teardown),
	};

	return cmocka_run_group_tests_name("iss_fetch", tests, NULL, NULL);
}
