/* csr_bits.h: named bit masks and cause numbers of the RISC-V privileged architecture (RV32). */
#ifndef UMBRA_CSR_BITS_H
#define UMBRA_CSR_BITS_H

/* mstatus / sstatus */
#define MSTATUS_SIE   0x00000002u
#define MSTATUS_MIE   0x00000008u
#define MSTATUS_SPIE  0x00000020u
#define MSTATUS_UBE   0x00000040u
#define MSTATUS_MPIE  0x00000080u
#define MSTATUS_SPP   0x00000100u
#define MSTATUS_VS    0x00000600u
#define MSTATUS_MPP   0x00001800u
#define MSTATUS_FS    0x00006000u
#define MSTATUS_XS    0x00018000u
#define MSTATUS_MPRV  0x00020000u
#define MSTATUS_SUM   0x00040000u
#define MSTATUS_MXR   0x00080000u
#define MSTATUS_TVM   0x00100000u
#define MSTATUS_TW    0x00200000u
#define MSTATUS_TSR   0x00400000u
#define MSTATUS_SD    0x80000000u
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP_U 0x00000000u
#define MSTATUS_MPP_S 0x00000800u
#define MSTATUS_MPP_M 0x00001800u

/* mip / mie (same layout); sip/sie show the S bits */
#define MIP_SSIP 0x00000002u
#define MIP_MSIP 0x00000008u
#define MIP_STIP 0x00000020u
#define MIP_MTIP 0x00000080u
#define MIP_SEIP 0x00000200u
#define MIP_MEIP 0x00000800u
#define MIP_S_ALL (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define MIP_M_ALL (MIP_MSIP | MIP_MTIP | MIP_MEIP)

/* satp (Sv32) */
#define SATP_MODE_SV32 0x80000000u
#define SATP_ASID      0x7fc00000u
#define SATP_PPN       0x003fffffu

/* mtvec / stvec */
#define TVEC_MODE     0x00000003u
#define TVEC_DIRECT   0x0u
#define TVEC_VECTORED 0x1u

/* mcounteren / scounteren / mcountinhibit */
#define COUNTER_CY 0x1u
#define COUNTER_TM 0x2u
#define COUNTER_IR 0x4u

/* misa */
#define MISA_MXL_32 0x40000000u
#define MISA_EXT(c) (1u << ((c) - 'A'))

/* mcause / scause */
#define CAUSE_INTERRUPT         0x80000000u
#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL_INSN      2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_ECALL_M           11
#define CAUSE_FETCH_PAGE_FAULT  12
#define CAUSE_LOAD_PAGE_FAULT   13
#define CAUSE_STORE_PAGE_FAULT  15
#define CAUSE_GWB_FULL          24

/* interrupt numbers (mcause without CAUSE_INTERRUPT) */
#define IRQ_S_SOFT  1
#define IRQ_M_SOFT  3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT   9
#define IRQ_M_EXT   11

/* GWB extension (SPEC §3, docs/gwb.md): CSR numbers and fields; absent cores trap on them */
#define CSR_MGWBCTL   0x7c0
#define CSR_MGWBBASE  0x7c1
#define CSR_MGWBIDX   0x7c2
#define CSR_MGWBCAP   0x7c3
#define MGWBCTL_EN    0x00000001u
#define MGWBBASE_MASK 0xfffffff8u
#define MGWBIDX_MASK  0x00001fffu
#define MGWBCAP_MAX   4096u
#define GWB_RECORD_BYTES 8u
#define GWB_SIZE_BYTE 0u   /* record word 0 bits [1:0] */
#define GWB_SIZE_HALF 1u
#define GWB_SIZE_WORD 2u

/* privilege modes as run_in_mode() and mstatus.MPP use them */
#define MODE_U 0
#define MODE_S 1
#define MODE_M 3

#ifndef __ASSEMBLER__
_Static_assert((MSTATUS_SIE & MSTATUS_MIE & MSTATUS_SPIE & MSTATUS_MPIE) == 0, "mstatus enables overlap");
_Static_assert(((MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_MPIE | MSTATUS_SPP) &
		(MSTATUS_VS | MSTATUS_MPP | MSTATUS_FS | MSTATUS_XS | MSTATUS_MPRV | MSTATUS_SUM |
		 MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_SD)) == 0,
	       "mstatus low fields overlap high fields");
_Static_assert((MSTATUS_MPP & (MSTATUS_SPP | MSTATUS_VS | MSTATUS_FS)) == 0, "mstatus MPP overlaps");
_Static_assert(((MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR) & (MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)) == 0,
	       "mstatus VM bits overlap trap bits");
_Static_assert((MSTATUS_MPP_M >> MSTATUS_MPP_SHIFT) == MODE_M && (MSTATUS_MPP_S >> MSTATUS_MPP_SHIFT) == MODE_S,
	       "MPP encoding");
_Static_assert((MIP_S_ALL & MIP_M_ALL) == 0, "S and M interrupt bits overlap");
_Static_assert(MIP_SSIP == (1u << IRQ_S_SOFT) && MIP_MSIP == (1u << IRQ_M_SOFT) &&
	       MIP_STIP == (1u << IRQ_S_TIMER) && MIP_MTIP == (1u << IRQ_M_TIMER) &&
	       MIP_SEIP == (1u << IRQ_S_EXT) && MIP_MEIP == (1u << IRQ_M_EXT), "mip bit = 1 << irq");
_Static_assert((SATP_MODE_SV32 & SATP_ASID) == 0 && (SATP_ASID & SATP_PPN) == 0 &&
	       (SATP_MODE_SV32 | SATP_ASID | SATP_PPN) == 0xffffffffu, "satp fields");
#endif

#endif
