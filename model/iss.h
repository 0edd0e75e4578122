/* iss.h: the umbra-virt instruction-set reference model: hart state, decoded instructions, public API. */
#ifndef UMBRA_ISS_H
#define UMBRA_ISS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clint.h"
#include "mem.h"
#include "mmio.h"
#include "plic.h"

/*
 * Rules:
 *  1. x[0] is 0 between steps; priv is U, S or M (never 2).
 *  2. Every CSR holds only the bits its WARL mask in iss_csr.c allows
 *     (same masks as rtl/umbra_csr.sv).
 *  3. Time: one step is one cycle (an instruction, a trap entry, or one WFI
 *     stall cycle); mtime advances once every mtime_div steps. Cycle-based
 *     counters (mcycle, mhpmcounter5 "walker busy") are therefore not
 *     architectural: only instret and the architectural state must match
 *     the RTL.
 *  4. The TLBs hold only leaves that the walker accepted (V, A, no reserved
 *     encoding); they are emptied by sfence.vma and by satp writes.
 *  5. Decoded code: dpages[i], when its ppn is not ISS_DPAGE_NONE, holds for
 *     physical RAM page ppn (ppn % ISS_DPAGES == i) each word's decode or
 *     op == ISS_OP_UNDECODED. A write to that page through the ports
 *     (iss_phys_access: stores, GWB records) drops the page; device DMA
 *     (ram->bulk_writes moving) and fence.i drop them all, so a slot never
 *     disagrees with memory.
 *  6. GWB: gwbctl holds only EN, gwbbase is 8-aligned, gwbidx fits 13 bits and
 *     gwbcap is a power of two in 1..4096 (decisions in docs/gwb.md).
 *  7. Fetch shortcut: when fetch_vpn is not ISS_TLB_INVALID, pc page
 *     fetch_vpn translates for fetch at the current privilege to RAM page
 *     fetch_ppn; it is forgotten by every TLB flush (sfence.vma, satp
 *     writes) and privilege change, so fetch needs neither the ITLB nor a
 *     memory read while execution stays in a page.
 */

#define ISS_PRIV_U 0u
#define ISS_PRIV_S 1u
#define ISS_PRIV_M 3u

/* Exception causes. */
enum iss_exc {
	EXC_INSN_MISALIGNED = 0, EXC_INSN_ACCESS = 1, EXC_ILLEGAL = 2, EXC_BREAKPOINT = 3,
	EXC_LOAD_MISALIGNED = 4, EXC_LOAD_ACCESS = 5, EXC_STORE_MISALIGNED = 6,
	EXC_STORE_ACCESS = 7, EXC_ECALL_U = 8, EXC_ECALL_S = 9, EXC_ECALL_M = 11,
	EXC_INSN_PAGE = 12, EXC_LOAD_PAGE = 13, EXC_STORE_PAGE = 15,
	EXC_GWB_FULL = 24,     /* SPEC §3: a traced store found the log full */
};

/* Interrupt numbers (mip bits). */
#define IRQ_SS 1u
#define IRQ_MS 3u
#define IRQ_ST 5u
#define IRQ_MT 7u
#define IRQ_SE 9u
#define IRQ_ME 11u

/* mstatus bits. */
#define MSTATUS_SIE   (1u << 1)
#define MSTATUS_MIE   (1u << 3)
#define MSTATUS_SPIE  (1u << 5)
#define MSTATUS_MPIE  (1u << 7)
#define MSTATUS_SPP   (1u << 8)
#define MSTATUS_MPP   (3u << 11)
#define MSTATUS_MPRV  (1u << 17)
#define MSTATUS_SUM   (1u << 18)
#define MSTATUS_MXR   (1u << 19)
#define MSTATUS_TVM   (1u << 20)
#define MSTATUS_TW    (1u << 21)
#define MSTATUS_TSR   (1u << 22)
#define MSTATUS_MPP_SHIFT 11

