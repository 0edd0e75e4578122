/* priv_tvm.c: mstatus.TVM: satp access and sfence.vma in S-mode raise illegal instruction; M-mode is unaffected. */
#include "common/vm_lib.h"

uint32_t p_csrr_satp(uint32_t), p_csrw_satp(uint32_t), p_csrrwi_satp(uint32_t);
uint32_t p_sfence(uint32_t), p_sfence_va(uint32_t), p_csrr_sstatus(uint32_t);
extern char p_csrr_satp_at[], p_csrw_satp_at[], p_csrrwi_satp_at[];
extern char p_sfence_at[], p_sfence_va_at[], p_csrr_sstatus_at[];

__asm__(VM_PROBE_ASM(p_csrr_satp, "csrr a0, satp")
	VM_PROBE_ASM(p_csrw_satp, "csrw satp, zero")
	VM_PROBE_ASM(p_csrrwi_satp, "csrrwi a0, satp, 0")
	VM_PROBE_ASM(p_sfence, "sfence.vma")
	VM_PROBE_ASM(p_sfence_va, "sfence.vma a0, zero")
	VM_PROBE_ASM(p_csrr_sstatus, "csrr a0, sstatus"));

/* Cases n..n+4: every satp / sfence.vma probe from mode traps as illegal into trap_mode. */
static void expect_all_illegal(uint32_t n, int mode, uint32_t trap_mode)
{
	vm_expect_illegal(n, vm_run(mode, p_csrr_satp, 0), p_csrr_satp_at, mode, trap_mode);
	vm_expect_illegal(n + 1, vm_run(mode, p_csrw_satp, 0), p_csrw_satp_at, mode, trap_mode);
	vm_expect_illegal(n + 2, vm_run(mode, p_csrrwi_satp, 0), p_csrrwi_satp_at, mode, trap_mode);
	vm_expect_illegal(n + 3, vm_run(mode, p_sfence, 0), p_sfence_at, mode, trap_mode);
	vm_expect_illegal(n + 4, vm_run(mode, p_sfence_va, VM_VA_PAGES), p_sfence_va_at, mode, trap_mode);
}

int main(void)
{
	uint32_t satp_val = SATP_MODE_SV32 | 0x80123u;

	/* satp stays Bare while S-mode runs here: the probes run at their physical addresses. */

	/* 1..4: TVM = 0: S-mode reads and writes satp and runs sfence.vma. */
	vm_expect_value(1, vm_run(MODE_S, p_csrr_satp, 0), 0);
	vm_expect_value(2, vm_run(MODE_S, p_csrw_satp, 0), VM_NOT_RUN);
	vm_expect_value(3, vm_run(MODE_S, p_sfence, 0), VM_NOT_RUN);
	vm_expect_value(4, vm_run(MODE_S, p_sfence_va, VM_VA_PAGES), VM_NOT_RUN);

	/* 5: TVM is writable. */
	csr_set(mstatus, MSTATUS_TVM);
	CHECK_SIG(5, csr_read(mstatus) & MSTATUS_TVM, MSTATUS_TVM);

	/* 10..14: TVM = 1: S-mode satp access and sfence.vma are illegal (trap to M). */
	expect_all_illegal(10, MODE_S, MODE_M);
	/* 15: other S CSRs still work. */
	{
		struct vm_result r = vm_run(MODE_S, p_csrr_sstatus, 0);

		CHECK_EQ(15, r.faults, 0);
		CHECK_SIG(15, r.value & (MSTATUS_TVM | MSTATUS_MPP | MSTATUS_SUM), 0);
	}
	/* 16, 17: M-mode is unaffected: satp write/read and sfence.vma work. */
	csr_write(satp, satp_val);
	CHECK_SIG(16, csr_read(satp) & ~SATP_ASID, satp_val);
	csr_write(satp, 0);
	vm_sfence_all();
	CHECK_SIG(17, csr_read(satp), 0);
	/* 20..24: U-mode: illegal with TVM = 1 too (as always). */
	expect_all_illegal(20, MODE_U, MODE_M);

	/* 30..34: the TVM traps are ordinary illegal instructions: medeleg[2] sends them to S. */
	csr_set(medeleg, 1u << CAUSE_ILLEGAL_INSN);
	expect_all_illegal(30, MODE_S, MODE_S);
	csr_write(medeleg, 0);

	/* 40..42: TVM = 0 again: S-mode access works. */
	csr_clear(mstatus, MSTATUS_TVM);
	vm_expect_value(40, vm_run(MODE_S, p_csrr_satp, 0), 0);
	vm_expect_value(41, vm_run(MODE_S, p_sfence, 0), VM_NOT_RUN);
	/* 42..46: U-mode: still illegal with TVM = 0. */
	expect_all_illegal(42, MODE_U, MODE_M);
	return 0;
}
