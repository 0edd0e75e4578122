// umbra_cover: functional cover points of the core, bound into the RTL for
// `make coverage` only (build/cov/umbra): TLB hits and misses, every walker
// result, every permission-fault reason, traps by cause and target (an exit
// to M-mode from S/U is a hypervisor exit), interrupts by cause, and the GWB
// append (word and sub-word) and full. The RTL itself stays free of them.
// The interrupt delivery reasons of I/O completion virtualization (immediate,
// maturity, safepoint-idle, safepoint-poll, rejected) are the hypervisor's
// software events, not RTL states: tools/coverage.py counts them from the
// umbra_iolog event logs of the coverage runs (io.delivery.* in the summary).
`default_nettype none

// MMU: TLB hit/miss per side; page-fault reasons decided by a TLB entry's flags.
module umbra_mmu_cover (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic       if_req_i,
  input  logic       if_xlate,
  input  logic       itlb_hit,
  input  logic       itlb_miss,
  input  logic       if_perm_fault,
  input  logic [7:0] itlb_flags,
  input  logic [21:0] itlb_ppn,
  input  logic [1:0] priv_i,
  input  logic       d_req_i,
  input  logic       d_store_i,
  input  logic       d_xlate,
  input  logic       dtlb_hit,
  input  logic       dtlb_miss,
  input  logic       d_perm_fault,
  input  logic [7:0] dtlb_flags,
  input  logic [21:0] dtlb_ppn,
  input  logic [1:0] d_priv,
  input  logic       sum_i,
  input  logic       mxr_i
);
  localparam int R = 1, W = 2, X = 3, U = 4, D = 7;
  logic if_hit, d_hit;

  assign if_hit = if_req_i && if_xlate && itlb_hit;
  assign d_hit  = d_req_i && d_xlate && dtlb_hit;

  CovItlbHit:  cover property (@(posedge clk_i) disable iff (!rst_ni) if_hit);
  CovItlbMiss: cover property (@(posedge clk_i) disable iff (!rst_ni) itlb_miss);
  CovDtlbHit:  cover property (@(posedge clk_i) disable iff (!rst_ni) d_hit);
  CovDtlbMiss: cover property (@(posedge clk_i) disable iff (!rst_ni) dtlb_miss);

  // Fetch page faults from a TLB entry.
  CovPfFetchUserNoU: cover property (@(posedge clk_i) disable iff (!rst_ni)
    if_hit && if_perm_fault && priv_i == 2'd0 && !itlb_flags[U]);
  CovPfFetchSupervisorOnU: cover property (@(posedge clk_i) disable iff (!rst_ni)
    if_hit && if_perm_fault && priv_i == 2'd1 && itlb_flags[U]);
  CovPfFetchNoX: cover property (@(posedge clk_i) disable iff (!rst_ni)
    if_hit && if_perm_fault && !itlb_flags[X]);
  CovAfFetchAbove4G: cover property (@(posedge clk_i) disable iff (!rst_ni)
    if_hit && !if_perm_fault && itlb_ppn[21:20] != 2'b00);

  // Load/store page faults from a TLB entry.
  CovPfDataUserNoU: cover property (@(posedge clk_i) disable iff (!rst_ni)
    d_hit && d_perm_fault && d_priv == 2'd0 && !dtlb_flags[U]);
  CovPfDataSupervisorNoSum: cover property (@(posedge clk_i) disable iff (!rst_ni)
    d_hit && d_perm_fault && d_priv == 2'd1 && dtlb_flags[U] && !sum_i);
  CovDataSupervisorSum: cover property (@(posedge clk_i) disable iff (!rst_ni)
    d_hit && !d_perm_fault && d_priv == 2'd1 && dtlb_flags[U] && sum_i);
  CovPfLoadNoRead: cover property (@(posedge clk_i) disable iff (!rst_ni)
    d_hit && d_perm_fault && !d_store_i && !dtlb_flags[R] && !(mxr_i && dtlb_flags[X]));
  CovLoadMxr: cover property (@(posedge clk_i) disable iff (!rst_ni)
    d_hit && !d_perm_fault && !d_store_i && !dtlb_flags[R] && mxr_i && dtlb_flags[X]);
  CovPfStoreNoWrite: cover property (@(posedge clk_i) disable iff (!rst_ni)
    d_hit && d_perm_fault && d_store_i && !dtlb_flags[W]);
  CovPfStoreNotDirty: cover property (@(posedge clk_i) disable iff (!rst_ni)
    d_hit && d_perm_fault && d_store_i && dtlb_flags[W] && !dtlb_flags[D]);
  CovAfDataAbove4G: cover property (@(posedge clk_i) disable iff (!rst_ni)
    d_hit && !d_perm_fault && dtlb_ppn[21:20] != 2'b00);
endmodule

// Walker: every way a walk ends (umbra_ptw's walk_result_e, in its order).
module umbra_ptw_cover (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic       done_o,
  input  logic       fill_o,
  input  logic       fill_mega_o,
  input  logic [3:0] result_d
);
  CovWalkOk:             cover property (@(posedge clk_i) disable iff (!rst_ni) done_o && result_d == 4'd0);
  CovWalkAccessFault:    cover property (@(posedge clk_i) disable iff (!rst_ni) done_o && result_d == 4'd1);
  CovWalkInvalid:        cover property (@(posedge clk_i) disable iff (!rst_ni) done_o && result_d == 4'd2);
  CovWalkWriteNoRead:    cover property (@(posedge clk_i) disable iff (!rst_ni) done_o && result_d == 4'd3);
  CovWalkMisalignedMega: cover property (@(posedge clk_i) disable iff (!rst_ni) done_o && result_d == 4'd4);
  CovWalkNotAccessed:    cover property (@(posedge clk_i) disable iff (!rst_ni) done_o && result_d == 4'd5);
  CovWalkNoLeaf:         cover property (@(posedge clk_i) disable iff (!rst_ni) done_o && result_d == 4'd6);
  CovWalkBadPointer:     cover property (@(posedge clk_i) disable iff (!rst_ni) done_o && result_d == 4'd7);
  CovWalkFillMegapage:   cover property (@(posedge clk_i) disable iff (!rst_ni) fill_o && fill_mega_o);
  CovWalkFillPage:       cover property (@(posedge clk_i) disable iff (!rst_ni) fill_o && !fill_mega_o);
endmodule

// Traps: each exception cause to M and (where delegable) to S; exits to M
// from S/U (what a hypervisor sees); interrupts by cause and target.
module umbra_csr_cover (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic       exc_i,
  input  logic [4:0] exc_cause_i,
  input  logic       irq_take_i,
  input  logic [4:0] irq_cause,
  input  logic       trap_to_s,
  input  logic [1:0] priv_q,
  input  logic       mret_i,
  input  logic       sret_i
);
  // One statement per cause (coverage counts per source statement, not per instance).
`define UMBRA_COV_EXC(name, c) \
  CovExcToM``name: cover property (@(posedge clk_i) disable iff (!rst_ni) \
    exc_i && exc_cause_i == 5'd``c && !trap_to_s);
`define UMBRA_COV_EXIT(name, c) \
  CovExitFromGuest``name: cover property (@(posedge clk_i) disable iff (!rst_ni) \
    exc_i && exc_cause_i == 5'd``c && !trap_to_s && priv_q != 2'd3);
`define UMBRA_COV_EXC_S(name, c) \
  CovExcToS``name: cover property (@(posedge clk_i) disable iff (!rst_ni) \
    exc_i && exc_cause_i == 5'd``c && trap_to_s);
`define UMBRA_COV_IRQ(name, c) \
  CovIrqToM``name: cover property (@(posedge clk_i) disable iff (!rst_ni) \
    irq_take_i && irq_cause == 5'd``c && !trap_to_s);
`define UMBRA_COV_IRQ_S(name, c) \
  CovIrqToS``name: cover property (@(posedge clk_i) disable iff (!rst_ni) \
    irq_take_i && irq_cause == 5'd``c && trap_to_s);

  `UMBRA_COV_EXC(InsnMisaligned, 0)
  `UMBRA_COV_EXC(InsnAccess, 1)
  `UMBRA_COV_EXC(Illegal, 2)
  `UMBRA_COV_EXC(Breakpoint, 3)
  `UMBRA_COV_EXC(LoadMisaligned, 4)
  `UMBRA_COV_EXC(LoadAccess, 5)
  `UMBRA_COV_EXC(StoreMisaligned, 6)
  `UMBRA_COV_EXC(StoreAccess, 7)
  `UMBRA_COV_EXC(EcallU, 8)
  `UMBRA_COV_EXC(EcallS, 9)
  `UMBRA_COV_EXC(EcallM, 11)
  `UMBRA_COV_EXC(InsnPage, 12)
  `UMBRA_COV_EXC(LoadPage, 13)
  `UMBRA_COV_EXC(StorePage, 15)
  `UMBRA_COV_EXC(GwbFull, 24)
  `UMBRA_COV_EXIT(InsnMisaligned, 0)
  `UMBRA_COV_EXIT(InsnAccess, 1)
  `UMBRA_COV_EXIT(Illegal, 2)
  `UMBRA_COV_EXIT(Breakpoint, 3)
  `UMBRA_COV_EXIT(LoadMisaligned, 4)
  `UMBRA_COV_EXIT(LoadAccess, 5)
  `UMBRA_COV_EXIT(StoreMisaligned, 6)
  `UMBRA_COV_EXIT(StoreAccess, 7)
  `UMBRA_COV_EXIT(EcallU, 8)
  `UMBRA_COV_EXIT(EcallS, 9)
  `UMBRA_COV_EXIT(InsnPage, 12)
  `UMBRA_COV_EXIT(LoadPage, 13)
  `UMBRA_COV_EXIT(StorePage, 15)
  `UMBRA_COV_EXIT(GwbFull, 24)
  `UMBRA_COV_EXC_S(InsnMisaligned, 0)
  `UMBRA_COV_EXC_S(InsnAccess, 1)
  `UMBRA_COV_EXC_S(Illegal, 2)
  `UMBRA_COV_EXC_S(Breakpoint, 3)
  `UMBRA_COV_EXC_S(LoadMisaligned, 4)
  `UMBRA_COV_EXC_S(LoadAccess, 5)
  `UMBRA_COV_EXC_S(StoreMisaligned, 6)
  `UMBRA_COV_EXC_S(StoreAccess, 7)
  `UMBRA_COV_EXC_S(EcallU, 8)
  `UMBRA_COV_EXC_S(EcallS, 9)
  `UMBRA_COV_EXC_S(InsnPage, 12)
  `UMBRA_COV_EXC_S(LoadPage, 13)
  `UMBRA_COV_EXC_S(StorePage, 15)
  `UMBRA_COV_IRQ(Ssi, 1)
  `UMBRA_COV_IRQ(Msi, 3)
  `UMBRA_COV_IRQ(Sti, 5)
  `UMBRA_COV_IRQ(Mti, 7)
  `UMBRA_COV_IRQ(Sei, 9)
  `UMBRA_COV_IRQ(Mei, 11)
  `UMBRA_COV_IRQ_S(Ssi, 1)
  `UMBRA_COV_IRQ_S(Sti, 5)
  `UMBRA_COV_IRQ_S(Sei, 9)
  `undef UMBRA_COV_EXC
  `undef UMBRA_COV_EXIT
  `undef UMBRA_COV_EXC_S
  `undef UMBRA_COV_IRQ
  `undef UMBRA_COV_IRQ_S

  CovMret: cover property (@(posedge clk_i) disable iff (!rst_ni) mret_i);
  CovSret: cover property (@(posedge clk_i) disable iff (!rst_ni) sret_i);
endmodule

// GWB: a traced store retiring with its record, and one that found the log full.
module umbra_gwb_cover (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic       rvfi_valid_o,
  input  logic       rvfi_trap_o,
  input  logic [31:0] rvfi_trap_cause_o,
  input  logic       rvfi_gwb_valid_o,
  input  logic [3:0] rvfi_mem_wmask_o
);
  CovGwbAppendWord: cover property (@(posedge clk_i) disable iff (!rst_ni)
    rvfi_valid_o && rvfi_gwb_valid_o && rvfi_mem_wmask_o == 4'hf);
  CovGwbAppendSubword: cover property (@(posedge clk_i) disable iff (!rst_ni)
    rvfi_valid_o && rvfi_gwb_valid_o && rvfi_mem_wmask_o != 4'hf);
  CovGwbFull: cover property (@(posedge clk_i) disable iff (!rst_ni)
    rvfi_valid_o && rvfi_trap_o && rvfi_trap_cause_o == 32'd24);
endmodule

bind umbra_core umbra_gwb_cover u_gwb_cover (
  .clk_i, .rst_ni, .rvfi_valid_o, .rvfi_trap_o, .rvfi_trap_cause_o, .rvfi_gwb_valid_o,
  .rvfi_mem_wmask_o
);

bind umbra_mmu umbra_mmu_cover u_cover (
  .clk_i, .rst_ni, .if_req_i, .if_xlate, .itlb_hit, .itlb_miss (itlb_miss_o),
  .if_perm_fault, .itlb_flags (itlb_flags[7:0]), .itlb_ppn, .priv_i,
  .d_req_i, .d_store_i, .d_xlate, .dtlb_hit, .dtlb_miss (dtlb_miss_o), .d_perm_fault,
  .dtlb_flags (dtlb_flags[7:0]), .dtlb_ppn, .d_priv, .sum_i, .mxr_i
);

bind umbra_ptw umbra_ptw_cover u_cover (
  .clk_i, .rst_ni, .done_o, .fill_o, .fill_mega_o, .result_d (4'(result_d))
);

bind umbra_csr umbra_csr_cover u_cover (
  .clk_i, .rst_ni, .exc_i, .exc_cause_i, .irq_take_i, .irq_cause, .trap_to_s, .priv_q,
  .mret_i, .sret_i
);

`default_nettype wire
