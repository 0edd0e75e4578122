/* csr_machine.c: M-mode CSRs: ID registers, read-only writes, mstatus/sstatus WARL, scratch, epc, cause, tval, delegation and interrupt enables. */
#include "test.h"

#define ALL_ONES 0xffffffffu

/* mstatus fields an RV32IM+S+U hart implements */
#define MSTATUS_KNOWN                                                                          \
	(MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP |  \
	 MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_KNOWN (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR)
/* medeleg bits for the exceptions that can be delegated (not 10, 11, 14, 16+) */
#define MEDELEG_DELEGABLE 0x0000b3ffu
#define FDT_MAGIC 0xd00dfeedu /* big-endian, first word of a flattened device tree */

static uint32_t bswap32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}

/* one trap expected, with cause 2 and mtval = the instruction's encoding */
#define CHECK_ILLEGAL(case_no, insn_word)                                                      \
	do {                                                                                   \
		CHECK_TRAP(case_no, CAUSE_ILLEGAL_INSN,                                        \
			   __asm__ volatile(".word %0" : : "i"(insn_word)));                   \
		CHECK_SIG(case_no, last_trap.tval, insn_word);                                 \
	} while (0)

#define CHECK_NO_TRAP(case_no, stmt)                                                           \
	do {                                                                                   \
		uint32_t n_ = last_trap.count;                                                 \
		stmt;                                                                          \
		CHECK_SIG(case_no, last_trap.count - n_, 0u);                                  \
	} while (0)

static void test_ids(void)
{
	uint32_t misa = csr_read(misa);

	sig(1, misa);
	CHECK_EQ(1, misa & 0xc0000000u, MISA_MXL_32);
	CHECK_EQ(1, misa & (MISA_EXT('I') | MISA_EXT('M') | MISA_EXT('S') | MISA_EXT('U') | MISA_EXT('E')),
		 MISA_EXT('I') | MISA_EXT('M') | MISA_EXT('S') | MISA_EXT('U'));
	/* misa writes are ignored (no trap, value unchanged) */
	CHECK_NO_TRAP(2, csr_write(misa, misa & ~MISA_EXT('M')));
	CHECK_SIG(3, csr_read(misa), misa);
	CHECK_SIG(4, csr_read(mhartid), 0u);
	CHECK_SIG(5, boot_hartid, 0u);
	CHECK(6, boot_fdt >= RAM_BASE && boot_fdt % 8 == 0);
	/* 7: a1 points at a device tree (its address is implementation defined) */
	CHECK_EQ(7, bswap32(*(const volatile uint32_t *)boot_fdt), FDT_MAGIC);
	print("note: mvendorid/marchid/mimpid and the FDT address are implementation defined: "
	      "checked on umbra (0, 0, \"umbr\"), not signed\n");
	/* 8: umbra's IDs; mimpid is also how platform_is_umbra() knows */
	CHECK_ON_UMBRA(8, csr_read(mvendorid), 0u);
	CHECK_ON_UMBRA(8, csr_read(marchid), 0u);
	CHECK_ON_UMBRA(8, csr_read(mimpid), UMBRA_MIMPID);
}

static void test_read_only(void)
{
	/* writes to read-only CSRs (0xc00-0xcff, 0xf00-0xfff) are illegal, reads are not */
	CHECK_ILLEGAL(10, 0xf1101073u); /* csrw mvendorid, zero */
	CHECK_ILLEGAL(11, 0xf1201073u); /* csrw marchid, zero */
	CHECK_ILLEGAL(12, 0xf1301073u); /* csrw mimpid, zero */
	CHECK_ILLEGAL(13, 0xf1401073u); /* csrw mhartid, zero */
	CHECK_ILLEGAL(14, 0xf14f5073u); /* csrwi mhartid, 30 */
	CHECK_ILLEGAL(15, 0xc0001073u); /* csrw cycle, zero */
	CHECK_ILLEGAL(16, 0xc0102573u | (6u << 15)); /* csrrs a0, time, t1: rs1 != x0 writes */
	CHECK_ILLEGAL(17, 0xfff02573u); /* csrr a0, 0xfff: no such CSR */
	CHECK_ILLEGAL(18, 0x7ff02573u); /* csrr a0, 0x7ff: no such CSR */
	/* csrrs/csrrc with rs1 = x0 and csrrsi/csrrci with uimm = 0 only read */
	CHECK_NO_TRAP(19, __asm__ volatile(".word 0xf1402573" : : : "a0")); /* csrrs a0, mhartid, x0 */
	CHECK_NO_TRAP(20, __asm__ volatile(".word 0xf1403573" : : : "a0")); /* csrrc a0, mhartid, x0 */
	CHECK_NO_TRAP(21, __asm__ volatile(".word 0xf1406573" : : : "a0")); /* csrrsi a0, mhartid, 0 */
	CHECK_NO_TRAP(22, __asm__ volatile(".word 0xf1407573" : : : "a0")); /* csrrci a0, mhartid, 0 */
}

