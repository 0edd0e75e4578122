/* test_iss_mmu.c: cmocka tests of the ISS's Sv32 walker: every fault branch of umbra_ptw.sv with hand-built page tables. */
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

#define ROOT   0x80100000u   /* level-1 table */
#define L0     0x80101000u   /* level-0 table */
#define PAGE   0x80200000u   /* a data page */
#define VA     0x40001000u   /* vpn1 = 0x100, vpn0 = 1 */
#define LEAF   (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

static int setup(void **state)
{
	struct iss_fixture *fx = iss_fixture_new();

	if (!fx)
		return -1;
	fx->s.priv = ISS_PRIV_S;
	fx->s.csr.satp = SATP_MODE | (ROOT >> 12);
	*state = fx;
	return 0;
}

static uint32_t ptr(uint32_t table) { return ((table >> 12) << 10) | PTE_V; }
static uint32_t leaf(uint32_t pa, uint32_t flags) { return ((pa >> 12) << 10) | flags; }

/* Two-level mapping VA -> PAGE with level-0 flags. */
static void map4k(struct iss_fixture *fx, uint32_t flags)
{
	FX_PUT(fx, ROOT + (VA >> 22) * 4, ptr(L0));
	FX_PUT(fx, L0 + ((VA >> 12) & 0x3ff) * 4, leaf(PAGE, flags));
}

static enum iss_walk_result walk(struct iss_fixture *fx)
{
	iss_mmu_flush(&fx->s);
	return iss_mmu_walk(&fx->s, &fx->s.dtlb, VA);
}

static int xlate(struct iss_fixture *fx, unsigned acc, uint32_t *pa)
{
	iss_mmu_flush(&fx->s);
	return iss_mmu_translate(&fx->s, VA + 0x234, acc, fx->s.priv, pa);
}

/* Case 1: a 4 KiB leaf and a 4 MiB megapage translate. */
static void test_walk_ok(void **state)
{
	struct iss_fixture *fx = *state;
	uint32_t pa;

	map4k(fx, LEAF);
	assert_int_equal(walk(fx), WALK_OK);
	assert_int_equal(xlate(fx, ISS_ACC_STORE, &pa), 0);
	assert_int_equal(pa, PAGE + 0x234);
	FX_PUT(fx, ROOT + (VA >> 22) * 4, leaf(0x80400000u, LEAF));
	assert_int_equal(xlate(fx, ISS_ACC_LOAD, &pa), 0);
	assert_int_equal(pa, 0x80400000u + (VA & 0x3fffffu) + 0x234);
	assert_int_equal(iss_check(&fx->s), 0);
}

/* Case 2: PTE addresses above 4 GiB or with no memory behind them: access faults. */
static void test_walk_access_fault(void **state)
{
	struct iss_fixture *fx = *state;
	uint32_t pa;

	fx->s.csr.satp = SATP_MODE | 0x100000u | (ROOT >> 12 & 0xfffff);   /* ppn[20] set */
	assert_int_equal(walk(fx), WALK_ACCESS_FAULT);
	assert_int_equal(xlate(fx, ISS_ACC_LOAD, &pa), ISS_XLATE_ACCESS_FAULT);
	fx->s.csr.satp = SATP_MODE | (0x90000000u >> 12);   /* past the 4 MiB of RAM */
	assert_int_equal(walk(fx), WALK_ACCESS_FAULT);
	fx->s.csr.satp = SATP_MODE | (0x70000000u >> 12);   /* nothing on the mmio bus */
	assert_int_equal(walk(fx), WALK_ACCESS_FAULT);
	fx->s.csr.satp = SATP_MODE | (ROOT >> 12);
	FX_PUT(fx, ROOT + (VA >> 22) * 4, ptr(0x90000000u));    /* level-0 table outside RAM */
	assert_int_equal(walk(fx), WALK_ACCESS_FAULT);
	FX_PUT(fx, ROOT + (VA >> 22) * 4, (0x300000u << 10) | PTE_V);  /* level-0 table above 4 GiB */
	assert_int_equal(walk(fx), WALK_ACCESS_FAULT);
}

