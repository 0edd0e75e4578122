/* test_iss_gwb.c: cmocka tests of the ISS's guest write buffer (SPEC §3, docs/gwb.md): CSRs, append, full, what is not traced. */
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
#include "iss_mmu.h"

#define CODE   0x80000000u   /* identity megapage, S-mode code */
#define ROOT   0x80100000u   /* level-1 table */
#define L0     0x80101000u   /* level-0 table */
#define PAGE   0x80200000u   /* the traced data page */
#define LOG    0x80300000u   /* the GWB log */
#define VA     0x40001000u   /* maps PAGE */
#define LEAF   (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

static void map_data(struct iss_fixture *fx, uint32_t flags)
{
	FX_PUT(fx, L0 + ((VA >> 12) & 0x3ffu) * 4, ((PAGE >> 12) << 10) | flags);
}

static int setup(void **state)
{
	struct iss_fixture *fx = iss_fixture_new();

	if (!fx)
		return -1;
	FX_PUT(fx, ROOT + (CODE >> 22) * 4, ((CODE >> 12) << 10) | PTE_V | PTE_R | PTE_X | PTE_A);
	FX_PUT(fx, ROOT + (VA >> 22) * 4, ((L0 >> 12) << 10) | PTE_V);
	map_data(fx, LEAF | PTE_T);
	fx->s.priv = ISS_PRIV_S;
	fx->s.pc = CODE;
	fx->s.csr.satp = SATP_MODE | (ROOT >> 12);
	fx->s.csr.mtvec = CODE + 0x800;
	fx->s.csr.gwbctl = MGWBCTL_EN;
	fx->s.csr.gwbbase = LOG;
	fx->s.csr.gwbcap = 4;
	*state = fx;
	return 0;
}

