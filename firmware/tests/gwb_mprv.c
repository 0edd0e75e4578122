/* gwb_mprv.c: GWB with mstatus.MPRV: M-mode stores translated as S or U are traced (and can fill the log); MPP = M, Bare satp or plain M-mode stores are not. */
#include "common/gwb_lib.h"

#define SRW    (PTE_V | PTE_R | PTE_W | PTE_AD)
#define URW    (SRW | PTE_U)
#define MPRV_S (MSTATUS_MPRV | MSTATUS_MPP_S)
#define MPRV_U (MSTATUS_MPRV | MSTATUS_MPP_U)

/* An MPRV word store at va (mstatus bits) reached pa; logged says whether record idx was appended. */
static void expect_mprv_store(uint32_t case_no, uint32_t va, uint32_t pa, uint32_t bits, int logged)
{
	uint32_t idx = gwb_idx(), n = gwb_appends();
	struct vm_result r = vm_run_mprv(vm_mprv_sw, va, bits);

	CHECK_EQ(case_no, r.faults, 0);
	CHECK_EQ(case_no, *(volatile uint32_t *)pa, GWB_STORE_VALUE(va));
	CHECK_EQ(case_no, gwb_idx(), idx + (logged ? 1 : 0));
	CHECK_EQ(case_no, gwb_appends(), n + (logged ? 1 : 0));
	if (logged)
		gwb_expect_record(case_no, idx, pa, GWB_SIZE_WORD, GWB_STORE_VALUE(va));
	else
		gwb_expect_no_record(case_no, idx);
}

int main(void)
{
	uint32_t sva = VM_PAGE_VA(1), uva = VM_PAGE_VA(3);
	uint32_t f1 = vm_frame_pa(1), f3 = vm_frame_pa(3);
	uint32_t fulls;
	struct vm_result r;

	gwb_require();
	vm_init();
	vm_map_page(sva, f1, SRW | PTE_T);
	vm_map_page(uva, f3, URW | PTE_T);
	gwb_reset_log();
	gwb_enable(1);

	/* 1, 2: MPRV = 1 with MPP = S / U: translated, the T bit is honoured. */
	expect_mprv_store(1, sva + 0x40, f1 + 0x40, MPRV_S, 1);
	expect_mprv_store(2, uva + 0x44, f3 + 0x44, MPRV_U, 1);
	expect_mprv_store(2, uva + 0x48, f3 + 0x48, MPRV_S | MSTATUS_SUM, 1);
	/* 3: MPP = M: not translated, nothing logged (the address is physical). */
	expect_mprv_store(3, f1 + 0x4c, f1 + 0x4c, MSTATUS_MPRV | MSTATUS_MPP_M, 0);
	/* 4: a plain M-mode store is never translated. */
	expect_mprv_store(4, f3 + 0x50, f3 + 0x50, 0, 0);
	/* 5: EN = 0: MPRV stores are not logged. */
	gwb_enable(0);
	expect_mprv_store(5, sva + 0x54, f1 + 0x54, MPRV_S, 0);
	gwb_enable(1);

	/* 6: full: cause 24 taken in M from M, mtval = va, mepc = the store, store not done. */
	gwb_write(CSR_MGWBCAP, 8);
	gwb_write(CSR_MGWBIDX, 8);
	fulls = gwb_fulls();
	r = vm_run_mprv(vm_mprv_sw, sva + 0x58, MPRV_S);
	CHECK_EQ(6, r.faults, 1);
	CHECK_EQ(6, r.cause, CAUSE_GWB_FULL);
	CHECK_EQ(6, r.tval, sva + 0x58);
	CHECK_EQ(6, r.epc, (uint32_t)vm_mprv_sw_at);
	CHECK_EQ(6, r.mode, MODE_M);
	CHECK_EQ(6, r.prev, MODE_M);
	CHECK_EQ(6, vm_frame_word(1, 0x58), VM_PATTERN(1, 0x58));
	CHECK_EQ(6, gwb_idx(), 8);
	CHECK_EQ(6, gwb_fulls(), fulls + 1);
	CHECK_EQ(6, csr_read(mstatus) & MSTATUS_MPRV, 0);
	/* 7: MPRV with MPP = M is not translated: no full trap either. */
	expect_mprv_store(7, f1 + 0x5c, f1 + 0x5c, MSTATUS_MPRV | MSTATUS_MPP_M, 0);

	/* 8: with satp Bare, MPRV = 1 and MPP = S do not translate: nothing logged. */
	gwb_reset_log();
	vm_off();
	expect_mprv_store(8, f1 + 0x60, f1 + 0x60, MPRV_S, 0);

	gwb_enable(0);
	return 0;
}