/* Case 3: each page-fault branch of the walker, in both levels where it applies. */
static void test_walk_page_faults(void **state)
{
	struct iss_fixture *fx = *state;
	uint32_t pa;

	map4k(fx, LEAF & ~PTE_V);
	assert_int_equal(walk(fx), WALK_INVALID);
	FX_PUT(fx, ROOT + (VA >> 22) * 4, 0);
	assert_int_equal(walk(fx), WALK_INVALID);
	map4k(fx, PTE_V | PTE_W | PTE_A | PTE_D);
	assert_int_equal(walk(fx), WALK_WRITE_NO_READ);
	FX_PUT(fx, ROOT + (VA >> 22) * 4, ptr(L0) | PTE_W);
	assert_int_equal(walk(fx), WALK_WRITE_NO_READ);
	FX_PUT(fx, ROOT + (VA >> 22) * 4, ptr(L0) | PTE_A);
	assert_int_equal(walk(fx), WALK_BAD_POINTER);
	FX_PUT(fx, ROOT + (VA >> 22) * 4, ptr(L0) | PTE_D);
	assert_int_equal(walk(fx), WALK_BAD_POINTER);
	FX_PUT(fx, ROOT + (VA >> 22) * 4, ptr(L0) | PTE_U);
	assert_int_equal(walk(fx), WALK_BAD_POINTER);
	map4k(fx, PTE_V);                                    /* pointer at level 0 */
	assert_int_equal(walk(fx), WALK_NO_LEAF);
	FX_PUT(fx, ROOT + (VA >> 22) * 4, leaf(0x80401000u, LEAF));
	assert_int_equal(walk(fx), WALK_MISALIGNED_MEGA);
	map4k(fx, LEAF & ~PTE_A);
	assert_int_equal(walk(fx), WALK_NOT_ACCESSED);
	assert_int_equal(xlate(fx, ISS_ACC_FETCH, &pa), ISS_XLATE_PAGE_FAULT);
}

/* Case 4: permission checks on an accepted leaf (umbra_pte_check.sv) and the 4 GiB limit. */
static void test_leaf_permissions(void **state)
{
	struct iss_fixture *fx = *state;
	uint32_t pa;

	map4k(fx, LEAF & ~PTE_D);                            /* Svade: store with D=0 */
	assert_int_equal(xlate(fx, ISS_ACC_STORE, &pa), ISS_XLATE_PAGE_FAULT);
	assert_int_equal(xlate(fx, ISS_ACC_LOAD, &pa), 0);
	map4k(fx, PTE_V | PTE_X | PTE_A);                    /* execute-only: load needs MXR */
	assert_int_equal(xlate(fx, ISS_ACC_LOAD, &pa), ISS_XLATE_PAGE_FAULT);
	fx->s.csr.mstatus |= MSTATUS_MXR;
	assert_int_equal(xlate(fx, ISS_ACC_LOAD, &pa), 0);
	assert_int_equal(xlate(fx, ISS_ACC_FETCH, &pa), 0);
	map4k(fx, LEAF | PTE_U);                             /* S on a U page: SUM, never fetch */
	assert_int_equal(xlate(fx, ISS_ACC_LOAD, &pa), ISS_XLATE_PAGE_FAULT);
	fx->s.csr.mstatus |= MSTATUS_SUM;
	assert_int_equal(xlate(fx, ISS_ACC_LOAD, &pa), 0);
	assert_int_equal(xlate(fx, ISS_ACC_FETCH, &pa), ISS_XLATE_PAGE_FAULT);
	fx->s.priv = ISS_PRIV_U;
	assert_int_equal(xlate(fx, ISS_ACC_FETCH, &pa), 0);
	map4k(fx, LEAF);                                     /* U on an S page */
	assert_int_equal(xlate(fx, ISS_ACC_LOAD, &pa), ISS_XLATE_PAGE_FAULT);
	fx->s.priv = ISS_PRIV_S;
	FX_PUT(fx, L0 + ((VA >> 12) & 0x3ff) * 4, (0x200000u << 10) | LEAF);  /* leaf above 4 GiB */
	assert_int_equal(xlate(fx, ISS_ACC_LOAD, &pa), ISS_XLATE_ACCESS_FAULT);
	FX_PUT(fx, L0 + ((VA >> 12) & 0x3ff) * 4, (0x200000u << 10) | (LEAF & ~PTE_W));
	assert_int_equal(xlate(fx, ISS_ACC_STORE, &pa), ISS_XLATE_PAGE_FAULT);  /* perm before 4 GiB */
}

/* Case 5: the TLB keeps a leaf until sfence.vma/satp write (rule 4); M-mode is bare. */
static void test_tlb_flush(void **state)
{
	struct iss_fixture *fx = *state;
	uint32_t pa;

	map4k(fx, LEAF);
	assert_int_equal(xlate(fx, ISS_ACC_LOAD, &pa), 0);
	FX_PUT(fx, L0 + ((VA >> 12) & 0x3ff) * 4, 0);
	assert_int_equal(iss_mmu_translate(&fx->s, VA, ISS_ACC_LOAD, ISS_PRIV_S, &pa), 0);
	assert_int_equal(pa, PAGE);
	iss_mmu_flush(&fx->s);
	assert_int_equal(iss_mmu_translate(&fx->s, VA, ISS_ACC_LOAD, ISS_PRIV_S, &pa),
			 ISS_XLATE_PAGE_FAULT);
	assert_int_equal(iss_mmu_translate(&fx->s, VA, ISS_ACC_LOAD, ISS_PRIV_M, &pa), 0);
	assert_int_equal(pa, VA);
	assert_int_equal(iss_check(&fx->s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_walk_ok, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_walk_access_fault, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_walk_page_faults, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_leaf_permissions, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_tlb_flush, setup, iss_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