/* S-type store: funct3 0 sb, 1 sh, 2 sw. */
static uint32_t store_insn(unsigned funct3, unsigned rs1, unsigned rs2, int32_t imm)
{
	uint32_t i = (uint32_t)imm & 0xfffu;

	return ((i >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | ((i & 31u) << 7) |
	       0x23u;
}

/* Execute one store at pc CODE: x1 = base address, x2 = value. */
static void do_store(struct iss_fixture *fx, unsigned funct3, uint32_t va, uint32_t val)
{
	FX_PUT(fx, CODE, store_insn(funct3, 1, 2, 0));
	iss_drop_decoded(&fx->s);   /* the code changed behind the model's back */
	fx->s.pc = CODE;
	fx->s.x[1] = va;
	fx->s.x[2] = val;
	assert_int_equal(iss_step(&fx->s, 1), 1);
	assert_int_equal(iss_check(&fx->s), 0);
}

static int csr(struct iss_fixture *fx, uint32_t addr, bool write, uint32_t w, uint32_t *old)
{
	return iss_csr_access(&fx->s, addr, ISS_CSR_RW, write, w, old);
}

/* Case 1: the four CSRs are WARL as docs/gwb.md says, M-mode only. */
static void test_gwb_csrs(void **state)
{
	struct iss_fixture *fx = *state;
	uint32_t v;

	fx->s.priv = ISS_PRIV_M;
	assert_int_equal(csr(fx, CSR_MGWBCTL, true, 0xffffffffu, &v), 0);
	assert_int_equal(fx->s.csr.gwbctl, MGWBCTL_EN);
	assert_int_equal(csr(fx, CSR_MGWBBASE, true, 0xffffffffu, &v), 0);
	assert_int_equal(fx->s.csr.gwbbase, 0xfffffff8u);
	assert_int_equal(csr(fx, CSR_MGWBIDX, true, 0xffffffffu, &v), 0);
	assert_int_equal(fx->s.csr.gwbidx, 0x1fffu);
	assert_int_equal(csr(fx, CSR_MGWBCAP, true, 8, &v), 0);
	assert_int_equal(fx->s.csr.gwbcap, 8);
	{
		static const uint32_t bad[] = { 0, 3, 12, 8192, 0x80000000u, 0xffffffffu };
		unsigned i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			assert_int_equal(csr(fx, CSR_MGWBCAP, true, bad[i], &v), 0);
			assert_int_equal(fx->s.csr.gwbcap, 8);   /* ignored */
		}
	}
	assert_int_equal(csr(fx, CSR_MGWBCAP, true, 4096, &v), 0);
	assert_int_equal(fx->s.csr.gwbcap, 4096);
	assert_int_equal(csr(fx, CSR_MGWBCAP, false, 0, &v), 0);
	assert_int_equal(v, 4096);
	fx->s.priv = ISS_PRIV_S;
	assert_int_equal(csr(fx, CSR_MGWBIDX, false, 0, &v), -EPERM);
	assert_int_equal(iss_check(&fx->s), 0);
}

/* Case 2: without the extension every GWB CSR is illegal and mhpmcounter6/7 read 0. */
static void test_gwb_absent(void **state)
{
	struct iss_fixture *fx = *state;
	uint32_t v, a;

	fx->s.priv = ISS_PRIV_M;
	fx->s.gwb = false;
	for (a = CSR_MGWBCTL; a <= CSR_MGWBCAP; a++)
		assert_int_equal(csr(fx, a, false, 0, &v), -EPERM);
	fx->s.csr.hpm[ISS_HPM_GWB_APPEND] = 5;
	assert_int_equal(csr(fx, 0xb06, true, 7, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(fx->s.csr.hpm[ISS_HPM_GWB_APPEND], 5);
	/* and a store through a T=1 leaf logs nothing */
	fx->s.priv = ISS_PRIV_S;
	fx->s.gwb = true;
	fx->s.csr.gwbctl = 0;
	do_store(fx, 2, VA, 0x1234);
	assert_int_equal(fx->s.csr.gwbidx, 0);
	assert_int_equal(fx_get(fx, LOG), 0);
}

/* Case 3: word, half and byte stores append pa|size and the truncated data; the counter counts. */
static void test_gwb_append_sizes(void **state)
{
	struct iss_fixture *fx = *state;

	do_store(fx, 2, VA + 0x10, 0xdeadbeefu);
	assert_int_equal(fx_get(fx, PAGE + 0x10), 0xdeadbeefu);
	assert_int_equal(fx_get(fx, LOG), (PAGE + 0x10) | 2u);
	assert_int_equal(fx_get(fx, LOG + 4), 0xdeadbeefu);
	do_store(fx, 1, VA + 0x22, 0xcafef00du);
	assert_int_equal(fx_get(fx, PAGE + 0x20) >> 16, 0xf00du);
	assert_int_equal(fx_get(fx, LOG + 8), (PAGE + 0x20) | 1u);
	assert_int_equal(fx_get(fx, LOG + 12), 0xf00du);
	do_store(fx, 0, VA + 0x33, 0x123456a5u);
	assert_int_equal(fx_get(fx, PAGE + 0x30) >> 24, 0xa5u);
	assert_int_equal(fx_get(fx, LOG + 16), (PAGE + 0x30) | 0u);
	assert_int_equal(fx_get(fx, LOG + 20), 0xa5u);
	assert_int_equal(fx->s.csr.gwbidx, 3);
	assert_int_equal(fx->s.csr.hpm[ISS_HPM_GWB_APPEND], 3);
	assert_int_equal(fx->s.instret, 3);
}

/* Case 4: untraced leaves, EN=0, M-mode and MPRV with MPP=M log nothing; MPRV with MPP=S logs. */
static void test_gwb_not_traced(void **state)
{
	struct iss_fixture *fx = *state;

	map_data(fx, LEAF);
	iss_mmu_flush(&fx->s);
	do_store(fx, 2, VA, 1);
	assert_int_equal(fx->s.csr.gwbidx, 0);
	map_data(fx, LEAF | PTE_T);
	iss_mmu_flush(&fx->s);
	fx->s.csr.gwbctl = 0;
	do_store(fx, 2, VA, 2);
	assert_int_equal(fx->s.csr.gwbidx, 0);
	fx->s.csr.gwbctl = MGWBCTL_EN;
	fx->s.priv = ISS_PRIV_M;
	do_store(fx, 2, PAGE, 3);                      /* M-mode: bare */
	fx->s.csr.mstatus = MSTATUS_MPRV | MSTATUS_MPP;   /* MPRV, MPP = M: still bare */
	do_store(fx, 2, PAGE, 4);
	assert_int_equal(fx->s.csr.gwbidx, 0);
	assert_int_equal(fx_get(fx, LOG), 0);
	fx->s.csr.mstatus = MSTATUS_MPRV | (ISS_PRIV_S << MSTATUS_MPP_SHIFT);
	do_store(fx, 2, VA + 4, 5);                    /* MPRV as S: translated and traced */
	assert_int_equal(fx->s.csr.gwbidx, 1);
	assert_int_equal(fx_get(fx, LOG), (PAGE + 4) | 2u);
	assert_int_equal(fx->s.priv, ISS_PRIV_M);
}

/* Case 5: full log: cause 24 to M even if medeleg is all ones, mtval/mepc, no store, no record. */
static void test_gwb_full(void **state)
{
	struct iss_fixture *fx = *state;

	fx->s.csr.gwbcap = 1;
	fx->s.csr.medeleg = 0xb3ffu;   /* every delegable cause */
	do_store(fx, 2, VA, 0x11);
	assert_int_equal(fx->s.csr.gwbidx, 1);
	do_store(fx, 2, VA + 8, 0x22);
	assert_int_equal(fx->s.priv, ISS_PRIV_M);
	assert_int_equal(fx->s.csr.mcause, EXC_GWB_FULL);
	assert_int_equal(fx->s.csr.mtval, VA + 8);
	assert_int_equal(fx->s.csr.mepc, CODE);
	assert_int_equal(fx->s.pc, CODE + 0x800);
	assert_int_equal(fx_get(fx, PAGE + 8), 0);        /* not performed */
	assert_int_equal(fx_get(fx, LOG + 8), 0);
	assert_int_equal(fx->s.csr.gwbidx, 1);
	assert_int_equal(fx->s.csr.hpm[ISS_HPM_GWB_FULL], 1);
	assert_int_equal(fx->s.csr.hpm[ISS_HPM_GWB_APPEND], 1);
	/* an index past the capacity is full too (no record outside the log) */
	fx->s.priv = ISS_PRIV_S;
	fx->s.csr.gwbcap = 4;
	fx->s.csr.gwbidx = 9;
	do_store(fx, 2, VA + 8, 0x22);
	assert_int_equal(fx->s.csr.mcause, EXC_GWB_FULL);
}

/* Case 6: a store that faults for another reason logs nothing; a record that cannot be written is an access fault. */
static void test_gwb_other_faults(void **state)
{
	struct iss_fixture *fx = *state;

	do_store(fx, 2, VA + 2, 1);                    /* misaligned */
	assert_int_equal(fx->s.csr.mcause, EXC_STORE_MISALIGNED);
	fx->s.priv = ISS_PRIV_S;
	map_data(fx, (LEAF & ~PTE_D) | PTE_T);           /* D=0: page fault */
	iss_mmu_flush(&fx->s);
	do_store(fx, 2, VA, 1);
	assert_int_equal(fx->s.csr.mcause, EXC_STORE_PAGE);
	assert_int_equal(fx->s.csr.gwbidx, 0);
	assert_int_equal(fx->s.csr.hpm[ISS_HPM_GWB_APPEND], 0);
	assert_int_equal(fx_get(fx, LOG), 0);
	/* the log is where nothing answers: the store is done, the append faults */
	fx->s.priv = ISS_PRIV_S;
	map_data(fx, LEAF | PTE_T);
	iss_mmu_flush(&fx->s);
	fx->s.csr.gwbbase = 0x70000000u;
	do_store(fx, 2, VA + 12, 0x77);
	assert_int_equal(fx->s.csr.mcause, EXC_STORE_ACCESS);
	assert_int_equal(fx->s.csr.mtval, VA + 12);
	assert_int_equal(fx_get(fx, PAGE + 12), 0x77);
	assert_int_equal(fx->s.csr.gwbidx, 0);
}

/* Case 7: T is cached in the TLB: clearing it in memory has no effect until sfence.vma. */
static void test_gwb_tlb_caches_t(void **state)
{
	struct iss_fixture *fx = *state;

	do_store(fx, 2, VA, 1);
	assert_int_equal(fx->s.csr.gwbidx, 1);
	map_data(fx, LEAF);                            /* T cleared, no flush */
	do_store(fx, 2, VA, 2);
	assert_int_equal(fx->s.csr.gwbidx, 2);
	iss_mmu_flush(&fx->s);                         /* what sfence.vma does */
	do_store(fx, 2, VA, 3);
	assert_int_equal(fx->s.csr.gwbidx, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gwb_csrs, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_gwb_absent, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_gwb_append_sizes, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_gwb_not_traced, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_gwb_full, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_gwb_other_faults, setup, iss_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_gwb_tlb_caches_t, setup, iss_fixture_teardown),
	};

	return cmocka_run_group_tests_name("iss_gwb", tests, NULL, NULL);
}
