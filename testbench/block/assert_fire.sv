// assert_fire: drives one RTL block against its protocol so that one of its
// assertions fails (Verilator --binary --timing --assert, -DUMBRA_ASSERT).
//
// +case=NAME picks the assertion, named as in the RTL (<Module><Property>).
// The violation starts 3 cycles after reset; the run must then stop with
// the simulator's "Assertion failed in ...NAME" and a non-zero exit status
// (testbench/block/test_assert_fire.sh checks both). Should the assertion
// not fire within 8 cycles, the bench says "NOFIRE NAME" and exits 0, which
// the script reports as a failure. Outputs of the blocks are left open.
`default_nettype none

module assert_fire;
  logic clk_i = 1'b0;
  logic rst_ni = 1'b0;
  string which;
  int cyc = 0;

  always #5 clk_i = ~clk_i;

  // The violation is on from cycle 3 (inputs change at the falling edge).
  logic on;
  assign on = rst_ni && (cyc >= 3);

  function automatic logic pick(input string name);
    pick = on && (which == name);
  endfunction

  // umbra_ptw: a response while idle; a second start while walking (no grant).
  umbra_ptw u_ptw (
    .clk_i, .rst_ni,
    .start_i         (pick("UmbraPtwStartOnlyIdle")),
    .start_side_i    (1'b0),
    .start_vaddr_i   (32'h4000_0000),
    .satp_ppn_i      (22'h80000),
    .flush_i         (1'b0),
    .idle_o          (),
    .mem_req_o       (),
    .mem_addr_o      (),
    .mem_gnt_i       (1'b0),
    .mem_rsp_valid_i (pick("UmbraPtwRspOnlyWaiting")),
    .mem_rsp_rdata_i (32'd0),
    .mem_rsp_err_i   (1'b0),
    .done_o          (),
    .done_side_o     (),
    .fault_o         (),
    .fault_access_o  (),
    .fill_o          (),
    .fill_vpn_o      (),
    .fill_ppn_o      (),
    .fill_flags_o    (),
    .fill_mega_o     ()
  );

  // umbra_ifetch: never granted, so never waiting and never holding an
  // instruction: a response or an EX done is a violation.
  umbra_ifetch u_ifetch (
    .clk_i, .rst_ni,
    .insn_valid_o       (),
    .insn_o             (),
    .pc_o               (),
    .fault_o            (),
    .fault_access_o     (),
    .ex_done_i          (pick("UmbraIfetchDoneNeedsInsn")),
    .ex_npc_i           (32'h8000_0000),
    .ex_flush_i         (1'b0),
    .mmu_req_o          (),
    .mmu_vaddr_o        (),
    .mmu_ok_i           (1'b1),
    .mmu_paddr_i        (32'h8000_0000),
    .mmu_fault_i        (1'b0),
    .mmu_fault_access_i (1'b0),
    .imem_req_valid_o   (),
    .imem_req_addr_o    (),
    .imem_req_ready_i   (1'b0),
    .imem_rsp_valid_i   (pick("UmbraIfetchRspOnlyWaiting")),
    .imem_rsp_rdata_i   (32'h0000_0013),
    .imem_rsp_err_i     (1'b0)
  );

  // umbra_muldiv: a division started, then started again while it runs.
  umbra_muldiv u_muldiv (
    .clk_i, .rst_ni,
    .start_i  (pick("UmbraMuldivNoStartWhileBusy")),
    .op_i     (3'd4),
    .a_i      (32'd100),
    .b_i      (32'd7),
    .done_o   (),
    .result_o ()
  );

  // umbra_tlb: the same page filled into two entries, then looked up.
  logic tlb_twice;
  assign tlb_twice = pick("UmbraTlbOneHit") && (cyc < 5);
  umbra_tlb #(.Entries(4)) u_tlb (
    .clk_i, .rst_ni,
    .lookup_vpn_i  (20'h12345),
    .hit_o         (),
    .ppn_o         (),
    .flags_o       (),
    .traced_o      (),
    .fill_i        (tlb_twice),
    .fill_vpn_i    (20'h12345),
    .fill_ppn_i    (22'h00abc),
    .fill_flags_i  (8'hcf),
    .fill_traced_i (1'b0),
    .fill_mega_i   (1'b0),
    .flush_i       (1'b0)
  );

  // umbra_lsu: a data response with no access in flight.
  umbra_lsu #(.Gwb(1'b1)) u_lsu (
    .clk_i, .rst_ni,
    .req_i              (1'b0),
    .we_i               (1'b0),
    .size_i             (2'd2),
    .unsigned_i         (1'b0),
    .vaddr_i            (32'h8000_1000),
    .wdata_i            (32'd0),
    .done_o             (),
    .rdata_o            (),
    .fault_o            (),
    .cause_o            (),
    .mask_o             (),
    .word_rdata_o       (),
    .word_wdata_o       (),
    .gwb_en_i           (1'b0),
    .gwb_base_i         (29'd0),
    .gwb_idx_i          (13'd0),
    .gwb_cap_i          (13'd1),
    .gwb_append_o       (),
    .gwb_addr_o         (),
    .gwb_word0_o        (),
    .gwb_word1_o        (),
    .mmu_req_o          (),
    .mmu_store_o        (),
    .mmu_vaddr_o        (),
    .mmu_ok_i           (1'b0),
    .mmu_paddr_i        (32'd0),
    .mmu_fault_i        (1'b0),
    .mmu_fault_access_i (1'b0),
    .mmu_traced_i       (1'b0),
    .dreq_valid_o       (),
    .dreq_addr_o        (),
    .dreq_we_o          (),
    .dreq_be_o          (),
    .dreq_wdata_o       (),
    .dreq_gnt_i         (1'b0),
    .drsp_valid_i       (pick("UmbraLsuRspOnlyWaiting")),
    .drsp_rdata_i       (32'd0),
    .drsp_err_i         (1'b0)
  );

  // umbra_csr: an exception and an mret in the same cycle.
  umbra_csr #(.Gwb(1'b1)) u_csr (
    .clk_i, .rst_ni,
    .csr_addr_i    (12'h300),
    .csr_op_i      (2'd1),
    .csr_write_i   (1'b0),
    .csr_wdata_i   (32'd0),
    .csr_commit_i  (1'b0),
    .csr_rdata_o   (),
    .csr_illegal_o (),
    .exc_i         (pick("UmbraCsrOneEvent")),
    .exc_cause_i   (5'd2),
    .exc_tval_i    (32'd0),
    .exc_pc_i      (32'h8000_0000),
    .irq_take_i    (1'b0),
    .mret_i        (pick("UmbraCsrOneEvent")),
    .sret_i        (1'b0),
    .retire_i      (1'b0),
    .trap_pc_o     (),
    .trap_cause_o  (),
    .mepc_o        (),
    .sepc_o        (),
    .irq_pending_o (),
    .wfi_wake_o    (),
    .priv_o        (),
    .mprv_o        (),
    .mpp_o         (),
    .sum_o         (),
    .mxr_o         (),
    .tvm_o         (),
    .tw_o          (),
    .tsr_o         (),
    .satp_mode_o   (),
    .satp_ppn_o    (),
    .satp_write_o  (),
    .mtip_i        (1'b0),
    .msip_i        (1'b0),
    .meip_i        (1'b0),
    .seip_i        (1'b0),
    .mtime_i       (64'd0),
    .hpm_event_i   (3'd0),
    .gwb_en_o      (),
    .gwb_base_o    (),
    .gwb_idx_o     (),
    .gwb_cap_o     (),
    .gwb_append_i  (1'b0)
  );

  always @(posedge clk_i) if (rst_ni) cyc <= cyc + 1;

  initial begin
    if (!$value$plusargs("case=%s", which)) $fatal(1, "assert_fire: +case=NAME missing");
    repeat (2) @(negedge clk_i);
    rst_ni = 1'b1;
    repeat (12) @(negedge clk_i);
    $display("NOFIRE %s", which);
    $finish;
  end
endmodule

`default_nettype wire
