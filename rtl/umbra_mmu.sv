// umbra_mmu: Sv32 address translation for the fetch and load/store paths:
// an I-TLB, a D-TLB, their permission checks and the shared walker.
// Each side asks with *_req_i and holds the same address until the cycle it
// sees *_ok_o (physical address valid) or *_fault_o. A TLB hit answers in the
// same cycle; a miss starts a walk and answers the cycle after the fill.
// With Gwb = 1 the D-TLB keeps each leaf's T bit and d_traced_o reports it
// for a translated access (SPEC §3); the LSU decides whether it is honoured.
`default_nettype none

module umbra_mmu
#(
  parameter int ItlbEntries = 8,
  parameter int DtlbEntries = 8,
  parameter bit Gwb         = 1'b1
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  // Translation context from the CSR file.
  input  logic [1:0]  priv_i,
  input  logic        mprv_i,
  input  logic [1:0]  mpp_i,
  input  logic        sum_i,
  input  logic        mxr_i,
  input  logic        satp_mode_i,
  input  logic [21:0] satp_ppn_i,
  input  logic        flush_i,         // sfence.vma or satp write

  // Fetch side.
  input  logic        if_req_i,
  input  logic [31:0] if_vaddr_i,
  output logic        if_ok_o,
  output logic [31:0] if_paddr_o,
  output logic        if_fault_o,
  output logic        if_fault_access_o, // 1 access fault, 0 page fault

  // Load/store side.
  input  logic        d_req_i,
  input  logic        d_store_i,
  input  logic [31:0] d_vaddr_i,
  output logic        d_ok_o,
  output logic [31:0] d_paddr_o,
  output logic        d_fault_o,
  output logic        d_fault_access_o,
  output logic        d_traced_o,      // with d_ok_o: translated through a leaf with T=1

  // Walker's PTE reads.
  output logic        ptw_req_o,
  output logic [31:0] ptw_addr_o,
  input  logic        ptw_gnt_i,
  input  logic        ptw_rsp_valid_i,
  input  logic [31:0] ptw_rsp_rdata_i,
  input  logic        ptw_rsp_err_i,
  output logic        ptw_busy_o,

  output logic        itlb_miss_o,    // a walk for the fetch side starts
  output logic        dtlb_miss_o     // a walk for the load/store side starts
);
  logic [1:0]  d_priv;
  logic        if_xlate, d_xlate;

  assign d_priv   = mprv_i ? mpp_i : priv_i;
  assign if_xlate = satp_mode_i && (priv_i != umbra_pkg::PrivM);
  assign d_xlate  = satp_mode_i && (d_priv != umbra_pkg::PrivM);

  // TLBs.
  logic        itlb_hit, dtlb_hit;
  logic [21:0] itlb_ppn, dtlb_ppn;
  logic [7:0]  itlb_flags, dtlb_flags;
  logic        itlb_traced, dtlb_traced;
  logic        ptw_done, ptw_side, ptw_fault, ptw_fault_access, ptw_fill, ptw_fill_mega;
  logic [19:0] ptw_fill_vpn;
  logic [21:0] ptw_fill_ppn;
  logic [8:0]  ptw_fill_flags;   // T D A G U X W R V
  logic        ptw_idle;

  umbra_tlb #(.Entries(ItlbEntries), .Traced(1'b0)) u_itlb (
    .clk_i, .rst_ni,
    .lookup_vpn_i  (if_vaddr_i[31:12]),
    .hit_o         (itlb_hit),
    .ppn_o         (itlb_ppn),
    .flags_o       (itlb_flags),
    .traced_o      (itlb_traced),
    .fill_i        (ptw_fill && !ptw_side),
    .fill_vpn_i    (ptw_fill_vpn),
    .fill_ppn_i    (ptw_fill_ppn),
    .fill_flags_i  (ptw_fill_flags[7:0]),
    .fill_traced_i (1'b0),
    .fill_mega_i  (ptw_fill_mega),
    .flush_i
  );

  umbra_tlb #(.Entries(DtlbEntries), .Traced(Gwb)) u_dtlb (
    .clk_i, .rst_ni,
    .lookup_vpn_i  (d_vaddr_i[31:12]),
    .hit_o         (dtlb_hit),
    .ppn_o         (dtlb_ppn),
    .flags_o       (dtlb_flags),
    .traced_o      (dtlb_traced),
    .fill_i        (ptw_fill && ptw_side),
    .fill_vpn_i    (ptw_fill_vpn),
    .fill_ppn_i    (ptw_fill_ppn),
    .fill_flags_i  (ptw_fill_flags[7:0]),
    .fill_traced_i (ptw_fill_flags[umbra_pkg::PteT]),
    .fill_mega_i  (ptw_fill_mega),
    .flush_i
  );

  // The I-TLB keeps no T bit (Traced = 0): its traced_o is constant 0.
  logic unused_itlb_traced;
  assign unused_itlb_traced = itlb_traced;

  // T of the hit D-TLB entry; the answer below is ok_o only on a hit when translating.
  assign d_traced_o = Gwb && d_xlate && dtlb_hit && dtlb_traced;

  // Permission checks on the TLB entries.
  logic if_perm_fault, d_perm_fault;

  umbra_pte_check u_if_check (
    .flags_i (itlb_flags),
    .acc_i   (umbra_pkg::AccFetch),
    .priv_i  (priv_i),
    .sum_i   (sum_i),
    .mxr_i   (mxr_i),
    .fault_o (if_perm_fault)
  );

  umbra_pte_check u_d_check (
    .flags_i (dtlb_flags),
    .acc_i   (d_store_i ? umbra_pkg::AccStore : umbra_pkg::AccLoad),
    .priv_i  (d_priv),
    .sum_i   (sum_i),
    .mxr_i   (mxr_i),
    .fault_o (d_perm_fault)
  );

  // Walk requests: the load/store side first (the two never overlap in
  // practice: a fetch walk runs only while no instruction is executing).
  logic if_walk, d_walk;
  assign d_walk  = d_req_i && d_xlate && !dtlb_hit && ptw_idle;
  assign if_walk = if_req_i && if_xlate && !itlb_hit && ptw_idle && !d_walk;

  umbra_ptw u_ptw (
    .clk_i, .rst_ni,
    .start_i         (d_walk || if_walk),
    .start_side_i    (d_walk),
    .start_vaddr_i   (d_walk ? d_vaddr_i : if_vaddr_i),
    .satp_ppn_i      (satp_ppn_i),
    .flush_i         (flush_i),
    .idle_o          (ptw_idle),
    .mem_req_o       (ptw_req_o),
    .mem_addr_o      (ptw_addr_o),
    .mem_gnt_i       (ptw_gnt_i),
    .mem_rsp_valid_i (ptw_rsp_valid_i),
    .mem_rsp_rdata_i (ptw_rsp_rdata_i),
    .mem_rsp_err_i   (ptw_rsp_err_i),
    .done_o          (ptw_done),
    .done_side_o     (ptw_side),
    .fault_o         (ptw_fault),
    .fault_access_o  (ptw_fault_access),
    .fill_o          (ptw_fill),
    .fill_vpn_o      (ptw_fill_vpn),
    .fill_ppn_o      (ptw_fill_ppn),
    .fill_flags_o    (ptw_fill_flags),
    .fill_mega_o     (ptw_fill_mega)
  );

  assign ptw_busy_o  = !ptw_idle;
  assign itlb_miss_o = if_walk;
  assign dtlb_miss_o = d_walk;

  // Answers.
  umbra_mmu_answer u_if_answer (
    .req_i               (if_req_i),
    .xlate_i             (if_xlate),
    .vaddr_i             (if_vaddr_i),
    .tlb_hit_i           (itlb_hit),
    .tlb_ppn_i           (itlb_ppn),
    .perm_fault_i        (if_perm_fault),
    .walk_fault_i        (ptw_done && !ptw_side && ptw_fault),
    .walk_fault_access_i (ptw_fault_access),
    .ok_o                (if_ok_o),
    .paddr_o             (if_paddr_o),
    .fault_o             (if_fault_o),
    .fault_access_o      (if_fault_access_o)
  );

  umbra_mmu_answer u_d_answer (
    .req_i               (d_req_i),
    .xlate_i             (d_xlate),
    .vaddr_i             (d_vaddr_i),
    .tlb_hit_i           (dtlb_hit),
    .tlb_ppn_i           (dtlb_ppn),
    .perm_fault_i        (d_perm_fault),
    .walk_fault_i        (ptw_done && ptw_side && ptw_fault),
    .walk_fault_access_i (ptw_fault_access),
    .ok_o                (d_ok_o),
    .paddr_o             (d_paddr_o),
    .fault_o             (d_fault_o),
    .fault_access_o      (d_fault_access_o)
  );

`ifdef UMBRA_ASSERT
  // Immediate assertions at the clock edge, each in a block named
  // <Module><Property> (as in umbra_clint): they read the values of the cycle
  // that ends there, as a concurrent property would, without the sampled
  // copy of every signal it reads that build/umbra would pay for each cycle.
  always @(posedge clk_i) begin : UmbraMmuIfAnswerOnce
    if (rst_ni) assert (!(if_ok_o && if_fault_o)) else $error("%m: fetch ok and fault at once");
  end
  always @(posedge clk_i) begin : UmbraMmuDAnswerOnce
    if (rst_ni) assert (!(d_ok_o && d_fault_o)) else $error("%m: data ok and fault at once");
  end
  always @(posedge clk_i) begin : UmbraMmuNoFlushWhileWalking
    if (rst_ni && flush_i) assert (ptw_idle) else $error("%m: flush while walking");
  end
`endif

endmodule

`default_nettype wire
