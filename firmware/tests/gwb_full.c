/* gwb_full.c: the GWB-full exception (cause 24 to M, mtval, mepc, no store, no record, counter) and stores that fault for other reasons logging nothing. */
#include "common/gwb_lib.h"

#define SRW  (PTE_V | PTE_R | PTE_W | PTE_AD)
#define URW  (SRW | PTE_U)
#define NOTHING_PA 0x00400000u /* no device there on QEMU virt or umbra-virt (vm_lib.h rule 1) */

/* The GWB-full trap of a size store from mode at va (pa behind it): nothing changed but the counter. */
static void expect_full(uint32_t case_no, int mode, uint32_t size, uint32_t va, uint32_t pa)
{
	uint32_t before = gwb_mem(pa, size), fulls = gwb_fulls();

	gwb_expect_fault(case_no, mode, size, va, CAUSE_GWB_FULL);
	CHECK_EQ(case_no, gwb_mem(pa, size), before);  /* the store was not performed */
	CHECK_EQ(case_no, gwb_fulls(), fulls + 1);
}

/* A store that faults with cause for another reason: nothing logged, not a full trap. */
static void expect_other_fault(uint32_t case_no, int mode, uint32_t size, uint32_t va, uint32_t cause)
{
	uint32_t fulls = gwb_fulls();

	gwb_expect_fault(case_no, mode, size, va, cause);
	CHECK_EQ(case_no, gwb_fulls(), fulls);
}

