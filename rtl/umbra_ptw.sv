// umbra_ptw: Sv32 hardware page-table walker shared by the I- and D-TLB.
// Reads the level-1 then the level-0 PTE through the data port; one branch
// per fault reason (as Spike's walk()). Permission bits of the leaf are
// checked later against the TLB entry, so a leaf with A=1 that is otherwise
// well formed is always filled, with its T bit (PTE bit 8, SPEC §3) for the
// GWB; bit 9 (RSW) is not kept. Svade: hardware never writes a PTE.
`default_nettype none

module umbra_ptw
(
  input  logic        clk_i,
  input  logic        rst_ni,

  input  logic        start_i,        // begin a walk; only while idle_o
  input  logic        start_side_i,   // 0 = for the I-TLB, 1 = for the D-TLB
  input  logic [31:0] start_vaddr_i,
  input  logic [21:0] satp_ppn_i,
  input  logic        flush_i,        // sfence.vma/satp write: do not fill
  output logic        idle_o,

  // PTE reads: request held until granted; response on mem_rsp_*.
  output logic        mem_req_o,
  output logic [31:0] mem_addr_o,
  input  logic        mem_gnt_i,
  input  logic        mem_rsp_valid_i,
  input  logic [31:0] mem_rsp_rdata_i,
  input  logic        mem_rsp_err_i,

  // Result, valid for the one cycle done_o is high.
  output logic        done_o,
  output logic        done_side_o,
  output logic        fault_o,
  output logic        fault_access_o, // 1: PTE read hit no memory; 0: page fault

  // TLB fill (with done_o, no fault).
  output logic        fill_o,
  output logic [19:0] fill_vpn_o,
  output logic [21:0] fill_ppn_o,
  output logic [8:0]  fill_flags_o,   // leaf PTE bits T D A G U X W R V
  output logic        fill_mega_o
);
  typedef enum logic [2:0] {
    StIdle,     // no walk
    StWalkL1,   // request the level-1 PTE
    StWaitL1,   // wait for it, decode it
    StWalkL0,   // request the level-0 PTE
    StWaitL0    // wait for it, decode it
  } ptw_state_e;

  // Why the last walk ended (for waveforms and coverage).
  typedef enum logic [3:0] {
    WalkOk,          // leaf found and filled
    WalkAccessFault, // PTE address has no memory
    WalkInvalid,     // V=0
    WalkWriteNoRead, // W=1, R=0
    WalkMisalignedMega, // level-1 leaf with ppn[9:0] != 0
    WalkNotAccessed, // leaf with A=0 (Svade)
    WalkNoLeaf,      // pointer PTE at level 0
    WalkBadPointer   // pointer PTE with A, D or U set (reserved; QEMU faults too)
  } walk_result_e;

  ptw_state_e   state_q, state_d;
  walk_result_e result_q, result_d;
  logic         side_q, side_d;
  logic [31:0]  vaddr_q, vaddr_d;
  logic [33:0]  pte_addr_q, pte_addr_d;
  logic         drop_q, drop_d;

  logic [31:0]  pte;
  logic         pte_leaf;
  logic         level1;

  assign pte      = mem_rsp_rdata_i;
  assign pte_leaf = pte[umbra_pkg::PteR] || pte[umbra_pkg::PteX];
  assign level1   = (state_q == StWaitL1);

  always_comb begin
    state_d        = state_q;
    result_d       = result_q;
    side_d         = side_q;
    vaddr_d        = vaddr_q;
    pte_addr_d     = pte_addr_q;
    drop_d         = drop_q || flush_i;
    mem_req_o      = 1'b0;
    mem_addr_o     = pte_addr_q[31:0];
    done_o         = 1'b0;
    fault_o        = 1'b0;
    fault_access_o = 1'b0;
    fill_o         = 1'b0;
    fill_mega_o    = level1;

    unique case (state_q)
      StIdle: begin
        drop_d = 1'b0;
        if (start_i) begin
          side_d     = start_side_i;
          vaddr_d    = start_vaddr_i;
          pte_addr_d = {satp_ppn_i, 12'b0} + {22'b0, start_vaddr_i[31:22], 2'b00};
          state_d    = StWalkL1;
        end
      end
      StWalkL1, StWalkL0: begin
        if (pte_addr_q[33:32] != 2'b00) begin
          // Beyond the 32-bit bus: nothing answers there.
          done_o         = 1'b1;
          fault_o        = 1'b1;
          fault_access_o = 1'b1;
          result_d       = WalkAccessFault;
          state_d        = StIdle;
        end else begin
          mem_req_o = 1'b1;
          if (mem_gnt_i && (state_q == StWalkL1)) begin
            state_d = StWaitL1;
          end else if (mem_gnt_i) begin
            state_d = StWaitL0;
          end
        end
      end
      StWaitL1, StWaitL0: begin
        if (mem_rsp_valid_i) begin
          done_o  = 1'b1;
          fault_o = 1'b1;
          state_d = StIdle;
          if (mem_rsp_err_i) begin
            fault_access_o = 1'b1;
            result_d = WalkAccessFault;
          end else if (!pte[umbra_pkg::PteV]) begin
            result_d = WalkInvalid;
          end else if (!pte[umbra_pkg::PteR] && pte[umbra_pkg::PteW]) begin
            result_d = WalkWriteNoRead;
          end else if (!pte_leaf && (pte[umbra_pkg::PteA] || pte[umbra_pkg::PteD] ||
                                     pte[umbra_pkg::PteU])) begin
            result_d = WalkBadPointer;
          end else if (!pte_leaf && level1) begin
            // Pointer to the level-0 table.
            done_o     = 1'b0;
            fault_o    = 1'b0;
            pte_addr_d = {pte[31:10], 12'b0} + {22'b0, vaddr_q[21:12], 2'b00};
            state_d    = StWalkL0;
          end else if (!pte_leaf) begin
            result_d = WalkNoLeaf;
          end else if (level1 && (pte[19:10] != 10'b0)) begin
            result_d = WalkMisalignedMega;
          end else if (!pte[umbra_pkg::PteA]) begin
            result_d = WalkNotAccessed;
          end else begin
            fault_o  = 1'b0;
            fill_o   = !drop_d;
            result_d = WalkOk;
          end
        end
      end
      default: state_d = StIdle;
    endcase
  end

  assign idle_o       = (state_q == StIdle);
  assign done_side_o  = side_q;
  assign fill_vpn_o   = vaddr_q[31:12];
  assign fill_ppn_o   = pte[31:10];
  assign fill_flags_o = pte[8:0];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= StIdle;
      result_q   <= WalkOk;
      side_q     <= 1'b0;
      vaddr_q    <= 32'b0;
      pte_addr_q <= 34'b0;
      drop_q     <= 1'b0;
    end else begin
      state_q    <= state_d;
      result_q   <= result_d;
      side_q     <= side_d;
      vaddr_q    <= vaddr_d;
      pte_addr_q <= pte_addr_d;
      drop_q     <= drop_d;
    end
  end

`ifdef UMBRA_ASSERT
  // Immediate assertions at the clock edge, each in a block named
  // <Module><Property> (as in umbra_clint): they read the values of the cycle
  // that ends there, as a concurrent property would, without the sampled
  // copy of every signal it reads that build/umbra would pay for each cycle.
  always @(posedge clk_i) begin : UmbraPtwStartOnlyIdle
    if (rst_ni && start_i) assert (state_q == StIdle) else $error("%m: start while walking");
  end
  always @(posedge clk_i) begin : UmbraPtwRspOnlyWaiting
    if (rst_ni && mem_rsp_valid_i) assert ((state_q == StWaitL1) || (state_q == StWaitL0))
      else $error("%m: response while not waiting");
  end
  always @(posedge clk_i) begin : UmbraPtwStateKnown
    if (rst_ni) assert ((^state_q) !== 1'bx) else $error("%m: state unknown");
  end
`endif

endmodule

`default_nettype wire