/* Decoded operation (iss_decode.c); one per distinct behaviour. */
enum iss_op {
	OP_ILLEGAL = 0,
	OP_LUI, OP_AUIPC, OP_JAL, OP_JALR,
	OP_BEQ, OP_BNE, OP_BLT, OP_BGE, OP_BLTU, OP_BGEU,
	OP_LB, OP_LH, OP_LW, OP_LBU, OP_LHU,
	OP_SB, OP_SH, OP_SW,
	OP_ADDI, OP_SLTI, OP_SLTIU, OP_XORI, OP_ORI, OP_ANDI, OP_SLLI, OP_SRLI, OP_SRAI,
	OP_ADD, OP_SUB, OP_SLL, OP_SLT, OP_SLTU, OP_XOR, OP_SRL, OP_SRA, OP_OR, OP_AND,
	OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU, OP_DIV, OP_DIVU, OP_REM, OP_REMU,
	OP_FENCE, OP_FENCE_I,
	OP_ECALL, OP_EBREAK, OP_MRET, OP_SRET, OP_WFI, OP_SFENCE_VMA,
	OP_CSRRW, OP_CSRRS, OP_CSRRC, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI,
	OP_COUNT
};

/*
 * One decoded instruction: 12 bytes, a pure function of its 32 bits, held
 * in pages of the decoded-code cache (rule 5).
 */
struct iss_insn {
	uint8_t op;      /* enum iss_op */
	uint8_t rd, rs1, rs2;
	int32_t imm;     /* sign-extended immediate; CSR number for CSR ops; zimm in rs1 */
	uint32_t raw;
};

void iss_decode_insn(uint32_t raw, struct iss_insn *d);
const char *iss_op_name(unsigned op);

/* One TLB entry: direct mapped by the low bits of the 4 KiB vpn. */
#define ISS_TLB_ENTRIES 64u
struct iss_tlb_entry {
	uint32_t vpn;      /* 4 KiB virtual page number; ISS_TLB_INVALID when empty */
	uint32_t ppn;      /* 22-bit physical page number of this 4 KiB page */
	uint16_t flags;    /* leaf PTE bits T D A G U X W R V (T = bit 8, the GWB's traced bit) */
};
#define ISS_TLB_INVALID 0xffffffffu   /* no 20-bit vpn equals it */

struct iss_tlb {
	struct iss_tlb_entry e[ISS_TLB_ENTRIES];
	uint64_t misses;
};

/* Decoded-code cache (rule 5): pages of decoded words by physical page number. */
#define ISS_DPAGES        256u
#define ISS_DPAGE_NONE    0xffffffffu
#define ISS_OP_UNDECODED  0xffu
struct iss_dpage {
	uint32_t ppn;
	struct iss_insn insn[1024];
};

/* mhpmcounter3..7: I-TLB misses, D-TLB misses, walker busy, GWB appends, GWB-full traps. */
#define ISS_NHPM 5u
#define ISS_HPM_GWB_APPEND 3u
#define ISS_HPM_GWB_FULL   4u

/* GWB CSRs (M-mode, custom read/write range). */
#define CSR_MGWBCTL  0x7c0u
#define CSR_MGWBBASE 0x7c1u
#define CSR_MGWBIDX  0x7c2u
#define CSR_MGWBCAP  0x7c3u
#define MGWBCTL_EN       1u
#define MGWBBASE_MASK    0xfffffff8u   /* 8-byte records */
#define MGWBIDX_MASK     0x00001fffu
#define MGWBCAP_MAX      4096u

struct iss_csrs {
	uint32_t mstatus, medeleg, mideleg, mie, mip_sw, mtvec, stvec;
	uint32_t mcounteren, scounteren, mcountinhibit, mscratch, sscratch;
	uint32_t mepc, sepc, mcause, scause, mtval, stval, satp;
	uint64_t mcycle, minstret, hpm[ISS_NHPM];
	uint32_t gwbctl, gwbbase, gwbidx, gwbcap;   /* SPEC §3, decisions in docs/gwb.md */
};

/*
 * One retirement as the RTL's RVFI port reports it (riscv-formal names), plus
 * the GWB append of SPEC §2/§3. Produced by the model in lockstep and filled
 * from the RTL's outputs by the harness; compared by model/lockstep.c.
 */
struct iss_rvfi {
	uint64_t order;
	uint32_t insn, pc_rdata, pc_wdata;
	uint8_t trap, intr, mode;
	uint32_t cause;           /* exception cause when trap, else the interrupt's when intr */
	uint8_t rd_addr;          /* 0 when no register is written */
	uint32_t rd_wdata;
	uint32_t mem_addr;        /* virtual byte address of the load/store */
	uint8_t mem_rmask, mem_wmask;
	uint32_t mem_rdata, mem_wdata;   /* the bus word; only bytes under the mask count */
	uint8_t gwb_valid;
	uint32_t gwb_addr, gwb_word0, gwb_word1;
	uint8_t rd_timing;        /* model only: rd is a timing CSR (cycle, time, hpm3-5, mip) */
};

