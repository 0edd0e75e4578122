/* gwb_basic.c: GWB appends: traced/untraced pages, byte/half/word from S and U, megapages, EN toggling, T cached in the TLB until sfence.vma, the log base and counter. */
#include "common/gwb_lib.h"

#define SRW  (PTE_V | PTE_R | PTE_W | PTE_AD)
#define URW  (SRW | PTE_U)

int main(void)
{
	uint32_t tva = VM_PAGE_VA(1), uva = VM_PAGE_VA(3), nva = VM_PAGE_VA(2);
	uint32_t f1 = vm_frame_pa(1), f2 = vm_frame_pa(2), f3 = vm_frame_pa(3);
	uint32_t idx, n;
	struct vm_result r;

	gwb_require();
	vm_init();
	vm_map_page(tva, f1, SRW | PTE_T);  /* traced, S */
	vm_map_page(nva, f2, SRW);          /* untraced */
	vm_map_page(uva, f3, URW | PTE_T);  /* traced, U */
	gwb_reset_log();
	gwb_enable(1);

	/* 1..3: S-mode word, half, byte stores to a traced page: records 0, 1, 2. */
	gwb_expect_logged(1, MODE_S, GWB_SIZE_WORD, tva + 0x124, f1 + 0x124);
	gwb_expect_logged(2, MODE_S, GWB_SIZE_HALF, tva + 0x12a, f1 + 0x12a);
	gwb_expect_logged(3, MODE_S, GWB_SIZE_BYTE, tva + 0x12f, f1 + 0x12f);
	CHECK_EQ(3, gwb_idx(), 3);
	/* 4..6: the same from U-mode on a U page. */
	gwb_expect_logged(4, MODE_U, GWB_SIZE_WORD, uva + 0xff8, f3 + 0xff8);
	gwb_expect_logged(5, MODE_U, GWB_SIZE_HALF, uva + 0x2, f3 + 0x2);
	gwb_expect_logged(6, MODE_U, GWB_SIZE_BYTE, uva + 0x1, f3 + 0x1);

	/* 7: an untraced page logs nothing, every size. */
	gwb_expect_unlogged(7, MODE_S, GWB_SIZE_WORD, nva + 0x40, f2 + 0x40);
	gwb_expect_unlogged(7, MODE_S, GWB_SIZE_HALF, nva + 0x46, f2 + 0x46);
	gwb_expect_unlogged(7, MODE_S, GWB_SIZE_BYTE, nva + 0x49, f2 + 0x49);

	/* 8: a load through a traced page logs nothing. */
	idx = gwb_idx();
	r = vm_run(MODE_S, vm_probe_lw, tva + 0x200);
	CHECK_EQ(8, r.faults, 0);
	CHECK_EQ(8, r.value, VM_PATTERN(1, 0x200));
	CHECK_EQ(8, gwb_idx(), idx);
	gwb_expect_no_record(8, idx);

	/* 9: a traced megapage: record word 0 is the physical address inside it. */
	vm_map_mega(VM_VA_MEGA, VM_VA_IDENT, SRW | PTE_T);
	gwb_expect_logged(9, MODE_S, GWB_SIZE_WORD, vm_mega_va(VM_VA_MEGA, 4, 0x310), vm_frame_pa(4) + 0x310);
	gwb_expect_logged(9, MODE_S, GWB_SIZE_BYTE, vm_mega_va(VM_VA_MEGA, 5, 0x7), vm_frame_pa(5) + 0x7);
	vm_set_pte(vm_pte1(VM_VA_MEGA), 0);

	/* 10: EN=0: nothing logged; EN=1 again takes effect at once (no sfence.vma). */
	gwb_enable(0);
	gwb_expect_unlogged(10, MODE_S, GWB_SIZE_WORD, tva + 0x300, f1 + 0x300);
	gwb_expect_unlogged(10, MODE_U, GWB_SIZE_BYTE, uva + 0x303, f3 + 0x303);
	gwb_enable(1);
	gwb_expect_logged(10, MODE_S, GWB_SIZE_WORD, tva + 0x304, f1 + 0x304);

	/*
	 * 11..14: T is cached in the TLB: clearing it in the PTE without sfence.vma still logs
	 * (the D-TLB entry is used); after sfence.vma it does not; setting it again likewise.
	 */
	gwb_expect_logged(11, MODE_S, GWB_SIZE_WORD, tva + 0x400, f1 + 0x400); /* TLB has T=1 */
	*vm_pte0(tva) = VM_PTE(f1, SRW);
	gwb_expect_logged(12, MODE_S, GWB_SIZE_WORD, tva + 0x404, f1 + 0x404);
	vm_sfence_all();
	gwb_expect_unlogged(13, MODE_S, GWB_SIZE_WORD, tva + 0x408, f1 + 0x408);
	*vm_pte0(tva) = VM_PTE(f1, SRW | PTE_T);
	gwb_expect_unlogged(14, MODE_S, GWB_SIZE_WORD, tva + 0x40c, f1 + 0x40c);
	vm_sfence_all();
	gwb_expect_logged(14, MODE_S, GWB_SIZE_WORD, tva + 0x410, f1 + 0x410);

	/* 15: the record address is an add: a base not aligned to the log size works. */
	gwb_reset_log();
	gwb_write(CSR_MGWBBASE, (uint32_t)&gwb_log[2 * 3]);
	gwb_write(CSR_MGWBIDX, 2);
	r = vm_run(MODE_S, gwb_probe_sh, tva + 0x20);
	CHECK_EQ(15, r.faults, 0);
	CHECK_EQ(15, gwb_idx(), 3);
	gwb_expect_no_record(15, 2);
	gwb_expect_record(15, 5, f1 + 0x20, GWB_SIZE_HALF, gwb_store_value(tva + 0x20, GWB_SIZE_HALF));
	gwb_expect_no_record(15, 6);
	gwb_reset_log();

	/* 16: mcountinhibit bit 6 stops the append counter, not the appends. */
	csr_set(mcountinhibit, 1u << 6);
	n = gwb_appends();
	idx = gwb_idx();
	r = vm_run(MODE_S, vm_probe_sw, tva + 0x500);
	CHECK_EQ(16, r.faults, 0);
	CHECK_EQ(16, gwb_idx(), idx + 1);
	CHECK_EQ(16, gwb_appends(), n);
	gwb_expect_record(16, idx, f1 + 0x500, GWB_SIZE_WORD, GWB_STORE_VALUE(tva + 0x500));
	csr_clear(mcountinhibit, 1u << 6);

	/* 17: the last free entry is used (idx = cap - 1), then idx = cap. */
	gwb_write(CSR_MGWBIDX, GWB_LOG_ENTRIES - 1);
	gwb_expect_logged(17, MODE_U, GWB_SIZE_WORD, uva + 0x600, f3 + 0x600);
	CHECK_EQ(17, gwb_idx(), GWB_LOG_ENTRIES);

	gwb_enable(0);
	vm_off();
	return 0;
}
