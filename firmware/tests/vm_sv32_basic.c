/* vm_sv32_basic.c: Sv32 translation that works: satp, 4 KiB pages, megapages, aliases, sfence.vma, satp switch. */
#include "common/vm_lib.h"

/* A second root for the address-space switch (case 40): VM_VA_PAGES through vm_l0b. */
static uint32_t vm_root2[1024] __attribute__((aligned(4096)));
static uint32_t vm_l0b[1024] __attribute__((aligned(4096)));

#define URWX (PTE_V | PTE_RWX | PTE_U | PTE_AD)
#define SRWX (PTE_V | PTE_RWX | PTE_AD)

static void check_satp(void)
{
	uint32_t want = vm_satp(vm_root);

	/* 1: MODE and PPN read back (satp.ASID is WARL: umbra has ASIDLEN=0, QEMU keeps it). */
	csr_write(satp, want | SATP_ASID);
	CHECK_SIG(1, csr_read(satp) & ~SATP_ASID, want);
	CHECK_ON_UMBRA(1, csr_read(satp), want); /* ASIDLEN = 0: ASID reads 0, not signed */
	/* 2: Bare. */
	csr_write(satp, 0);
	CHECK_SIG(2, csr_read(satp), 0);
	/* 3: an all-ones PPN is kept whole (22 bits: Sv32 reaches 34-bit physical addresses). */
	csr_write(satp, SATP_MODE_SV32 | SATP_PPN);
	CHECK_SIG(3, csr_read(satp) & ~SATP_ASID, SATP_MODE_SV32 | SATP_PPN);
	csr_write(satp, 0);
	vm_sfence_all();
}

/* Loads, stores and fetches through 4 KiB pages and megapages from mode (cases base..base+5). */
static void check_pages(uint32_t base, int mode)
{
	uint32_t u = mode == MODE_U ? PTE_U : 0;
	uint32_t va = VM_PAGE_VA(1);

	vm_fill_frames();
	vm_map_page(va, vm_frame_pa(1), PTE_V | PTE_RWX | PTE_AD | u);
	vm_expect_load(base + 0, mode, va + 0x124, VM_PATTERN(1, 0x124));
	vm_expect_store(base + 1, mode, va + 0x238, vm_frame_pa(1) + 0x238);
	vm_expect_fetch(base + 2, mode, va, 1);
	vm_set_pte(vm_pte0(va), 0);

	vm_map_mega(VM_VA_MEGA, VM_VA_IDENT, PTE_V | PTE_RWX | PTE_AD | u);
	vm_expect_load(base + 3, mode, vm_mega_va(VM_VA_MEGA, 2, 0x44c), VM_PATTERN(2, 0x44c));
	vm_expect_store(base + 4, mode, vm_mega_va(VM_VA_MEGA, 2, 0xffc), vm_frame_pa(2) + 0xffc);
	vm_expect_fetch(base + 5, mode, vm_mega_va(VM_VA_MEGA, 3, 0), 3);
	vm_set_pte(vm_pte1(VM_VA_MEGA), 0);
}

int main(void)
{
	check_satp();
	vm_init();

	/* 10..15 in S-mode, 20..25 in U-mode. */
	check_pages(10, MODE_S);
	check_pages(20, MODE_U);

	/* 30..33: two VAs (and a megapage) on one frame. */
	vm_fill_frames();
	vm_map_page(VM_PAGE_VA(2), vm_frame_pa(4), SRWX);
	vm_map_page(VM_PAGE_VA(3), vm_frame_pa(4), URWX);
	vm_map_page(VM_PAGE_VA(6), vm_frame_pa(4), SRWX);
	vm_map_mega(VM_VA_MEGA, VM_VA_IDENT, SRWX);
	vm_expect_store(30, MODE_S, VM_PAGE_VA(2) + 0x80, vm_frame_pa(4) + 0x80);
	vm_expect_load(31, MODE_S, VM_PAGE_VA(6) + 0x80, (VM_PAGE_VA(2) + 0x80) ^ VM_STORE_XOR);
	vm_expect_load(32, MODE_U, VM_PAGE_VA(3) + 0x80, (VM_PAGE_VA(2) + 0x80) ^ VM_STORE_XOR);
	vm_expect_load(33, MODE_S, vm_mega_va(VM_VA_MEGA, 4, 0x80), (VM_PAGE_VA(2) + 0x80) ^ VM_STORE_XOR);
	vm_set_pte(vm_pte1(VM_VA_MEGA), 0);

	/* 34..37: remap a page; sfence.vma (from M, then from S itself) makes the new PTE seen. */
	vm_map_page(VM_PAGE_VA(5), vm_frame_pa(1), SRWX);
	vm_expect_load(34, MODE_S, VM_PAGE_VA(5) + 0x10, VM_PATTERN(1, 0x10)); /* fills the TLB */
	vm_map_page(VM_PAGE_VA(5), vm_frame_pa(2), SRWX);                      /* sfence from M */
	vm_expect_load(35, MODE_S, VM_PAGE_VA(5) + 0x10, VM_PATTERN(2, 0x10));
	*vm_pte0(VM_PAGE_VA(5)) = VM_PTE(vm_frame_pa(5), SRWX); /* no sfence from M ... */
	vm_expect_value(36, vm_run(MODE_S, vm_probe_sfence_lw, VM_PAGE_VA(5) + 0x14),
			VM_PATTERN(5, 0x14)); /* ... sfence.vma va, x0 in S-mode */
	vm_expect_fetch(37, MODE_S, VM_PAGE_VA(5), 5);

	/* 38, 39: a PTE made invalid is no longer used. */
	vm_set_pte(vm_pte0(VM_PAGE_VA(5)), 0);
	vm_expect_load_fault(38, MODE_S, VM_PAGE_VA(5) + 0x10, CAUSE_LOAD_PAGE_FAULT);
	vm_expect_fetch_fault(39, MODE_S, VM_PAGE_VA(5), CAUSE_FETCH_PAGE_FAULT);

	/* 40, 41: switch address space: satp to a root that maps VM_VA_PAGES elsewhere. */
	for (int i = 0; i < 1024; i++)
		vm_root2[i] = vm_root[i];
	vm_root2[VM_VPN1(VM_VA_PAGES)] = VM_PTE(vm_l0b, PTE_V);
	vm_l0b[VM_VPN0(VM_PAGE_VA(2))] = VM_PTE(vm_frame_pa(3), SRWX);
	vm_expect_load(40, MODE_S, VM_PAGE_VA(2) + 0x20, VM_PATTERN(4, 0x20));
	csr_write(satp, vm_satp(vm_root2));
	vm_sfence_all();
	vm_expect_load(41, MODE_S, VM_PAGE_VA(2) + 0x20, VM_PATTERN(3, 0x20));
	csr_write(satp, vm_satp(vm_root));
	vm_sfence_all();

	/* 42, 43: satp = Bare: S and U addresses are physical. */
	vm_off();
	vm_expect_load(42, MODE_S, vm_frame_pa(3) + 0x30, VM_PATTERN(3, 0x30));
	vm_expect_load(43, MODE_U, vm_frame_pa(3) + 0x34, VM_PATTERN(3, 0x34));
	return 0;
}