static void test_mstatus(void)
{
	uint32_t saved = csr_read(mstatus);
	/* FS exists only with F (QEMU's default CPU has it) */
	uint32_t fs = (csr_read(misa) & MISA_EXT('F')) ? 0 : MSTATUS_FS;

	/* every implemented field holds a 1 (MPP = M), none spills into FS/XS/UBE */
	csr_write(mstatus, MSTATUS_KNOWN);
	CHECK_SIG(30, csr_read(mstatus) & MSTATUS_KNOWN, MSTATUS_KNOWN);
	csr_write(mstatus, ALL_ONES);
	CHECK_SIG(31, csr_read(mstatus) & (fs | MSTATUS_XS | MSTATUS_UBE), 0u);
	CHECK_SIG(32, csr_read(mstatus) & MSTATUS_KNOWN, MSTATUS_KNOWN);
	/* 41: umbra: nothing else exists (VS, FS, XS, UBE, SD and WPRI read 0) */
	CHECK_ON_UMBRA(41, csr_read(mstatus), MSTATUS_KNOWN);
	csr_write(mstatus, 0);
	CHECK_SIG(33, csr_read(mstatus) & MSTATUS_KNOWN, 0u);
	/* MPP takes U, S and M */
	csr_write(mstatus, MSTATUS_MPP_S);
	CHECK_SIG(34, csr_read(mstatus) & MSTATUS_MPP, MSTATUS_MPP_S);
	csr_write(mstatus, MSTATUS_MPP_U);
	CHECK_SIG(35, csr_read(mstatus) & MSTATUS_MPP, MSTATUS_MPP_U);
	print("note: mstatus.MPP=2 (reserved) and mstatus.VS/SD: QEMU 7.2 keeps them writable; "
	      "umbra is checked (MPP=2 keeps the old MPP, VS/SD read 0), not signed\n");
	/* 42..44: umbra: a write of MPP = 2 keeps the previous MPP (the rest of it is written) */
	csr_write(mstatus, MSTATUS_MPP_M | MSTATUS_VS);
	CHECK_ON_UMBRA(42, csr_read(mstatus), MSTATUS_MPP_M);
	csr_write(mstatus, MSTATUS_MPP_S);
	csr_write(mstatus, (2u << MSTATUS_MPP_SHIFT) | MSTATUS_SUM);
	CHECK_ON_UMBRA(43, csr_read(mstatus), MSTATUS_MPP_S | MSTATUS_SUM);
	csr_write(mstatus, MSTATUS_MPP_U);
	csr_write(mstatus, (2u << MSTATUS_MPP_SHIFT) | MSTATUS_TW);
	CHECK_ON_UMBRA(44, csr_read(mstatus), MSTATUS_MPP_U | MSTATUS_TW);
	csr_write(mstatus, MSTATUS_MPP_M);
	csr_write(mstatus, (2u << MSTATUS_MPP_SHIFT));
	CHECK_ON_UMBRA(44, csr_read(mstatus), MSTATUS_MPP_M);
	/* csrs/csrc touch only their bits */
	csr_write(mstatus, MSTATUS_SUM);
	csr_set(mstatus, MSTATUS_TW | MSTATUS_SPIE);
	csr_clear(mstatus, MSTATUS_SUM);
	CHECK_SIG(36, csr_read(mstatus) & MSTATUS_KNOWN, MSTATUS_TW | MSTATUS_SPIE);
	/* sstatus is a view: S fields only */
	csr_write(mstatus, MSTATUS_KNOWN & ~SSTATUS_KNOWN);
	CHECK_SIG(37, csr_read(sstatus) & (MSTATUS_KNOWN | fs | MSTATUS_XS | MSTATUS_UBE), 0u);
	csr_write(sstatus, ALL_ONES);
	CHECK_SIG(38, csr_read(sstatus) & (MSTATUS_KNOWN | fs | MSTATUS_XS | MSTATUS_UBE),
		  SSTATUS_KNOWN);
	CHECK_ON_UMBRA(45, csr_read(sstatus), SSTATUS_KNOWN); /* 45: umbra: no FS/XS/UBE/SD */
	CHECK_SIG(39, csr_read(mstatus) & MSTATUS_KNOWN, MSTATUS_KNOWN);
	csr_write(sstatus, 0);
	CHECK_SIG(40, csr_read(mstatus) & MSTATUS_KNOWN, MSTATUS_KNOWN & ~SSTATUS_KNOWN);
	csr_write(mstatus, saved);
}

