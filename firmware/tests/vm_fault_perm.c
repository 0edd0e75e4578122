/* vm_fault_perm.c: page faults from leaf permissions: U page from S (SUM), S page from U, MXR, read-only pages. */
#include "common/vm_lib.h"

int main(void)
{
	uint32_t va = VM_PAGE_VA(9);
	uint32_t *pte = vm_pte0(va);
	uint32_t f1 = vm_frame_pa(1);

	vm_init();

	/* 1..3: U page from S-mode without SUM: load, store and fetch fault. */
	vm_set_pte(pte, VM_PTE(f1, PTE_V | PTE_RWX | PTE_U | PTE_AD));
	vm_expect_load_fault(1, MODE_S, va + 0x124, CAUSE_LOAD_PAGE_FAULT);
	vm_expect_store_fault(2, MODE_S, va + 0x238, CAUSE_STORE_PAGE_FAULT);
	vm_expect_fetch_fault(3, MODE_S, va, CAUSE_FETCH_PAGE_FAULT);
	CHECK_EQ(2, vm_frame_word(1, 0x238), VM_PATTERN(1, 0x238));

	/* 4..6: with SUM, loads and stores work; a fetch from a U page never does in S-mode. */
	csr_set(mstatus, MSTATUS_SUM);
	vm_expect_load(4, MODE_S, va + 0x124, VM_PATTERN(1, 0x124));
	vm_expect_store(5, MODE_S, va + 0x238, f1 + 0x238);
	vm_expect_fetch_fault(6, MODE_S, va, CAUSE_FETCH_PAGE_FAULT);
	/* 7: SUM is visible and writable through sstatus too. */
	CHECK_SIG(7, csr_read(sstatus) & MSTATUS_SUM, MSTATUS_SUM);
	csr_clear(sstatus, MSTATUS_SUM);
	CHECK_SIG(8, csr_read(mstatus) & MSTATUS_SUM, 0);
	vm_expect_load_fault(9, MODE_S, va + 0x124, CAUSE_LOAD_PAGE_FAULT);

	/* 10..12: the same U page from U-mode works. */
	vm_fill_frames();
	vm_expect_load(10, MODE_U, va + 0x124, VM_PATTERN(1, 0x124));
	vm_expect_store(11, MODE_U, va + 0x238, f1 + 0x238);
	vm_expect_fetch(12, MODE_U, va, 1);

	/* 13..15: S page from U-mode faults; 16..18: SUM does not change that. */
	vm_fill_frames();
	vm_set_pte(pte, VM_PTE(f1, PTE_V | PTE_RWX | PTE_AD));
	vm_expect_load_fault(13, MODE_U, va + 0x124, CAUSE_LOAD_PAGE_FAULT);
	vm_expect_store_fault(14, MODE_U, va + 0x238, CAUSE_STORE_PAGE_FAULT);
	vm_expect_fetch_fault(15, MODE_U, va, CAUSE_FETCH_PAGE_FAULT);
	csr_set(mstatus, MSTATUS_SUM);
	vm_expect_load_fault(16, MODE_U, va + 0x124, CAUSE_LOAD_PAGE_FAULT);
	vm_expect_store_fault(17, MODE_U, va + 0x238, CAUSE_STORE_PAGE_FAULT);
	vm_expect_fetch_fault(18, MODE_U, va, CAUSE_FETCH_PAGE_FAULT);
	csr_clear(mstatus, MSTATUS_SUM);
	CHECK_EQ(17, vm_frame_word(1, 0x238), VM_PATTERN(1, 0x238));

	/* 20..24: execute-only S page: load faults without MXR and works with it; stores never. */
	vm_set_pte(pte, VM_PTE(f1, PTE_V | PTE_X | PTE_A));
	vm_expect_load_fault(20, MODE_S, va + 0x124, CAUSE_LOAD_PAGE_FAULT);
	vm_expect_fetch(21, MODE_S, va, 1);
	csr_set(mstatus, MSTATUS_MXR);
	vm_expect_load(22, MODE_S, va + 0x124, VM_PATTERN(1, 0x124));
	vm_expect_store_fault(23, MODE_S, va + 0x238, CAUSE_STORE_PAGE_FAULT);
	csr_clear(mstatus, MSTATUS_MXR);
	vm_expect_load_fault(24, MODE_S, va + 0x124, CAUSE_LOAD_PAGE_FAULT);

	/* 25..28: execute-only U page from U-mode; then from S with SUM and MXR together. */
	vm_set_pte(pte, VM_PTE(f1, PTE_V | PTE_X | PTE_U | PTE_A));
	vm_expect_load_fault(25, MODE_U, va + 0x124, CAUSE_LOAD_PAGE_FAULT);
	csr_set(sstatus, MSTATUS_MXR);
	vm_expect_load(26, MODE_U, va + 0x124, VM_PATTERN(1, 0x124));
	vm_expect_load_fault(27, MODE_S, va + 0x124, CAUSE_LOAD_PAGE_FAULT); /* MXR without SUM */
	csr_set(mstatus, MSTATUS_SUM);
	vm_expect_load(28, MODE_S, va + 0x128, VM_PATTERN(1, 0x128));
	csr_clear(mstatus, MSTATUS_SUM | MSTATUS_MXR);

	/* 29..31: read-only (R, no W) pages: store faults, load works, in S and U. */
	vm_set_pte(pte, VM_PTE(f1, PTE_V | PTE_R | PTE_A | PTE_D));
	vm_expect_store_fault(29, MODE_S, va + 0x238, CAUSE_STORE_PAGE_FAULT);
	vm_expect_load(30, MODE_S, va + 0x238, VM_PATTERN(1, 0x238));
	vm_set_pte(pte, VM_PTE(f1, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A | PTE_D));
	vm_expect_store_fault(31, MODE_U, va + 0x23c, CAUSE_STORE_PAGE_FAULT);
	vm_expect_fetch(32, MODE_U, va, 1);

	/* 33..35: the same checks on a U megapage from S-mode. */
	vm_map_mega(VM_VA_MEGA, VM_VA_IDENT, PTE_V | PTE_RWX | PTE_U | PTE_AD);
	vm_expect_load_fault(33, MODE_S, vm_mega_va(VM_VA_MEGA, 2, 0x40), CAUSE_LOAD_PAGE_FAULT);
	csr_set(mstatus, MSTATUS_SUM);
	vm_expect_load(34, MODE_S, vm_mega_va(VM_VA_MEGA, 2, 0x40), VM_PATTERN(2, 0x40));
	vm_expect_fetch_fault(35, MODE_S, vm_mega_va(VM_VA_MEGA, 2, 0), CAUSE_FETCH_PAGE_FAULT);
	csr_clear(mstatus, MSTATUS_SUM);
	return 0;
}
