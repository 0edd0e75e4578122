// umbra_ifetch: the fetch stage. Keeps one instruction fetch in flight for the
// instruction after the one in EX and hands the response to EX in the cycle it
// arrives (or from a one-entry buffer if EX is busy). The next fetch is issued
// in the cycle EX finishes, to the address EX computed, so straight-line code
// and taken branches cost nothing extra at memory latency 1. After a context
// change (trap, xret, CSR write, fence.i, sfence.vma) the next fetch waits
// one cycle so that it is translated in the new context.
`default_nettype none

module umbra_ifetch
(
  input  logic        clk_i,
  input  logic        rst_ni,

  // To EX: valid in the cycle the instruction is available.
  output logic        insn_valid_o,
  output logic [31:0] insn_o,
  output logic [31:0] pc_o,
  output logic        fault_o,          // fetch failed; EX raises it
  output logic        fault_access_o,   // 1 access fault, 0 page fault
  input  logic        ex_done_i,        // EX is finished with the instruction
  input  logic [31:0] ex_npc_i,         // next pc, with ex_done_i
  input  logic        ex_flush_i,       // with ex_done_i: context changed

  // I-side translation.
  output logic        mmu_req_o,
  output logic [31:0] mmu_vaddr_o,
  input  logic        mmu_ok_i,
  input  logic [31:0] mmu_paddr_i,
  input  logic        mmu_fault_i,
  input  logic        mmu_fault_access_i,

  // Instruction port.
  output logic        imem_req_valid_o,
  output logic [31:0] imem_req_addr_o,
  input  logic        imem_req_ready_i,
  input  logic        imem_rsp_valid_i,
  input  logic [31:0] imem_rsp_rdata_i,
  input  logic        imem_rsp_err_i
);
  typedef enum logic [1:0] {
    IfFetch,  // translate pc_q and send its fetch
    IfWait,   // fetch of pc_q in flight
    IfHold,   // instruction (or fetch fault) of pc_q buffered for EX
    IfFlush   // one-cycle pause after a context change
  } if_state_e;

  if_state_e   state_q, state_d;
  logic [31:0] pc_q, pc_d;
  logic [31:0] ir_q, ir_d;
  logic        ir_fault_q, ir_fault_d;
  logic        ir_fault_access_q, ir_fault_access_d;

  logic        rsp_here;
  logic        fetch_now;

  assign rsp_here       = (state_q == IfWait) && imem_rsp_valid_i;
  assign insn_valid_o   = (state_q == IfHold) || rsp_here;
  assign insn_o         = (state_q == IfHold) ? ir_q : imem_rsp_rdata_i;
  assign fault_o        = (state_q == IfHold) ? ir_fault_q : imem_rsp_err_i;
  assign fault_access_o = (state_q == IfHold) ? ir_fault_access_q : 1'b1;
  assign pc_o           = pc_q;

  assign fetch_now   = (state_q == IfFetch) || (insn_valid_o && ex_done_i && !ex_flush_i);
  assign mmu_req_o   = fetch_now;
  assign mmu_vaddr_o = (state_q == IfFetch) ? pc_q : ex_npc_i;
  assign imem_req_valid_o = fetch_now && mmu_ok_i;
  assign imem_req_addr_o  = mmu_paddr_i;

  always_comb begin
    state_d           = state_q;
    pc_d              = pc_q;
    ir_d              = ir_q;
    ir_fault_d        = ir_fault_q;
    ir_fault_access_d = ir_fault_access_q;

    if (insn_valid_o && ex_done_i) begin
      pc_d = ex_npc_i;
      if (ex_flush_i) begin
        state_d = IfFlush;
      end else begin
        state_d = IfFetch;
      end
    end else if (rsp_here) begin
      state_d           = IfHold;
      ir_d              = imem_rsp_rdata_i;
      ir_fault_d        = imem_rsp_err_i;
      ir_fault_access_d = 1'b1;
    end else if (state_q == IfFlush) begin
      state_d = IfFetch;
    end

    // The fetch issued this cycle (for pc_d).
    if (fetch_now) begin
      if (mmu_ok_i && imem_req_ready_i) begin
        state_d = IfWait;
      end else if (mmu_fault_i) begin
        state_d           = IfHold;
        ir_d              = 32'b0;
        ir_fault_d        = 1'b1;
        ir_fault_access_d = mmu_fault_access_i;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q           <= IfFetch;
      pc_q              <= umbra_pkg::ResetPc;
      ir_q              <= 32'b0;
      ir_fault_q        <= 1'b0;
      ir_fault_access_q <= 1'b0;
    end else begin
      state_q           <= state_d;
      pc_q              <= pc_d;
      ir_q              <= ir_d;
      ir_fault_q        <= ir_fault_d;
      ir_fault_access_q <= ir_fault_access_d;
    end
  end

`ifdef UMBRA_ASSERT
  // Immediate assertions at the clock edge, each in a block named
  // <Module><Property> (as in umbra_clint): they read the values of the cycle
  // that ends there, as a concurrent property would, without the sampled
  // copy of every signal it reads that build/umbra would pay for each cycle.
  always @(posedge clk_i) begin : UmbraIfetchRspOnlyWaiting
    if (rst_ni && imem_rsp_valid_i) assert (state_q == IfWait) else $error("%m: response while not waiting");
  end
  always @(posedge clk_i) begin : UmbraIfetchDoneNeedsInsn
    if (rst_ni && ex_done_i) assert (insn_valid_o) else $error("%m: done without an instruction");
  end
  always @(posedge clk_i) begin : UmbraIfetchStateKnown
    if (rst_ni) assert ((^state_q) !== 1'bx) else $error("%m: state unknown");
  end
`endif

endmodule

`default_nettype wire