int main(void)
{
	uint32_t tva = VM_PAGE_VA(1), uva = VM_PAGE_VA(3), nva = VM_PAGE_VA(2);
	uint32_t rova = VM_PAGE_VA(4), cleanva = VM_PAGE_VA(5), holeva = VM_PAGE_VA(6);
	uint32_t f1 = vm_frame_pa(1), f2 = vm_frame_pa(2), f3 = vm_frame_pa(3);

	gwb_require();
	vm_init();
	vm_map_page(tva, f1, SRW | PTE_T);
	vm_map_page(nva, f2, SRW);
	vm_map_page(uva, f3, URW | PTE_T);
	vm_map_page(rova, f1, PTE_V | PTE_R | PTE_AD | PTE_T);           /* traced, read-only */
	vm_map_page(cleanva, f1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_T); /* traced, D = 0 */
	vm_map_page(holeva, NOTHING_PA, SRW | PTE_T);                    /* traced, no memory */
	gwb_reset_log();
	gwb_enable(1);

	/* 1, 2: mgwbidx == mgwbcap: cause 24 in M, mtval = va, mepc = the store, from S and U. */
	gwb_write(CSR_MGWBCAP, 4);
	gwb_write(CSR_MGWBIDX, 4);
	expect_full(1, MODE_S, GWB_SIZE_WORD, tva + 0x80, f1 + 0x80);
	expect_full(2, MODE_U, GWB_SIZE_BYTE, uva + 0x83, f3 + 0x83);
	expect_full(2, MODE_U, GWB_SIZE_HALF, uva + 0x86, f3 + 0x86);
	/* 3: mgwbidx > mgwbcap is full too. */
	gwb_write(CSR_MGWBIDX, 100);
	expect_full(3, MODE_S, GWB_SIZE_WORD, tva + 0x84, f1 + 0x84);
	/* 4: never delegated, even with every delegable exception but the ecalls delegated to S. */
	csr_write(medeleg, ~((1u << CAUSE_ECALL_U) | (1u << CAUSE_ECALL_S)));
	expect_full(4, MODE_S, GWB_SIZE_WORD, tva + 0x88, f1 + 0x88);
	expect_full(4, MODE_U, GWB_SIZE_WORD, uva + 0x88, f3 + 0x88);
	csr_write(medeleg, 0);
	/* 5: after a drain (mgwbidx = 0) the same store goes through and is logged. */
	gwb_write(CSR_MGWBIDX, 0);
	gwb_expect_logged(5, MODE_S, GWB_SIZE_WORD, tva + 0x88, f1 + 0x88);

	/* 6..9: full, but another check comes first or the store is not traced. */
	gwb_write(CSR_MGWBIDX, 4);
	expect_other_fault(6, MODE_S, GWB_SIZE_WORD, rova + 0x10, CAUSE_STORE_PAGE_FAULT);
	expect_other_fault(6, MODE_S, GWB_SIZE_WORD, cleanva + 0x10, CAUSE_STORE_PAGE_FAULT);
	expect_other_fault(7, MODE_S, GWB_SIZE_WORD, tva + 0x12, CAUSE_MISALIGNED_STORE);
	expect_other_fault(7, MODE_U, GWB_SIZE_HALF, uva + 0x13, CAUSE_MISALIGNED_STORE);
	expect_other_fault(8, MODE_U, GWB_SIZE_WORD, tva + 0x14, CAUSE_STORE_PAGE_FAULT); /* U on S page */
	gwb_expect_unlogged(9, MODE_S, GWB_SIZE_WORD, nva + 0x18, f2 + 0x18);
	gwb_enable(0);
	gwb_expect_unlogged(9, MODE_S, GWB_SIZE_WORD, tva + 0x1c, f1 + 0x1c);
	gwb_enable(1);
	CHECK_EQ(9, gwb_idx(), 4);

	/* 10..12: not full: stores that fault for any other reason log nothing. */
	gwb_reset_log();
	expect_other_fault(10, MODE_S, GWB_SIZE_BYTE, rova + 0x20, CAUSE_STORE_PAGE_FAULT);
	expect_other_fault(10, MODE_S, GWB_SIZE_HALF, cleanva + 0x20, CAUSE_STORE_PAGE_FAULT);
	expect_other_fault(11, MODE_S, GWB_SIZE_WORD, tva + 0x21, CAUSE_MISALIGNED_STORE);
	expect_other_fault(11, MODE_U, GWB_SIZE_WORD, tva + 0x24, CAUSE_STORE_PAGE_FAULT);
	/* 12: the store's own bus access fails: store access fault, no record. */
	expect_other_fault(12, MODE_S, GWB_SIZE_WORD, holeva + 0x28, CAUSE_STORE_ACCESS);
	CHECK_EQ(12, gwb_idx(), 0);

	/*
	 * 13: the record cannot be written (mgwbbase has no memory behind it): the store itself is
	 * done, then a store access fault with mtval = va; mgwbidx and the counter stay.
	 */
	gwb_write(CSR_MGWBBASE, NOTHING_PA);
	expect_other_fault(13, MODE_S, GWB_SIZE_WORD, tva + 0x2c, CAUSE_STORE_ACCESS);
	CHECK_EQ(13, vm_frame_word(1, 0x2c), GWB_STORE_VALUE(tva + 0x2c));
	expect_other_fault(13, MODE_U, GWB_SIZE_BYTE, uva + 0x31, CAUSE_STORE_ACCESS);
	CHECK_EQ(13, gwb_mem(f3 + 0x31, GWB_SIZE_BYTE), gwb_store_value(uva + 0x31, GWB_SIZE_BYTE));
	CHECK_EQ(13, gwb_idx(), 0);
	gwb_write(CSR_MGWBBASE, (uint32_t)gwb_log);
	gwb_expect_logged(13, MODE_S, GWB_SIZE_WORD, tva + 0x34, f1 + 0x34);

	/* 14: mcountinhibit bit 7 stops the full counter, not the trap. */
	gwb_write(CSR_MGWBCAP, 4);
	gwb_write(CSR_MGWBIDX, 4);
	csr_set(mcountinhibit, 1u << 7);
	{
		uint32_t fulls = gwb_fulls();

		gwb_expect_fault(14, MODE_S, GWB_SIZE_WORD, tva + 0x38, CAUSE_GWB_FULL);
		CHECK_EQ(14, gwb_fulls(), fulls);
	}
	csr_clear(mcountinhibit, 1u << 7);

	gwb_enable(0);
	vm_off();
	return 0;
}
