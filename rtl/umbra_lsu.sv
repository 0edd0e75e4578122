// umbra_lsu: load/store unit: alignment check, D-side translation, one data
// access, load extension. The core holds req_i and the operands stable until
// done_o. With a D-TLB hit and memory latency N, a load or store issues in
// its first cycle and is done N cycles later.
`default_nettype none

module umbra_lsu
(
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

  // D-side translation.
  output logic        mmu_req_o,
  output logic        mmu_store_o,
  output logic [31:0] mmu_vaddr_o,
  input  logic        mmu_ok_i,
  input  logic [31:0] mmu_paddr_i,
  input  logic        mmu_fault_i,
  input  logic        mmu_fault_access_i,

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
  typedef enum logic {
    LsIdle,  // translate and issue the access
    LsWait   // wait for the data response
  } lsu_state_e;

  lsu_state_e state_q, state_d;

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

  // Outside the FSM block: an event-driven simulator would otherwise bounce
  // between this block and the MMU's, each flipping the other's input within
  // one time step (the block assigns defaults first).
  assign mmu_req_o    = (state_q == LsIdle) && req_i && !misaligned;
  assign mmu_store_o  = we_i;
  assign mmu_vaddr_o  = vaddr_i;
  assign dreq_addr_o  = mmu_paddr_i & ~32'd3;   // word aligned; lanes in dreq_be_o
  assign dreq_we_o    = we_i;
  assign dreq_be_o    = mask_o;
  assign dreq_wdata_o = word_wdata_o;

  always_comb begin
    state_d      = state_q;
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
            end else if (mmu_ok_i) begin
              dreq_valid_o = 1'b1;
              if (dreq_gnt_i) state_d = LsWait;
            end
          end
        end
      end
      LsWait: begin
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
      state_q <= LsIdle;
    end else begin
      state_q <= state_d;
    end
  end

`ifdef UMBRA_ASSERT
  UmbraLsuReqHeld: assert property (@(posedge clk_i) disable iff (!rst_ni)
    (state_q == LsWait) |-> req_i);
  UmbraLsuRspOnlyWaiting: assert property (@(posedge clk_i) disable iff (!rst_ni)
    drsp_valid_i |-> (state_q == LsWait));
`endif

endmodule

`default_nettype wire
