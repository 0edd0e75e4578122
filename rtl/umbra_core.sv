// umbra_core: the RV32IM M/S/U hart: fetch stage, execute stage (decode,
// register read, ALU/branch, CSR, multi-cycle load/store and divide, trap and
// interrupt entry, write-back), the MMU and the data-port arbiter between the
// walker and the load/store unit. Emits one retirement-port record per
// instruction that retires or traps. Gwb = 1 builds the guest write buffer
// (SPEC §3, docs/gwb.md): T bit in the D-TLB, append in the LSU, CSRs.
`default_nettype none

module umbra_core #(
  parameter bit Gwb = 1'b1,
  // Build the fault-injection inputs below (the simulated SoC does; a
  // synthesised core does not, and then ignores them).
  parameter bit FaultInject = 1'b0
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  // Instruction port.
  output logic        imem_req_valid_o,
  input  logic        imem_req_ready_i,
  output logic [31:0] imem_req_addr_o,
  input  logic        imem_rsp_valid_i,
  input  logic [31:0] imem_rsp_rdata_i,
  input  logic        imem_rsp_err_i,

  // Data port (physical), one request outstanding.
  output logic        data_req_valid_o,
  input  logic        data_req_ready_i,
  output logic [31:0] data_req_addr_o,
  output logic        data_req_we_o,
  output logic [3:0]  data_req_be_o,
  output logic [31:0] data_req_wdata_o,
  input  logic        data_rsp_valid_i,
  input  logic [31:0] data_rsp_rdata_i,
  input  logic        data_rsp_err_i,

  // Interrupt lines and time.
  input  logic        mtip_i,
  input  logic        msip_i,
  input  logic        meip_i,
  input  logic        seip_i,
  input  logic [63:0] mtime_i,

  // Verification only: with FaultInject, corrupt (flip bit 0 of) the first
  // register write (kind 1) or store data (kind 2) that retires at
  // order >= fault_order_i. The RVFI record shows the corrupted value.
  input  logic [1:0]  fault_kind_i,
  input  logic [63:0] fault_order_i,

  // Retirement port (valid in the cycle the instruction leaves EX).
  output logic        rvfi_valid_o,
  output logic [63:0] rvfi_order_o,
  output logic [31:0] rvfi_insn_o,
  output logic        rvfi_trap_o,
  output logic        rvfi_intr_o,
  output logic [31:0] rvfi_trap_cause_o,
  output logic [1:0]  rvfi_mode_o,
  output logic [4:0]  rvfi_rs1_addr_o,
  output logic [4:0]  rvfi_rs2_addr_o,
  output logic [31:0] rvfi_rs1_rdata_o,
  output logic [31:0] rvfi_rs2_rdata_o,
  output logic [4:0]  rvfi_rd_addr_o,
  output logic [31:0] rvfi_rd_wdata_o,
  output logic [31:0] rvfi_pc_rdata_o,
  output logic [31:0] rvfi_pc_wdata_o,
  output logic [31:0] rvfi_mem_addr_o,
  output logic [3:0]  rvfi_mem_rmask_o,
  output logic [3:0]  rvfi_mem_wmask_o,
  output logic [31:0] rvfi_mem_rdata_o,
  output logic [31:0] rvfi_mem_wdata_o,
  // GWB append of this (store) instruction: record address and words.
  output logic        rvfi_gwb_valid_o,
  output logic [31:0] rvfi_gwb_addr_o,
  output logic [31:0] rvfi_gwb_word0_o,
  output logic [31:0] rvfi_gwb_word1_o,

  output logic [7:0]  perf_event_o
);
  // -----------------------------------------------------------------------
  // Fetch stage.
  logic        if_valid, if_fault, if_fault_access;
  logic [31:0] if_insn, if_pc;
  logic        ex_done, ex_flush;
  logic [31:0] ex_npc;
  logic        mmu_if_req, mmu_if_ok, mmu_if_fault, mmu_if_fault_access;
  logic [31:0] mmu_if_vaddr, mmu_if_paddr;

  umbra_ifetch u_ifetch (
    .clk_i, .rst_ni,
    .insn_valid_o       (if_valid),
    .insn_o             (if_insn),
    .pc_o               (if_pc),
    .fault_o            (if_fault),
    .fault_access_o     (if_fault_access),
    .ex_done_i          (ex_done),
    .ex_npc_i           (ex_npc),
    .ex_flush_i         (ex_flush),
    .mmu_req_o          (mmu_if_req),
    .mmu_vaddr_o        (mmu_if_vaddr),
    .mmu_ok_i           (mmu_if_ok),
    .mmu_paddr_i        (mmu_if_paddr),
    .mmu_fault_i        (mmu_if_fault),
    .mmu_fault_access_i (mmu_if_fault_access),
    .imem_req_valid_o, .imem_req_addr_o, .imem_req_ready_i,
    .imem_rsp_valid_i, .imem_rsp_rdata_i, .imem_rsp_err_i
  );

  // -----------------------------------------------------------------------
  // Decode and register read.
  logic        dec_illegal, dec_rd_we, dec_alu_a_pc, dec_alu_b_imm;
  logic        dec_branch, dec_jal, dec_jalr, dec_load, dec_store, dec_mem_unsigned;
  logic        dec_muldiv, dec_csr, dec_csr_imm, dec_ecall, dec_ebreak;
  logic        dec_mret, dec_sret, dec_wfi, dec_sfence, dec_fencei;
  logic [4:0]  dec_rs1, dec_rs2, dec_rd;
  logic [31:0] dec_imm;
  logic [1:0]  dec_mem_size;
  logic [2:0]  dec_muldiv_op;
  logic [2:0]  dec_wb_sel;
  logic [3:0]  dec_alu_op;
  logic [1:0]  dec_csr_op;

  umbra_decoder u_decoder (
    .insn_i         (if_insn),
    .illegal_o      (dec_illegal),
    .rs1_o          (dec_rs1),
    .rs2_o          (dec_rs2),
    .rd_o           (dec_rd),
    .imm_o          (dec_imm),
    .rd_we_o        (dec_rd_we),
    .wb_sel_o       (dec_wb_sel),
    .alu_op_o       (dec_alu_op),
    .alu_a_pc_o     (dec_alu_a_pc),
    .alu_b_imm_o    (dec_alu_b_imm),
    .branch_o       (dec_branch),
    .jal_o          (dec_jal),
    .jalr_o         (dec_jalr),
    .load_o         (dec_load),
    .store_o        (dec_store),
    .mem_size_o     (dec_mem_size),
    .mem_unsigned_o (dec_mem_unsigned),
    .muldiv_o       (dec_muldiv),
    .muldiv_op_o    (dec_muldiv_op),
    .csr_o          (dec_csr),
    .csr_op_o       (dec_csr_op),
    .csr_imm_o      (dec_csr_imm),
    .ecall_o        (dec_ecall),
    .ebreak_o       (dec_ebreak),
    .mret_o         (dec_mret),
    .sret_o         (dec_sret),
    .wfi_o          (dec_wfi),
    .sfence_o       (dec_sfence),
    .fencei_o       (dec_fencei)
  );

  logic [31:0] rs1_val, rs2_val;
  logic        rf_we;
  logic [31:0] rf_wdata;

  umbra_regfile u_regfile (
    .clk_i, .rst_ni,
    .raddr_a_i (dec_rs1),
    .rdata_a_o (rs1_val),
    .raddr_b_i (dec_rs2),
    .rdata_b_o (rs2_val),
    .we_i      (rf_we),
    .waddr_i   (dec_rd),
    .wdata_i   (rf_wdata)
  );

  // -----------------------------------------------------------------------
  // ALU, branch, multiply/divide.
  logic [31:0] alu_result;
  logic        branch_taken;

  umbra_alu u_alu (
    .op_i     (dec_alu_op),
    .a_i      (dec_alu_a_pc ? if_pc : rs1_val),
    .b_i      (dec_alu_b_imm ? dec_imm : rs2_val),
    .result_o (alu_result),
    .cond_i   (if_insn[14:12]),
    .cmp_a_i  (rs1_val),
    .cmp_b_i  (rs2_val),
    .taken_o  (branch_taken)
  );

  logic        md_start, md_done;
  logic [31:0] md_result;

  umbra_muldiv u_muldiv (
    .clk_i, .rst_ni,
    .start_i  (md_start),
    .op_i     (dec_muldiv_op),
    .a_i      (rs1_val),
    .b_i      (rs2_val),
    .done_o   (md_done),
    .result_o (md_result)
  );

  // -----------------------------------------------------------------------
  // CSR file.
  logic [1:0]  priv, mpp;
  logic        mprv, sum, mxr, tvm, tw, tsr, satp_mode, satp_write;
  logic [21:0] satp_ppn;
  logic [31:0] csr_rdata, trap_pc, trap_cause, mepc, sepc;
  logic        csr_illegal, csr_write, csr_commit;
  logic        exc, irq_take, irq_pending, wfi_wake;
  logic [4:0]  exc_cause;
  logic [31:0] exc_tval;
  logic        do_mret, do_sret, retire;
  logic        itlb_miss, dtlb_miss, ptw_busy;
  logic        gwb_en, gwb_append;
  logic [31:3] gwb_base;
  logic [12:0] gwb_idx, gwb_cap;
  logic [31:0] gwb_addr, gwb_word0, gwb_word1;

  assign csr_write = (dec_csr_op == umbra_pkg::CsrRw) || (dec_rs1 != 5'd0);

  umbra_csr #(.Gwb(Gwb)) u_csr (
    .clk_i, .rst_ni,
    .csr_addr_i    (if_insn[31:20]),
    .csr_op_i      (dec_csr_op),
    .csr_write_i   (csr_write),
    .csr_wdata_i   (dec_csr_imm ? dec_imm : rs1_val),
    .csr_commit_i  (csr_commit),
    .csr_rdata_o   (csr_rdata),
    .csr_illegal_o (csr_illegal),
    .exc_i         (exc),
    .exc_cause_i   (exc_cause),
    .exc_tval_i    (exc_tval),
    .exc_pc_i      (if_pc),
    .irq_take_i    (irq_take),
    .mret_i        (do_mret),
    .sret_i        (do_sret),
    .retire_i      (retire),
    .trap_pc_o     (trap_pc),
    .trap_cause_o  (trap_cause),
    .mepc_o        (mepc),
    .sepc_o        (sepc),
    .irq_pending_o (irq_pending),
    .wfi_wake_o    (wfi_wake),
    .priv_o        (priv),
    .mprv_o        (mprv),
    .mpp_o         (mpp),
    .sum_o         (sum),
    .mxr_o         (mxr),
    .tvm_o         (tvm),
    .tw_o          (tw),
    .tsr_o         (tsr),
    .satp_mode_o   (satp_mode),
    .satp_ppn_o    (satp_ppn),
    .satp_write_o  (satp_write),
    .mtip_i, .msip_i, .meip_i, .seip_i, .mtime_i,
    .hpm_event_i   ({ptw_busy, dtlb_miss, itlb_miss}),
    .gwb_en_o      (gwb_en),
    .gwb_base_o    (gwb_base),
    .gwb_idx_o     (gwb_idx),
    .gwb_cap_o     (gwb_cap),
    .gwb_append_i  (gwb_append)
  );

  // -----------------------------------------------------------------------
  // MMU and load/store unit.
  logic        mmu_flush;
  logic        lsu_req, lsu_done, lsu_fault;
  logic [4:0]  lsu_cause;
  logic [31:0] lsu_rdata, lsu_word_rdata, lsu_word_wdata, lsu_vaddr, lsu_wdata;
  logic        fault_reg, fault_mem;   // fault injection: corrupt this write (FaultInject)
  logic [3:0]  lsu_mask;
  logic        mmu_d_req, mmu_d_store, mmu_d_ok, mmu_d_fault, mmu_d_fault_access, mmu_d_traced;
  logic [31:0] mmu_d_vaddr, mmu_d_paddr;
  logic        ptw_req, ptw_gnt, ptw_rsp_valid;
  logic [31:0] ptw_addr;
  logic        lsu_dreq_valid, lsu_dreq_we, lsu_gnt, lsu_rsp_valid;
  logic [31:0] lsu_dreq_addr, lsu_dreq_wdata;
  logic [3:0]  lsu_dreq_be;

  umbra_mmu #(.Gwb(Gwb)) u_mmu (
    .clk_i, .rst_ni,
    .priv_i      (priv),
    .mprv_i      (mprv),
    .mpp_i       (mpp),
    .sum_i       (sum),
    .mxr_i       (mxr),
    .satp_mode_i (satp_mode),
    .satp_ppn_i  (satp_ppn),
    .flush_i     (mmu_flush),
    .if_req_i          (mmu_if_req),
    .if_vaddr_i        (mmu_if_vaddr),
    .if_ok_o           (mmu_if_ok),
    .if_paddr_o        (mmu_if_paddr),
    .if_fault_o        (mmu_if_fault),
    .if_fault_access_o (mmu_if_fault_access),
    .d_req_i           (mmu_d_req),
    .d_store_i         (mmu_d_store),
    .d_vaddr_i         (mmu_d_vaddr),
    .d_ok_o            (mmu_d_ok),
    .d_paddr_o         (mmu_d_paddr),
    .d_fault_o         (mmu_d_fault),
    .d_fault_access_o  (mmu_d_fault_access),
    .d_traced_o        (mmu_d_traced),
    .ptw_req_o         (ptw_req),
    .ptw_addr_o        (ptw_addr),
    .ptw_gnt_i         (ptw_gnt),
    .ptw_rsp_valid_i   (ptw_rsp_valid),
    .ptw_rsp_rdata_i   (data_rsp_rdata_i),
    .ptw_rsp_err_i     (data_rsp_err_i),
    .ptw_busy_o        (ptw_busy),
    .itlb_miss_o       (itlb_miss),
    .dtlb_miss_o       (dtlb_miss)
  );

  assign lsu_vaddr = rs1_val + dec_imm;

  umbra_lsu #(.Gwb(Gwb)) u_lsu (
    .clk_i, .rst_ni,
    .req_i        (lsu_req),
    .we_i         (dec_store),
    .size_i       (dec_mem_size),
    .unsigned_i   (dec_mem_unsigned),
    .vaddr_i      (lsu_vaddr),
    .wdata_i      (lsu_wdata),
    .done_o       (lsu_done),
    .rdata_o      (lsu_rdata),
    .fault_o      (lsu_fault),
    .cause_o      (lsu_cause),
    .mask_o       (lsu_mask),
    .word_rdata_o (lsu_word_rdata),
    .word_wdata_o (lsu_word_wdata),
    .gwb_en_i     (gwb_en),
    .gwb_base_i   (gwb_base),
    .gwb_idx_i    (gwb_idx),
    .gwb_cap_i    (gwb_cap),
    .gwb_append_o (gwb_append),
    .gwb_addr_o   (gwb_addr),
    .gwb_word0_o  (gwb_word0),
    .gwb_word1_o  (gwb_word1),
    .mmu_req_o          (mmu_d_req),
    .mmu_store_o        (mmu_d_store),
    .mmu_vaddr_o        (mmu_d_vaddr),
    .mmu_ok_i           (mmu_d_ok),
    .mmu_paddr_i        (mmu_d_paddr),
    .mmu_fault_i        (mmu_d_fault),
    .mmu_fault_access_i (mmu_d_fault_access),
    .mmu_traced_i       (mmu_d_traced),
    .dreq_valid_o (lsu_dreq_valid),
    .dreq_addr_o  (lsu_dreq_addr),
    .dreq_we_o    (lsu_dreq_we),
    .dreq_be_o    (lsu_dreq_be),
    .dreq_wdata_o (lsu_dreq_wdata),
    .dreq_gnt_i   (lsu_gnt),
    .drsp_valid_i (lsu_rsp_valid),
    .drsp_rdata_i (data_rsp_rdata_i),
    .drsp_err_i   (data_rsp_err_i)
  );

  // Data-port arbiter: the walker before the LSU; one access in flight.
  logic owner_ptw_q, owner_ptw_d;   // who owns the access in flight
  logic busy_q, busy_d;             // an access is in flight
  logic port_free;

  assign port_free        = !busy_q || data_rsp_valid_i;
  assign data_req_valid_o = port_free && (ptw_req || lsu_dreq_valid);
  assign data_req_addr_o  = ptw_req ? ptw_addr : lsu_dreq_addr;
  assign data_req_we_o    = !ptw_req && lsu_dreq_we;
  assign data_req_be_o    = ptw_req ? 4'b1111 : lsu_dreq_be;
  assign data_req_wdata_o = lsu_dreq_wdata;
  assign ptw_gnt          = port_free && ptw_req && data_req_ready_i;
  assign lsu_gnt          = port_free && !ptw_req && lsu_dreq_valid && data_req_ready_i;
  assign ptw_rsp_valid    = busy_q && owner_ptw_q && data_rsp_valid_i;
  assign lsu_rsp_valid    = busy_q && !owner_ptw_q && data_rsp_valid_i;

  always_comb begin
    busy_d      = busy_q;
    owner_ptw_d = owner_ptw_q;
    if (data_rsp_valid_i) busy_d = 1'b0;
    if (ptw_gnt || lsu_gnt) begin
      busy_d      = 1'b1;
      owner_ptw_d = ptw_gnt;
    end
  end

  // -----------------------------------------------------------------------
  // Execute stage control.
  typedef enum logic [1:0] {
    ExRun,  // first cycle of an instruction (interrupts are taken here)
    ExMem,  // load/store in progress
    ExDiv,  // divide in progress
    ExWfi   // WFI waiting for an interrupt
  } ex_state_e;

  ex_state_e ex_state_q, ex_state_d;

  logic        priv_illegal, illegal;   // priv_illegal: privilege or CSR access refused
  logic [31:0] pc4, jump_target;
  logic        jumps;            // control transfer taken
  logic        target_misaligned;

  assign pc4 = if_pc + 32'd4;
  assign jump_target = dec_jalr ? ((rs1_val + dec_imm) & ~32'd1) : (if_pc + dec_imm);
  assign jumps = dec_jal || dec_jalr || (dec_branch && branch_taken);
  assign target_misaligned = jumps && (jump_target[1:0] != 2'b00);

  // The privilege and CSR checks concern only the system instructions: they
  // sit in that branch, which the simulator skips for all the others.
  always_comb begin
    priv_illegal = 1'b0;
    if (dec_mret || dec_sret || dec_sfence || dec_wfi || dec_csr) begin
      priv_illegal = (dec_mret && (priv != umbra_pkg::PrivM)) ||
                     (dec_sret && ((priv == umbra_pkg::PrivU) || ((priv == umbra_pkg::PrivS) && tsr))) ||
                     (dec_sfence && ((priv == umbra_pkg::PrivU) || ((priv == umbra_pkg::PrivS) && tvm))) ||
                     (dec_wfi && ((priv == umbra_pkg::PrivU) || ((priv == umbra_pkg::PrivS) && tw))) ||
                     (dec_csr && csr_illegal);
    end
  end
  assign illegal = dec_illegal || priv_illegal;

  logic        wb_en;            // write rd this cycle (when rd != 0)
  logic [31:0] wb_data;
  logic        ex_first;         // an instruction is in its first EX cycle
  logic        early_exc;        // it raises an exception before any access
  logic        go;               // it executes (no interrupt, no early exception)
  logic        sfence_do;
  logic [31:0] seq_npc;          // next pc when no trap is taken

  assign ex_first  = (ex_state_q == ExRun) && if_valid;
  assign early_exc = if_fault || illegal || dec_ecall || dec_ebreak || target_misaligned;
  assign go        = ex_first && !irq_pending && !early_exc;
  assign lsu_req   = (ex_state_q == ExMem) || (go && (dec_load || dec_store));
  assign md_start  = go && dec_muldiv;
  assign mmu_flush = sfence_do || satp_write;

  always_comb begin
    ex_state_d = ex_state_q;
    ex_flush   = 1'b0;
    seq_npc    = pc4;
    exc        = 1'b0;
    exc_cause  = umbra_pkg::ExcIllegal;
    exc_tval   = 32'b0;
    irq_take   = 1'b0;
    do_mret    = 1'b0;
    do_sret    = 1'b0;
    retire     = 1'b0;
    csr_commit = 1'b0;
    sfence_do  = 1'b0;
    wb_en      = 1'b0;

    unique case (ex_state_q)
      ExRun: begin
        if (!ex_first) begin
          // waiting for the fetch stage
        end else if (irq_pending) begin
          irq_take = 1'b1;
        end else if (if_fault) begin
          exc       = 1'b1;
          exc_cause = if_fault_access ? umbra_pkg::ExcInsnAccess : umbra_pkg::ExcInsnPage;
          exc_tval  = if_pc;
        end else if (illegal) begin
          exc       = 1'b1;
          exc_cause = umbra_pkg::ExcIllegal;
          exc_tval  = if_insn;
        end else if (dec_ecall) begin
          exc       = 1'b1;
          exc_cause = (priv == umbra_pkg::PrivU) ? umbra_pkg::ExcEcallU : ((priv == umbra_pkg::PrivS) ? umbra_pkg::ExcEcallS : umbra_pkg::ExcEcallM);
        end else if (dec_ebreak) begin
          exc       = 1'b1;
          exc_cause = umbra_pkg::ExcBreakpoint;   // mtval = 0, as QEMU
        end else if (target_misaligned) begin
          exc       = 1'b1;
          exc_cause = umbra_pkg::ExcInsnMisaligned;
          exc_tval  = jump_target;
        end else if (dec_load || dec_store) begin
          if (lsu_done) begin
            // Only faults finish in the first cycle.
            exc       = 1'b1;
            exc_cause = lsu_cause;
            exc_tval  = lsu_vaddr;
          end else begin
            ex_state_d = ExMem;
          end
        end else if (dec_muldiv) begin
          if (md_done) begin
            retire = 1'b1;
            wb_en  = 1'b1;
          end else begin
            ex_state_d = ExDiv;
          end
        end else if (dec_wfi) begin
          if (wfi_wake) begin
            retire = 1'b1;
          end else begin
            ex_state_d = ExWfi;
          end
        end else begin
          retire = 1'b1;
          wb_en  = dec_rd_we;
          if (jumps) seq_npc = jump_target;
          if (dec_csr) begin
            csr_commit = 1'b1;
            ex_flush   = 1'b1;
          end
          if (dec_mret) begin
            do_mret  = 1'b1;
            seq_npc  = mepc;
            ex_flush = 1'b1;
          end
          if (dec_sret) begin
            do_sret  = 1'b1;
            seq_npc  = sepc;
            ex_flush = 1'b1;
          end
          if (dec_fencei) ex_flush = 1'b1;
          if (dec_sfence) begin
            ex_flush  = 1'b1;
            sfence_do = 1'b1;
          end
        end
      end
      ExMem: begin
        if (lsu_done) begin
          ex_state_d = ExRun;
          if (lsu_fault) begin
            exc       = 1'b1;
            exc_cause = lsu_cause;
            exc_tval  = lsu_vaddr;
          end else begin
            retire = 1'b1;
            wb_en  = dec_load;
          end
        end
      end
      ExDiv: begin
        if (md_done) begin
          ex_state_d = ExRun;
          retire     = 1'b1;
          wb_en      = 1'b1;
        end
      end
      ExWfi: begin
        if (wfi_wake) begin
          ex_state_d = ExRun;
          retire     = 1'b1;
        end
      end
      default: ex_state_d = ExRun;
    endcase

    if (exc || irq_take) ex_flush = 1'b1;
  end

  assign ex_done = retire || exc || irq_take;
  assign ex_npc  = (exc || irq_take) ? trap_pc : seq_npc;

  always_comb begin
    unique case (dec_wb_sel)
      umbra_pkg::WbMem:    wb_data = lsu_rdata;
      umbra_pkg::WbCsr:    wb_data = csr_rdata;
      umbra_pkg::WbPc4:    wb_data = pc4;
      umbra_pkg::WbMulDiv: wb_data = md_result;
      default:  wb_data = alu_result;
    endcase
  end

  assign rf_we    = wb_en && (dec_rd != 5'd0);
  assign rf_wdata = wb_data ^ {31'b0, fault_reg};
  assign lsu_wdata = rs2_val ^ {31'b0, fault_mem};


  // -----------------------------------------------------------------------
  // Retirement port.
  logic [63:0] order_q, order_d;
  logic        intr_mark_q, intr_mark_d;     // next retirement starts an interrupt handler
  logic [31:0] intr_cause_q, intr_cause_d;
  logic        mem_access;

  assign mem_access = (dec_load || dec_store) && retire;

  always_comb begin
    order_d      = order_q;
    intr_mark_d  = intr_mark_q;
    intr_cause_d = intr_cause_q;
    if (retire || exc) begin
      order_d     = order_q + 64'd1;
      intr_mark_d = 1'b0;
    end
    if (irq_take) begin
      intr_mark_d  = 1'b1;
      intr_cause_d = trap_cause;
    end
  end

  // -----------------------------------------------------------------------
  // Fault injection (verification of the lockstep checker): armed from the
  // retirement with order fault_order_i on, until one corrupted write retires.
  if (FaultInject) begin : g_fault
    logic fault_done_q, fault_done_d, fault_armed;

    assign fault_armed = !fault_done_q && (order_q >= fault_order_i);
    assign fault_reg   = fault_armed && (fault_kind_i == 2'd1) && rf_we;
    assign fault_mem   = fault_armed && (fault_kind_i == 2'd2) && dec_store;

    assign fault_done_d = fault_done_q || (retire && (fault_reg || fault_mem));

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) fault_done_q <= 1'b0;
      else         fault_done_q <= fault_done_d;
    end
  end else begin : g_no_fault
    assign fault_reg = 1'b0;
    assign fault_mem = 1'b0;
    logic unused_fault;
    assign unused_fault = ^{fault_kind_i, fault_order_i};
  end

  assign rvfi_valid_o      = retire || exc;
  assign rvfi_order_o      = order_q;
  assign rvfi_insn_o       = if_insn;
  assign rvfi_trap_o       = exc;
  assign rvfi_intr_o       = intr_mark_q;
  assign rvfi_trap_cause_o = exc ? trap_cause : intr_cause_q;
  assign rvfi_mode_o       = priv;
  assign rvfi_rs1_addr_o   = dec_rs1;
  assign rvfi_rs2_addr_o   = dec_rs2;
  assign rvfi_rs1_rdata_o  = rs1_val;
  assign rvfi_rs2_rdata_o  = rs2_val;
  assign rvfi_rd_addr_o    = rf_we ? dec_rd : 5'd0;
  assign rvfi_rd_wdata_o   = rf_we ? rf_wdata : 32'b0;
  assign rvfi_pc_rdata_o   = if_pc;
  assign rvfi_pc_wdata_o   = ex_npc;
  assign rvfi_mem_addr_o   = mem_access ? lsu_vaddr : 32'b0;
  assign rvfi_mem_rmask_o  = (mem_access && dec_load) ? lsu_mask : 4'b0;
  assign rvfi_mem_wmask_o  = (mem_access && dec_store) ? lsu_mask : 4'b0;
  assign rvfi_mem_rdata_o  = (mem_access && dec_load) ? lsu_word_rdata : 32'b0;
  assign rvfi_mem_wdata_o  = (mem_access && dec_store) ? lsu_word_wdata : 32'b0;
  assign rvfi_gwb_valid_o  = Gwb && retire && gwb_append;
  assign rvfi_gwb_addr_o   = rvfi_gwb_valid_o ? gwb_addr : 32'b0;
  assign rvfi_gwb_word0_o  = rvfi_gwb_valid_o ? gwb_word0 : 32'b0;
  assign rvfi_gwb_word1_o  = rvfi_gwb_valid_o ? gwb_word1 : 32'b0;

  logic gwb_full;   // GWB-full exception this cycle
  assign gwb_full     = Gwb && exc && (exc_cause == umbra_pkg::ExcGwbFull);
  assign perf_event_o = {3'b0, gwb_full, Gwb && gwb_append, ptw_busy, dtlb_miss, itlb_miss};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ex_state_q   <= ExRun;
      busy_q       <= 1'b0;
      owner_ptw_q  <= 1'b0;
      order_q      <= 64'b0;
      intr_mark_q  <= 1'b0;
      intr_cause_q <= 32'b0;
    end else begin
      ex_state_q   <= ex_state_d;
      busy_q       <= busy_d;
      owner_ptw_q  <= owner_ptw_d;
      order_q      <= order_d;
      intr_mark_q  <= intr_mark_d;
      intr_cause_q <= intr_cause_d;
    end
  end

`ifdef UMBRA_ASSERT
  // Immediate assertions at the clock edge, each in a block named
  // <Module><Property> (as in umbra_clint): they read the values of the cycle
  // that ends there, as a concurrent property would, without the sampled
  // copy of every signal it reads that build/umbra would pay for each cycle.
  always @(posedge clk_i) begin : UmbraCoreOneRetire
    if (rst_ni) assert (!(retire && exc)) else $error("%m: retirement and exception at once");
  end
  always @(posedge clk_i) begin : UmbraCoreDataReqKnown
    if (rst_ni) assert ((^data_req_valid_o) !== 1'bx) else $error("%m: data_req_valid_o unknown");
  end
  always @(posedge clk_i) begin : UmbraCoreImemReqKnown
    if (rst_ni) assert ((^imem_req_valid_o) !== 1'bx) else $error("%m: imem_req_valid_o unknown");
  end
  always @(posedge clk_i) begin : UmbraCoreExStateKnown
    if (rst_ni) assert ((^ex_state_q) !== 1'bx) else $error("%m: ex_state_q unknown");
  end
  always @(posedge clk_i) begin : UmbraCoreOneDataReq
    if (rst_ni) assert (!(ptw_req && lsu_dreq_valid)) else $error("%m: walker and LSU request at once");
  end
  // GWB: a record is reported with the retirement of the store that wrote it
  // (a store that did not trap); a GWB-full exception comes from a store.
  always @(posedge clk_i) begin : UmbraCoreGwbRetire
    if (rst_ni && (gwb_append || gwb_full))
      assert (dec_store && (gwb_full || (retire && (ex_state_q == ExMem)))) else $error("%m: GWB event without its store");
  end
`endif

endmodule

`default_nettype wire
