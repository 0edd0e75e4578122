/* vm_deleg.c: page faults delegated to S-mode through medeleg, or taken in M-mode. */
#include "common/vm_lib.h"

#define PF_BITS ((1u << CAUSE_FETCH_PAGE_FAULT) | (1u << CAUSE_LOAD_PAGE_FAULT) | \
		 (1u << CAUSE_STORE_PAGE_FAULT))

/* Load, store, fetch faults at page va from mode, taken by trap_mode: cases n..n+2. */
static void expect_faults_in(uint32_t n, int mode, uint32_t va, uint32_t trap_mode)
{
	struct vm_result r;

	r = vm_run(mode, vm_probe_lw, va + 0x124);
	vm_expect_fault(n, r, CAUSE_LOAD_PAGE_FAULT, va + 0x124, vm_probe_pc(vm_probe_lw_at, mode),
			trap_mode, (uint32_t)mode);
	r = vm_run(mode, vm_probe_sw, va + 0x238);
	vm_expect_fault(n + 1, r, CAUSE_STORE_PAGE_FAULT, va + 0x238, vm_probe_pc(vm_probe_sw_at, mode),
			trap_mode, (uint32_t)mode);
	r = vm_run(mode, vm_probe_call, va);
	vm_expect_fault(n + 2, r, CAUSE_FETCH_PAGE_FAULT, va, va, trap_mode, (uint32_t)mode);
	CHECK_EQ(n + 2, r.value, 0);
}

int main(void)
{
	uint32_t va = VM_PAGE_VA(13); /* invalid: every access page-faults */
	struct vm_result r;

	vm_init();

	/* 1..6: medeleg = 0: S- and U-mode page faults go to M-mode. */
	expect_faults_in(1, MODE_S, va, MODE_M);
	expect_faults_in(4, MODE_U, va, MODE_M);

	/* 7: the three page-fault bits of medeleg are writable. */
	csr_set(medeleg, PF_BITS);
	CHECK_SIG(7, csr_read(medeleg) & PF_BITS, PF_BITS);

	/* 10..15: delegated: S- and U-mode page faults go to S-mode (strap_entry). */
	expect_faults_in(10, MODE_S, va, MODE_S);
	expect_faults_in(13, MODE_U, va, MODE_S);
	/* 16, 17: scause and stval hold the last delegated fault (the U fetch). */
	CHECK_SIG(16, csr_read(scause), CAUSE_FETCH_PAGE_FAULT);
	CHECK_SIG(17, csr_read(stval), va);

	/* 19, 20: only the load page fault delegated: a load goes to S, a store to M. */
	csr_write(medeleg, 1u << CAUSE_LOAD_PAGE_FAULT);
	r = vm_run(MODE_U, vm_probe_lw, va + 0x10);
	vm_expect_fault(19, r, CAUSE_LOAD_PAGE_FAULT, va + 0x10, vm_probe_pc(vm_probe_lw_at, MODE_U),
			MODE_S, MODE_U);
	r = vm_run(MODE_U, vm_probe_sw, va + 0x14);
	vm_expect_fault(20, r, CAUSE_STORE_PAGE_FAULT, va + 0x14, vm_probe_pc(vm_probe_sw_at, MODE_U),
			MODE_M, MODE_U);

	/* 21, 22: a fault in M-mode (MPRV) is never delegated, whatever medeleg says. */
	csr_write(medeleg, PF_BITS);
	r = vm_run_mprv(vm_mprv_lw, va + 0x18, MSTATUS_MPRV | MSTATUS_MPP_S);
	vm_expect_fault(21, r, CAUSE_LOAD_PAGE_FAULT, va + 0x18, (uint32_t)vm_mprv_lw_at, MODE_M, MODE_M);
	r = vm_run_mprv(vm_mprv_sw, va + 0x1c, MSTATUS_MPRV | MSTATUS_MPP_U);
	vm_expect_fault(22, r, CAUSE_STORE_PAGE_FAULT, va + 0x1c, (uint32_t)vm_mprv_sw_at, MODE_M, MODE_M);

	/* 23, 24: delegated access faults (leaf to the hole) reach S-mode with tval = va. */
	csr_set(medeleg, (1u << CAUSE_LOAD_ACCESS) | (1u << CAUSE_STORE_ACCESS));
	vm_map_page(va, UNMAPPED_ADDR, PTE_V | PTE_RWX | PTE_U | PTE_AD);
	r = vm_run(MODE_U, vm_probe_lw, va + 0x20);
	vm_expect_fault(23, r, CAUSE_LOAD_ACCESS, va + 0x20, vm_probe_pc(vm_probe_lw_at, MODE_U), MODE_S,
			MODE_U);
	r = vm_run(MODE_U, vm_probe_sw, va + 0x24);
	vm_expect_fault(24, r, CAUSE_STORE_ACCESS, va + 0x24, vm_probe_pc(vm_probe_sw_at, MODE_U), MODE_S,
			MODE_U);
	vm_set_pte(vm_pte0(va), 0);

	/* 25..27: delegation off again: back to M-mode. */
	csr_write(medeleg, 0);
	expect_faults_in(25, MODE_S, va, MODE_M);
	return 0;
}