static void test_scratch_epc_cause_tval(void)
{
	/* mscratch: all bits, swap returns the old value; back to 0 before anything traps */
	csr_write(mscratch, 0xa5a5f00fu);
	CHECK_SIG(50, csr_swap(mscratch, 0x5a5a0ff0u), 0xa5a5f00fu);
	CHECK_SIG(51, csr_swap(mscratch, 0), 0x5a5a0ff0u);
	csr_write(sscratch, 0x12345678u);
	CHECK_SIG(52, csr_swap(sscratch, 0), 0x12345678u);
	/* mepc/sepc: aligned addresses round-trip; bits 1:0 of a misaligned write: see the note */
	csr_write(mepc, 0x80001234u);
	CHECK_SIG(53, csr_read(mepc), 0x80001234u);
	csr_write(mepc, 0xfffffffcu);
	CHECK_SIG(54, csr_read(mepc), 0xfffffffcu);
	csr_write(mepc, 0x80001237u);
	CHECK_SIG(55, csr_read(mepc) & ~3u, 0x80001234u);
	CHECK_ON_UMBRA(55, csr_read(mepc), 0x80001234u);
	csr_write(mepc, ALL_ONES);
	CHECK_ON_UMBRA(55, csr_read(mepc), 0xfffffffcu);
	csr_write(sepc, 0x80005678u);
	CHECK_SIG(56, csr_read(sepc), 0x80005678u);
	csr_write(sepc, 0x8000567bu);
	CHECK_SIG(57, csr_read(sepc) & ~3u, 0x80005678u);
	CHECK_ON_UMBRA(57, csr_read(sepc), 0x80005678u);
	csr_write(sepc, 0x80005679u);
	CHECK_ON_UMBRA(57, csr_read(sepc), 0x80005678u);
	print("note: mepc/sepc bits 1:0 after writing ones: QEMU 7.2 keeps them; umbra is checked "
	      "(the spec without C: both read 0), not signed\n");
	/* mcause/scause: legal values round-trip */
	csr_write(mcause, CAUSE_INTERRUPT | IRQ_M_TIMER);
	CHECK_SIG(58, csr_read(mcause), CAUSE_INTERRUPT | IRQ_M_TIMER);
	csr_write(mcause, CAUSE_ILLEGAL_INSN);
	CHECK_SIG(59, csr_read(mcause), CAUSE_ILLEGAL_INSN);
	csr_write(scause, CAUSE_INTERRUPT | IRQ_S_SOFT);
	CHECK_SIG(60, csr_read(scause), CAUSE_INTERRUPT | IRQ_S_SOFT);
	/* mtval/stval hold any address */
	csr_write(mtval, 0x8000abcdu);
	CHECK_SIG(61, csr_read(mtval), 0x8000abcdu);
	csr_write(stval, 0x1000f000u);
	CHECK_SIG(62, csr_read(stval), 0x1000f000u);
	csr_write(mtval, 0);
	CHECK_SIG(63, csr_read(mtval), 0u);
	/* a trap overwrites them */
	CHECK_TRAP(64, CAUSE_BREAKPOINT, __asm__ volatile("ebreak"));
	CHECK_SIG(65, csr_read(mcause), CAUSE_BREAKPOINT);
}

