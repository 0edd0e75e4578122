// umbra_lsu: load/store unit: alignment check, D-side translation, one data
// access, load extension, and the GWB append of a traced store (SPEC §3).
// The core holds req_i and the operands stable until done_o. With a D-TLB hit
// and memory latency N, a load or store issues in its first cycle and is done
// N cycles later; a traced store then writes its two record words, each
// offered in the cycle the previous response arrives, and is done 3N cycles
// after its first cycle (docs/gwb.md has the cycle diagram).
`default_nettype none

module umbra_lsu
#(
  parameter bit Gwb = 1'b1
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  input  logic        req_i,
  input  logic        we_i,
  input  logic [1:0]  size_i,          // 0 byte, 1 half, 2 word
  input  logic        unsigned_i,
  input  logic [31:0] vaddr_i,
  input  logic [31:0] wdata_i,          // rs2, unshifted
  output logic        done_o,           // result or fault this cycle
  output logic [31:0] rdata_o,          // load result, extended
  output logic        fault_o,
  output logic [4:0]  cause_o,
  output logic [3:0]  mask_o,           // byte lanes of the access
  output logic [31:0] word_rdata_o,     // raw word read (for the retirement port)
  output logic [31:0] word_wdata_o,     // lane-shifted store data

  // GWB state from the CSR file (mgwbctl.EN, mgwbbase, mgwbidx, mgwbcap).
  input  logic        gwb_en_i,
  input  logic [31:3] gwb_base_i,
  input  logic [12:0] gwb_idx_i,
  input  logic [12:0] gwb_cap_i,
  // With done_o: the store was traced and both record words are written
  // (mgwbidx += 1); the record, for the retirement port.
  output logic        gwb_append_o,
  output logic [31:0] gwb_addr_o,       // record physical address, mgwbbase + 8*mgwbidx
  output logic [31:0] gwb_word0_o,      // store physical address, bits [1:0] = size
  output logic [31:0] gwb_word1_o,      // rs2 truncated to the size, zero-extended

  // D-side translation.
  output logic        mmu_req_o,
  output logic        mmu_store_o,
  output logic [31:0] mmu_vaddr_o,
  input  logic        mmu_ok_i,
  input  logic [31:0] mmu_paddr_i,
  input  logic        mmu_fault_i,
  input  logic        mmu_fault_access_i,
  input  logic        mmu_traced_i,     // with mmu_ok_i: leaf T=1 (translated access)

  // Data port.
  output logic        dreq_valid_o,
  output logic [31:0] dreq_addr_o,
  output logic        dreq_we_o,
  output logic [3:0]  dreq_be_o,
  output logic [31:0] dreq_wdata_o,
  input  logic        dreq_gnt_i,
  input  logic        drsp_valid_i,
  input  logic [31:0] drsp_rdata_i,
  input  logic        drsp_err_i
);
  typedef enum logic [2:0] {
    LsIdle,      // translate, check (alignment, permissions, GWB full), issue the access
    LsWait,      // the access in flight; a traced store offers record word 0 as it answers
    LsAppendLo,  // record word 0 offered, waiting for the grant
    LsWaitLo,    // record word 0 in flight; word 1 offered as it answers
    LsAppendHi,  // record word 1 offered, waiting for the grant
    LsWaitHi     // record word 1 in flight; done as it answers
  } lsu_state_e;

  lsu_state_e state_q, state_d;
  logic        traced_q, traced_d;   // the store in flight is traced: append after it
  logic [31:2] paddr_q, paddr_d;     // its physical word address, for record word 0

  logic        misaligned;
  logic [1:0]  off;
  logic [31:0] shifted;

  assign off        = vaddr_i[1:0];
  assign misaligned = ((size_i == 2'd1) && off[0]) || ((size_i == 2'd2) && (off != 2'b00));

  always_comb begin
    unique case (size_i)
      2'd0:    mask_o = 4'b0001 << off;
      2'd1:    mask_o = 4'b0011 << off;
      default: mask_o = 4'b1111;
    endcase
  end

  assign word_wdata_o = wdata_i << {off, 3'b000};
  assign word_rdata_o = drsp_rdata_i;
  assign shifted      = drsp_rdata_i >> {off, 3'b000};

  always_comb begin
    unique case (size_i)
      2'd0:    rdata_o = unsigned_i ? {24'b0, shifted[7:0]}  : {{24{shifted[7]}}, shifted[7:0]};
      2'd1:    rdata_o = unsigned_i ? {16'b0, shifted[15:0]} : {{16{shifted[15]}}, shifted[15:0]};
      default: rdata_o = shifted;
    endcase
  end

  // GWB: a store is traced when the extension is built and enabled and its
  // translation went through a leaf with T=1 (so its effective privilege was
  // S or U under Sv32). The log is full when mgwbidx >= mgwbcap.
  logic traced, full, rec_lo, rec_hi;

  assign traced = Gwb && gwb_en_i && we_i && mmu_traced_i;
  assign full   = (gwb_idx_i >= gwb_cap_i);

  // (Gwb = 0: constant 0, so that synthesis drops the record datapath.)
  assign gwb_addr_o  = Gwb ? {gwb_base_i + 29'(gwb_idx_i), 3'b000} : 32'b0;
  assign gwb_word0_o = Gwb ? {paddr_q, size_i} : 32'b0;
  always_comb begin
    unique case (size_i)
      2'd0:    gwb_word1_o = {24'b0, wdata_i[7:0]};
      2'd1:    gwb_word1_o = {16'b0, wdata_i[15:0]};
      default: gwb_word1_o = wdata_i;
    endcase
    if (!Gwb) gwb_word1_o = 32'b0;
  end
  assign gwb_append_o = Gwb && (state_q == LsWaitHi) && drsp_valid_i && !drsp_err_i;

  // Which record word a request in this state carries (full-word, physical).
  assign rec_lo = (state_q == LsWait) || (state_q == LsAppendLo);
  assign rec_hi = (state_q == LsWaitLo) || (state_q == LsAppendHi);

  // Outside the FSM block: an event-driven simulator would otherwise bounce
  // between this block and the MMU's, each flipping the other's input within
  // one time step (the block assigns defaults first).
  assign mmu_req_o    = (state_q == LsIdle) && req_i && !misaligned;
  assign mmu_store_o  = we_i;
  assign mmu_vaddr_o  = vaddr_i;
  assign dreq_we_o    = we_i;
  always_comb begin
    if (rec_lo) begin
      dreq_addr_o  = gwb_addr_o;
      dreq_be_o    = 4'b1111;
      dreq_wdata_o = gwb_word0_o;
    end else if (rec_hi) begin
      dreq_addr_o  = gwb_addr_o | 32'd4;
      dreq_be_o    = 4'b1111;
      dreq_wdata_o = gwb_word1_o;
    end else begin
      dreq_addr_o  = mmu_paddr_i & ~32'd3;   // word aligned; lanes in dreq_be_o
      dreq_be_o    = mask_o;
      dreq_wdata_o = word_wdata_o;
    end
  end

  always_comb begin
    state_d      = state_q;
    traced_d     = traced_q;
    paddr_d      = paddr_q;
    done_o       = 1'b0;
    fault_o      = 1'b0;
    cause_o      = we_i ? umbra_pkg::ExcStoreAccess : umbra_pkg::ExcLoadAccess;
    dreq_valid_o = 1'b0;

    unique case (state_q)
      LsIdle: begin
        if (req_i) begin
          if (misaligned) begin
            done_o  = 1'b1;
            fault_o = 1'b1;
            cause_o = we_i ? umbra_pkg::ExcStoreMisaligned : umbra_pkg::ExcLoadMisaligned;
          end else begin
            if (mmu_fault_i) begin
              done_o  = 1'b1;
              fault_o = 1'b1;
              if (!mmu_fault_access_i) cause_o = we_i ? umbra_pkg::ExcStorePage : umbra_pkg::ExcLoadPage;
            end else if (mmu_ok_i && traced && full) begin
              // GWB full: the store is not performed, nothing is written.
              done_o  = 1'b1;
              fault_o = 1'b1;
              cause_o = umbra_pkg::ExcGwbFull;
            end else if (mmu_ok_i) begin
              dreq_valid_o = 1'b1;
              if (dreq_gnt_i) begin
                state_d  = LsWait;
                traced_d = traced;
                paddr_d  = mmu_paddr_i[31:2];
              end
            end
          end
        end
      end
      LsWait: begin
        if (drsp_valid_i) begin
          if (traced_q && !drsp_err_i) begin
            dreq_valid_o = 1'b1;
            if (dreq_gnt_i) state_d = LsWaitLo;   // (no enum ?: for Icarus 11)
            else            state_d = LsAppendLo;
          end else begin
            done_o  = 1'b1;
            fault_o = drsp_err_i;
            state_d = LsIdle;
          end
        end
      end
      LsAppendLo: begin
        dreq_valid_o = 1'b1;
        if (dreq_gnt_i) state_d = LsWaitLo;
      end
      LsWaitLo: begin
        if (drsp_valid_i) begin
          if (drsp_err_i) begin
            // The record cannot be written: store access fault, mgwbidx kept.
            done_o  = 1'b1;
            fault_o = 1'b1;
            state_d = LsIdle;
          end else begin
            dreq_valid_o = 1'b1;
            if (dreq_gnt_i) state_d = LsWaitHi;   // (no enum ?: for Icarus 11)
            else            state_d = LsAppendHi;
          end
        end
      end
      LsAppendHi: begin
        dreq_valid_o = 1'b1;
        if (dreq_gnt_i) state_d = LsWaitHi;
      end
      LsWaitHi: begin
        if (drsp_valid_i) begin
          done_o  = 1'b1;
          fault_o = drsp_err_i;
          state_d = LsIdle;
        end
      end
      default: state_d = LsIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q  <= LsIdle;
      traced_q <= 1'b0;
      paddr_q  <= 30'b0;
    end else begin
      state_q  <= state_d;
      traced_q <= traced_d;
      paddr_q  <= paddr_d;
    end
  end

`ifdef UMBRA_ASSERT
  // Immediate assertions at the clock edge, each in a block named
  // <Module><Property> (as in umbra_clint): they read the values of the cycle
  // that ends there, as a concurrent property would, without the sampled
  // copy of every signal it reads that build/umbra would pay for each cycle.
  always @(posedge clk_i) begin : UmbraLsuReqHeld
    if (rst_ni && (state_q != LsIdle)) assert (req_i) else $error("%m: request withdrawn while busy");
  end
  always @(posedge clk_i) begin : UmbraLsuRspOnlyWaiting
    if (rst_ni && drsp_valid_i)
      assert ((state_q == LsWait) || (state_q == LsWaitLo) || (state_q == LsWaitHi))
        else $error("%m: response while not waiting");
  end

  // The append handshake.
  logic appending;   // a record word is offered or in flight
  assign appending = (state_q == LsAppendLo) || (state_q == LsWaitLo) ||
                     (state_q == LsAppendHi) || (state_q == LsWaitHi);

  // Only a traced store of a core built with the GWB appends.
  always @(posedge clk_i) begin : UmbraLsuAppendTraced
    if (rst_ni && appending) assert (Gwb && traced_q && we_i) else $error("%m: append without a traced store");
  end
  // A traced store is issued only while the log has room (else: GWB full, no access).
  always @(posedge clk_i) begin : UmbraLsuAppendHadRoom
    if (rst_ni && dreq_gnt_i && (state_q == LsIdle) && traced) assert (!full) else $error("%m: log full");
  end
  // Record words: full-word writes, word 0 at A and word 1 at A+4; an offered
  // word stays offered until granted (its address and data depend only on the
  // state and on values that are stable while the store is in EX).
  always @(posedge clk_i) begin : UmbraLsuRecordWords
    if (rst_ni && dreq_valid_o && (rec_lo || rec_hi))
      assert (dreq_we_o && (dreq_be_o == 4'b1111) && (dreq_addr_o[31:3] == gwb_addr_o[31:3]) &&
              (dreq_addr_o[2] == rec_hi)) else $error("%m: bad record word");
  end
  always @(posedge clk_i) begin : UmbraLsuRecordHeld
    if (rst_ni && ((state_q == LsAppendLo) || (state_q == LsAppendHi)))
      assert (dreq_valid_o) else $error("%m: record word withdrawn before its grant");
  end
  // The append completes with the store, which does not fault.
  always @(posedge clk_i) begin : UmbraLsuAppendDone
    if (rst_ni && gwb_append_o) assert (done_o && !fault_o) else $error("%m: append without the store's completion");
  end
`endif

endmodule

`default_nettype wire