struct iss {
	uint32_t x[32];
	uint32_t pc;
	unsigned priv;
	struct iss_csrs csr;
	bool wfi;             /* stalled in WFI */

	struct iss_tlb itlb, dtlb;
	struct iss_dpage dpages[ISS_DPAGES];   /* rule 5 */
	uint64_t dpage_bulk_seen;             /* ram->bulk_writes when dpages were last checked */
	uint32_t fetch_vpn, fetch_ppn;        /* rule 7 */

	struct mem *ram;
	struct mmio *bus;
	struct htif *htif;    /* may be NULL */
	struct clint clint;
	struct plic plic;
	uint32_t mtime_div;

	uint64_t cycle;
	uint64_t instret;
	uint64_t traps;
	uint64_t pte_reads;
	uint64_t gwb_appends, gwb_full;  /* events for mhpmcounter6/7 (architectural) */
	bool gwb;             /* the GWB extension is present (SPEC §3); else 0x7C0.. are illegal */

	/*
	 * Lockstep (iss_lockstep_step): the model follows the RTL. It takes
	 * interrupts only when the RTL did, WFI retires at once, accesses
	 * outside RAM are not made but answered from the RTL's record (ext),
	 * devices and time do not advance. A load from RAM that a device (DMA)
	 * may have written between the RTL's access and its retirement takes
	 * the RTL's word too.
	 */
	bool lockstep;
	const struct iss_rvfi *ext;
	uint64_t order;       /* RVFI order of the next retirement (lockstep) */
	bool load_from_rtl;   /* a device wrote RAM since the previous retirement (dpage_bulk_seen
			       * moved): this step's load takes the RTL's word */
	/* set by a CSR write in the current step: that counter does not count this step */
	bool mtime_hold;      /* mtime written in this step: it does not tick */
	bool wrote_mcycle, wrote_minstret, wrote_hpm[ISS_NHPM], wrote_hpm_any;
};

/* Forget every decoded page (rule 5): fence.i, device DMA. */
void iss_drop_decoded(struct iss *s);

/* Reset: pc 0x1000, M-mode, every CSR 0 (as umbra_csr.sv's reset). */
void iss_init(struct iss *s, struct mem *ram, struct mmio *bus, struct htif *htif,
	      uint32_t mtime_div);
int iss_check(const struct iss *s);

/* Run up to n steps; stops early when bus->halt is set. Returns steps done. */
uint64_t iss_step(struct iss *s, uint64_t n);

/*
 * Lockstep: step the model over the retirement rtl reports (interrupt entry
 * first when rtl->intr) and describe what it did in *out. Returns 0, or
 * -EPERM when the RTL took an interrupt the model's state does not allow
 * (*out then describes the model's state: no instruction executed).
 */
int iss_lockstep_step(struct iss *s, const struct iss_rvfi *rtl, struct iss_rvfi *out);

/* Physical word access as the data port sees it (RAM, CLINT, PLIC, C devices): 0 or -EFAULT. */
int iss_phys_access(struct iss *s, uint32_t paddr, bool we, uint32_t be, uint32_t wdata,
		    uint32_t *rdata);

/* CSR access (iss_csr.c): legality as umbra_csr.sv; returns 0 or -EPERM (illegal). */
int iss_csr_access(struct iss *s, uint32_t addr, unsigned op, bool write, uint32_t wdata,
		   uint32_t *old);
/* Current mip (software bits and the CLINT/PLIC lines). */
uint32_t iss_csr_mip(const struct iss *s);
/* Take exception cause with tval at pc epc (interrupt when intr). */
void iss_trap_enter(struct iss *s, uint32_t cause, bool intr, uint32_t tval, uint32_t epc);
/* The interrupt to take now, or -1. */
int iss_irq_pending(const struct iss *s);
/* Would the hart take interrupt cause now if it were pending? */
bool iss_irq_enabled(const struct iss *s, unsigned cause);
void iss_do_mret(struct iss *s);
void iss_do_sret(struct iss *s);

/* CSR ops as funct3[1:0]. */
#define ISS_CSR_RW 1u
#define ISS_CSR_RS 2u
#define ISS_CSR_RC 3u

#endif /* UMBRA_ISS_H */