static void test_deleg_and_enables(void)
{
	csr_write(medeleg, ALL_ONES);
	CHECK_SIG(70, csr_read(medeleg) & MEDELEG_DELEGABLE, MEDELEG_DELEGABLE);
	CHECK_SIG(71, csr_read(medeleg) & (1u << CAUSE_GWB_FULL), 0u);
	CHECK_ON_UMBRA(70, csr_read(medeleg), MEDELEG_DELEGABLE);
	print("note: medeleg bits 10, 11, 14, 16-23: QEMU 7.2 keeps 10, 11 and 20-23 writable; "
	      "umbra is checked (exactly 0-9, 12, 13, 15 writable), not signed\n");
	csr_write(medeleg, 0);
	CHECK_SIG(72, csr_read(medeleg), 0u);
	csr_write(mideleg, ALL_ONES);
	CHECK_SIG(73, csr_read(mideleg) & (MIP_S_ALL | MIP_M_ALL), MIP_S_ALL);
	CHECK_ON_UMBRA(73, csr_read(mideleg), MIP_S_ALL);
	print("note: mideleg/mie/mip bits other than 1, 3, 5, 7, 9, 11: QEMU 7.2 has VS and LCOF "
	      "bits; umbra is checked (none), not signed\n");
	csr_write(mideleg, 0);
	CHECK_SIG(74, csr_read(mideleg) & (MIP_S_ALL | MIP_M_ALL), 0u);
	csr_write(mie, ALL_ONES);
	CHECK_SIG(75, csr_read(mie) & (MIP_S_ALL | MIP_M_ALL), MIP_S_ALL | MIP_M_ALL);
	CHECK_ON_UMBRA(75, csr_read(mie), MIP_S_ALL | MIP_M_ALL);
	/* sie shows only delegated bits */
	CHECK_SIG(76, csr_read(sie) & (MIP_S_ALL | MIP_M_ALL), 0u);
	CHECK_ON_UMBRA(76, csr_read(sie), 0u);
	csr_write(mideleg, MIP_SSIP | MIP_STIP);
	CHECK_SIG(77, csr_read(sie) & (MIP_S_ALL | MIP_M_ALL), MIP_SSIP | MIP_STIP);
	CHECK_ON_UMBRA(77, csr_read(sie), MIP_SSIP | MIP_STIP);
	csr_write(sie, 0);
	CHECK_SIG(78, csr_read(mie) & (MIP_S_ALL | MIP_M_ALL), MIP_SEIP | MIP_M_ALL);
	CHECK_ON_UMBRA(78, csr_read(mie), MIP_SEIP | MIP_M_ALL);
	csr_write(mie, 0);
	csr_write(mideleg, 0);
	/* mip: M-mode writes SSIP/STIP/SEIP; MSIP/MTIP/MEIP follow the CLINT/PLIC only */
	CHECK_SIG(79, csr_read(mip) & (MIP_S_ALL | MIP_M_ALL), 0u);
	csr_write(mip, ALL_ONES);
	CHECK_SIG(80, csr_read(mip) & (MIP_S_ALL | MIP_M_ALL), MIP_S_ALL);
	CHECK_ON_UMBRA(80, csr_read(mip), MIP_S_ALL);
	csr_write(mip, 0);
	CHECK_SIG(81, csr_read(mip) & (MIP_S_ALL | MIP_M_ALL), 0u);
	/* sip: S-mode may write SSIP when delegated, nothing else */
	csr_write(mideleg, MIP_S_ALL);
	csr_write(sip, ALL_ONES);
	CHECK_SIG(82, csr_read(mip) & (MIP_S_ALL | MIP_M_ALL), MIP_SSIP);
	CHECK_ON_UMBRA(82, csr_read(mip), MIP_SSIP);
	CHECK_ON_UMBRA(82, csr_read(sip), MIP_SSIP);
	csr_write(sip, 0);
	CHECK_SIG(83, csr_read(mip) & (MIP_S_ALL | MIP_M_ALL), 0u);
	csr_write(mideleg, 0);
}

static void test_satp_counteren(void)
{
	csr_write(satp, SATP_MODE_SV32 | (RAM_BASE >> 12) | 0x80u);
	CHECK_SIG(90, csr_read(satp), SATP_MODE_SV32 | (RAM_BASE >> 12) | 0x80u);
	csr_write(satp, 0);
	CHECK_SIG(91, csr_read(satp), 0u);
	csr_write(mcounteren, ALL_ONES);
	CHECK_SIG(92, csr_read(mcounteren) & 7u, 7u);
	csr_write(mcounteren, 0);
	csr_write(scounteren, COUNTER_TM);
	CHECK_SIG(93, csr_read(scounteren) & 7u, COUNTER_TM);
	csr_write(scounteren, 0);
}

int main(void)
{
	test_ids();
	test_read_only();
	test_mstatus();
	test_scratch_epc_cause_tval();
	test_deleg_and_enables();
	test_satp_counteren();
	return 0;
}
