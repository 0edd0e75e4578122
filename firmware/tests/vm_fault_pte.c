/* vm_fault_pte.c: page faults from malformed PTEs: V=0, reserved R/W/X, non-leaf at level 0, misaligned megapage, non-leaf A/D/U. */
#include "common/vm_lib.h"

#define SRWX (PTE_V | PTE_RWX | PTE_AD)
#define URWX (PTE_V | PTE_RWX | PTE_U | PTE_AD)

/* Load, store and fetch at page va (offsets 0x124, 0x238, 0) all page-fault: cases n..n+2. */
static void expect_all_fault(uint32_t n, int mode, uint32_t va)
{
	vm_expect_load_fault(n, mode, va + 0x124, CAUSE_LOAD_PAGE_FAULT);
	vm_expect_store_fault(n + 1, mode, va + 0x238, CAUSE_STORE_PAGE_FAULT);
	vm_expect_fetch_fault(n + 2, mode, va, CAUSE_FETCH_PAGE_FAULT);
	CHECK_EQ(n + 1, vm_frame_word(0, 0x238), VM_PATTERN(0, 0x238)); /* nothing stored */
}

int main(void)
{
	uint32_t va = VM_PAGE_VA(7);
	uint32_t *pte = vm_pte0(va);
	uint32_t f0 = vm_frame_pa(0);

	vm_init();

	/* 1..6: V=0 (a zero PTE, then one with every other bit set) in S; 7..9 in U. */
	vm_set_pte(pte, 0);
	expect_all_fault(1, MODE_S, va);
	vm_set_pte(pte, VM_PTE(f0, PTE_RWX | PTE_U | PTE_G | PTE_AD | PTE_RSW));
	expect_all_fault(4, MODE_S, va);
	expect_all_fault(7, MODE_U, va);

	/* 10..12: W without R is reserved; 13..15: W|X without R too (fetch included). */
	vm_set_pte(pte, VM_PTE(f0, PTE_V | PTE_W | PTE_AD));
	expect_all_fault(10, MODE_S, va);
	vm_set_pte(pte, VM_PTE(f0, PTE_V | PTE_W | PTE_X | PTE_AD));
	expect_all_fault(13, MODE_S, va);
	/* 16..18: the same from U-mode. */
	vm_set_pte(pte, VM_PTE(f0, PTE_V | PTE_W | PTE_U | PTE_AD));
	expect_all_fault(16, MODE_U, va);

	/* 20..23: fetch from pages without X (R, R|W) in S and U; the load still works. */
	vm_set_pte(pte, VM_PTE(f0, PTE_V | PTE_R | PTE_A));
	vm_expect_fetch_fault(20, MODE_S, va, CAUSE_FETCH_PAGE_FAULT);
	vm_expect_load(21, MODE_S, va + 0x10, VM_PATTERN(0, 0x10));
	vm_set_pte(pte, VM_PTE(f0, PTE_V | PTE_R | PTE_W | PTE_U | PTE_AD));
	vm_expect_fetch_fault(22, MODE_U, va, CAUSE_FETCH_PAGE_FAULT);
	vm_expect_load(23, MODE_U, va + 0x10, VM_PATTERN(0, 0x10));

	/* 24..29: a level-0 PTE that points to a further table (V=1, R=W=X=0). */
	vm_set_pte(pte, VM_PTE(vm_l0, PTE_V));
	expect_all_fault(24, MODE_S, va);
	vm_set_pte(pte, VM_PTE(f0, PTE_V | PTE_U));
	expect_all_fault(27, MODE_U, va);
	vm_set_pte(pte, 0);

	/* 30..35: megapage whose PPN[0] != 0 (RAM + 4 KiB): misaligned superpage. */
	vm_map_mega(VM_VA_MEGA, VM_VA_IDENT + VM_PAGE, SRWX);
	expect_all_fault(30, MODE_S, vm_mega_va(VM_VA_MEGA, 0, 0));
	vm_map_mega(VM_VA_MEGA, VM_VA_IDENT + VM_PAGE * 0x3ff, URWX);
	expect_all_fault(33, MODE_U, vm_mega_va(VM_VA_MEGA, 0, 0));

	/* 36..38: invalid level-1 PTE (V=0 with the bits of a pointer). */
	vm_map_mega(VM_VA_MEGA, (uint32_t)vm_l0, 0);
	expect_all_fault(36, MODE_S, VM_VA_MEGA + 0x7000);

	/*
	 * 40..45: a non-leaf PTE with A, D or U set.  The privileged spec reserves these bits
	 * in non-leaf PTEs; QEMU (and Spike) raise a page fault, umbra must too.
	 */
	vm_map_page(va, f0, SRWX);
	vm_set_pte(vm_pte1(VM_VA_MEGA), VM_PTE(vm_l0, PTE_V | PTE_A));
	vm_expect_load_fault(40, MODE_S, VM_VA_MEGA + 0x7000 + 0x124, CAUSE_LOAD_PAGE_FAULT);
	vm_expect_fetch_fault(41, MODE_S, VM_VA_MEGA + 0x7000, CAUSE_FETCH_PAGE_FAULT);
	vm_set_pte(vm_pte1(VM_VA_MEGA), VM_PTE(vm_l0, PTE_V | PTE_D));
	vm_expect_store_fault(42, MODE_S, VM_VA_MEGA + 0x7000 + 0x238, CAUSE_STORE_PAGE_FAULT);
	vm_expect_load_fault(43, MODE_S, VM_VA_MEGA + 0x7000 + 0x124, CAUSE_LOAD_PAGE_FAULT);
	vm_map_page(va, f0, URWX);
	vm_set_pte(vm_pte1(VM_VA_MEGA), VM_PTE(vm_l0, PTE_V | PTE_U));
	vm_expect_load_fault(44, MODE_U, VM_VA_MEGA + 0x7000 + 0x124, CAUSE_LOAD_PAGE_FAULT);
	vm_expect_store_fault(45, MODE_U, VM_VA_MEGA + 0x7000 + 0x238, CAUSE_STORE_PAGE_FAULT);

	/* 46, 47: G and the RSW bits in a non-leaf PTE are not reserved: the walk goes on. */
	vm_set_pte(vm_pte1(VM_VA_MEGA), VM_PTE(vm_l0, PTE_V | PTE_G | PTE_RSW));
	vm_expect_load(46, MODE_U, VM_VA_MEGA + 0x7000 + 0x124, VM_PATTERN(0, 0x124));
	vm_expect_fetch(47, MODE_U, VM_VA_MEGA + 0x7000, 0);
	vm_set_pte(vm_pte1(VM_VA_MEGA), 0);

	/* 48, 49: the same page through VM_VA_PAGES still works: faults left no stale state. */
	vm_expect_load(48, MODE_U, va + 0x124, VM_PATTERN(0, 0x124));
	vm_expect_store(49, MODE_U, va + 0x238, f0 + 0x238);
	return 0;
}
