// umbra_plic: platform-level interrupt controller (QEMU virt layout), 31 sources, 2 contexts.
//
// Registers (byte offsets from 0x0C00_0000), as QEMU 7.2 virt:
//   0x000000 + 4*i      priority of source i (3 bits, WARL: value mod 8; 0 = never);
//                       source 0 does not exist and reads 0
//   0x001000            pending bits of sources 0..31 (read-only, bit 0 = 0)
//   0x002000 + 0x80*c   enable bits of context c (all 32 bits kept, as QEMU;
//                       bit 0 has no effect)
//   0x200000 + 0x1000*c threshold of context c (3 bits, value mod 8)
//   0x200004 + 0x1000*c read: claim, write: complete
// Context 0 = hart 0 M-mode (meip_o), context 1 = hart 0 S-mode (seip_o).
//
// Gateway and core (PLIC spec, level-sensitive sources):
//   - source i becomes pending when irq_src_i[i] is high and i is neither
//     pending nor in service; pending stays set until claimed;
//   - a claim returns the pending, enabled source with the highest priority
//     above the context's threshold (ties: lowest id), or 0; it clears the
//     source's pending bit and puts it in service (for all contexts);
//   - a complete (write of id) ends service of source id. Like QEMU 7.2 (and
//     unlike the PLIC spec) the id need not be enabled for that context;
//     checked on qemu-system-riscv32 7.2 by completing a disabled source;
//   - eip of a context = some source would be claimed by it now.
// Bus, as QEMU 7.2: unimplemented offsets below 0x600000 (QEMU's aperture,
// VIRT_PLIC_SIZE of 1024 contexts) read 0 and ignore writes; offsets from
// 0x600000 up and accesses with partial byte enables (lb/lh/sb/sh, which
// QEMU refuses) are bus errors and change nothing (a refused claim claims
// nothing).
//
// Timing:
//   - request in cycle T (req_valid_i, always accepted); response in T+1
//     (rsp_valid_o, rsp_rdata_o, rsp_err_o). A claim reads the state of cycle
//     T; it and any write take effect at the end of T.
//   - irq_src_i high in cycle T: the source is pending from T+1.
//   - meip_o/seip_o depend on flops only, valid in the cycle the state is in
//     the flops: a source raised in T drives eip in T+1; a claim in T drops
//     eip (if nothing else is eligible) in T+1, with the response.
`default_nettype none

module umbra_plic (
  input  logic        clk_i,
  input  logic        rst_ni,

  input  logic        req_valid_i,   // single-cycle request, always accepted
  input  logic [25:0] req_addr_i,    // byte offset, word aligned
  input  logic        req_we_i,
  input  logic [3:0]  req_be_i,
  input  logic [31:0] req_wdata_i,
  output logic        rsp_valid_o,   // exactly one cycle after req_valid_i
  output logic [31:0] rsp_rdata_o,
  output logic        rsp_err_o,     // offset past the aperture or sub-word access

  input  logic [31:0] irq_src_i,     // level-sensitive, bit i = source i, bit 0 unused

  output logic        meip_o,        // context 0: hart 0 M-mode
  output logic        seip_o         // context 1: hart 0 S-mode
);

  localparam int NumSrc = 32;  // ids 0..31, id 0 = no source

  localparam logic [25:0] AddrPrioEnd   = 26'h000080;  // priorities of sources 0..31
  localparam logic [25:0] AddrPending   = 26'h001000;
  localparam logic [25:0] AddrEnable0   = 26'h002000;
  localparam logic [25:0] AddrEnable1   = 26'h002080;
  localparam logic [25:0] AddrThresh0   = 26'h200000;
  localparam logic [25:0] AddrClaim0    = 26'h200004;
  localparam logic [25:0] AddrThresh1   = 26'h201000;
  localparam logic [25:0] AddrClaim1    = 26'h201004;
  localparam logic [25:0] AddrEnd       = 26'h600000;  // end of QEMU's aperture

  // Flat vectors rather than packed arrays: yosys 0.23 does not take
  // multi-dimensional packed arrays.
  logic [3*NumSrc-1:0] prio_q, prio_d;          // 3 bits per source, [2:0] = source 0 (always 0)
  logic [NumSrc-1:0]   pending_q, pending_d;
  logic [NumSrc-1:0]   in_service_q, in_service_d;
  logic [NumSrc-1:0]   enable0_q, enable0_d;
  logic [NumSrc-1:0]   enable1_q, enable1_d;
  logic [2:0]          thresh0_q, thresh0_d;
  logic [2:0]          thresh1_q, thresh1_d;
  logic                rsp_valid_q, rsp_valid_d;
  logic [31:0]         rsp_rdata_q, rsp_rdata_d;
  logic                rsp_err_q, rsp_err_d;

  logic [NumSrc-1:0] eligible;       // pending and not in service
  logic [NumSrc-1:0] above0, above1; // priority above the context's threshold (0 while no
                                     // source is eligible and enabled)
  logic [25:0] word_addr;
  logic [4:0]  sel_src;              // source whose priority register is addressed
  logic        addr_err;
  logic        acc_err;              // access refused: bad offset or not a whole word
  logic        wr;
  logic        claim;
  logic [4:0]  claim_id;
  logic        complete;
  logic [31:0] complete_id;
  logic [31:0] claim_mask;           // one-hot source claimed this cycle (bit 0: none)
  logic [31:0] complete_mask;        // one-hot source completed this cycle

  // Arbiter: the eligible source with the highest priority above threshold,
  // lowest id on a tie, or 0. Strict '>' keeps the first (lowest) id of a
  // priority and drops priority 0 and anything at or below the threshold, as
  // QEMU's sifive_plic_claimed(). A function, so that its running maximum is
  // local: Icarus 11 re-runs an always_comb forever when a variable it reads
  // changes twice inside one pass.
  function automatic logic [4:0] arbitrate(input logic [NumSrc-1:0]   cand,
                                           input logic [3*NumSrc-1:0] prio,
                                           input logic [2:0]          threshold);
    logic [4:0] best_id;
    logic [2:0] best_prio;
    best_id   = 5'd0;
    best_prio = threshold;
    for (int i = 1; i < NumSrc; i++) begin
      if (cand[i] && (prio[3*i +: 3] > best_prio)) begin
        best_id   = 5'(i);
        best_prio = prio[3*i +: 3];
      end
    end
    arbitrate = best_id;   // no `return`: yosys 0.23 does not take it
  endfunction

  // Per-cycle work is only what eip needs (a mask and an OR); the priority
  // search runs in the branch of a claim read, and the 31 priority compares
  // of eip in the branch where some source is eligible and enabled (eip is 0
  // otherwise, whatever they give), so the simulator pays for them only then.
  assign eligible = pending_q & ~in_service_q;

  always_comb begin
    above0 = '0;
    above1 = '0;
    if ((eligible & (enable0_q | enable1_q)) != '0) begin
      for (int i = 1; i < NumSrc; i++) begin
        above0[i] = (prio_q[3*i +: 3] > thresh0_q);
        above1[i] = (prio_q[3*i +: 3] > thresh1_q);
      end
    end
  end

  // Register file: decode, reads (with the claim side effect) and writes.
  always_comb begin
    prio_d       = prio_q;
    enable0_d    = enable0_q;
    enable1_d    = enable1_q;
    thresh0_d    = thresh0_q;
    thresh1_d    = thresh1_q;
    rsp_valid_d  = req_valid_i;
    rsp_rdata_d  = 32'd0;
    rsp_err_d    = 1'b0;
    claim        = 1'b0;
    claim_id     = 5'd0;
    complete     = 1'b0;
    complete_id  = req_wdata_i;

    word_addr = {req_addr_i[25:2], 2'b00};
    sel_src   = req_addr_i[6:2];
    addr_err  = (word_addr >= AddrEnd);
    acc_err   = addr_err || (req_be_i != 4'b1111);
    wr        = req_valid_i && req_we_i && !acc_err;
    rsp_err_d = req_valid_i && acc_err;

    if (req_valid_i && !req_we_i && !acc_err) begin
      if (word_addr < AddrPrioEnd) begin
        rsp_rdata_d = {29'd0, prio_q[3*sel_src +: 3]};
      end else begin
        unique case (word_addr)
          AddrPending: rsp_rdata_d = pending_q;
          AddrEnable0: rsp_rdata_d = enable0_q;
          AddrEnable1: rsp_rdata_d = enable1_q;
          AddrThresh0: rsp_rdata_d = {29'd0, thresh0_q};
          AddrThresh1: rsp_rdata_d = {29'd0, thresh1_q};
          AddrClaim0: begin
            claim       = 1'b1;
            claim_id    = arbitrate(eligible & enable0_q, prio_q, thresh0_q);
            rsp_rdata_d = {27'd0, claim_id};
          end
          AddrClaim1: begin
            claim       = 1'b1;
            claim_id    = arbitrate(eligible & enable1_q, prio_q, thresh1_q);
            rsp_rdata_d = {27'd0, claim_id};
          end
          default: rsp_rdata_d = 32'd0;
        endcase
      end
    end

    if (wr) begin
      if (word_addr < AddrPrioEnd) begin
        if (sel_src != 5'd0) begin
          prio_d[3*sel_src +: 3] = req_wdata_i[2:0];
        end
      end else begin
        unique case (word_addr)
          AddrEnable0: enable0_d = req_wdata_i;
          AddrEnable1: enable1_d = req_wdata_i;
          AddrThresh0: thresh0_d = req_wdata_i[2:0];
          AddrThresh1: thresh1_d = req_wdata_i[2:0];
          AddrClaim0,
          AddrClaim1:  complete  = 1'b1;
          default:     ;
        endcase
      end
    end
  end

  // Gateway and service state: claim moves pending -> in service, complete
  // ends service, a high line re-arms a source that is in neither state.
  always_comb begin
    claim_mask    = 32'd0;
    complete_mask = 32'd0;
    if (claim) begin
      claim_mask = 32'd1 << claim_id;
    end
    if (complete && (complete_id < NumSrc)) begin
      complete_mask = 32'd1 << complete_id[4:0];
    end
    pending_d    = (pending_q | (irq_src_i & ~in_service_q)) & ~claim_mask & ~32'd1;
    in_service_d = (in_service_q | claim_mask) & ~complete_mask & ~32'd1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      prio_q       <= '0;
      pending_q    <= '0;
      in_service_q <= '0;
      enable0_q    <= '0;
      enable1_q    <= '0;
      thresh0_q    <= 3'd0;
      thresh1_q    <= 3'd0;
      rsp_valid_q  <= 1'b0;
      rsp_rdata_q  <= 32'd0;
      rsp_err_q    <= 1'b0;
    end else begin
      prio_q       <= prio_d;
      pending_q    <= pending_d;
      in_service_q <= in_service_d;
      enable0_q    <= enable0_d;
      enable1_q    <= enable1_d;
      thresh0_q    <= thresh0_d;
      thresh1_q    <= thresh1_d;
      rsp_valid_q  <= rsp_valid_d;
      rsp_rdata_q  <= rsp_rdata_d;
      rsp_err_q    <= rsp_err_d;
    end
  end

  assign rsp_valid_o = rsp_valid_q;
  assign rsp_rdata_o = rsp_rdata_q;
  assign rsp_err_o   = rsp_err_q;
  assign meip_o      = |(eligible & enable0_q & above0);
  assign seip_o      = |(eligible & enable1_q & above1);

  // Offset bits [1:0] are zero by the bus rules (checked below).
  logic unused_addr;
  assign unused_addr = ^req_addr_i[1:0];

`ifdef UMBRA_ASSERT
  // Icarus 11 rejects labels on immediate assertions: each one sits in a block
  // named <Module><Property>, which %m and the simulators' messages show.
  // Known-ness is (^x) !== 1'bx: Icarus 11's $isunknown misreports
  // concatenations inside always blocks.
  logic req_valid_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) req_valid_q <= 1'b0;
    else         req_valid_q <= req_valid_i;
  end

  always @(posedge clk_i) begin : UmbraPlicReqKnown
    if (rst_ni) begin
      assert ((^req_valid_i) !== 1'bx) else $error("%m: req_valid_i unknown");
      if (req_valid_i) begin
        assert ((^{req_addr_i, req_we_i, req_be_i}) !== 1'bx)
          else $error("%m: request fields unknown");
      end
    end
  end

  always @(posedge clk_i) begin : UmbraPlicReqAligned
    if (rst_ni && req_valid_i) begin
      assert (req_addr_i[1:0] == 2'b00) else $error("%m: offset %h not word aligned", req_addr_i);
    end
  end

  always @(posedge clk_i) begin : UmbraPlicOutKnown
    if (rst_ni) begin
      assert ((^{rsp_valid_o, meip_o, seip_o}) !== 1'bx) else $error("%m: output unknown");
      if (rsp_valid_o) begin
        assert ((^{rsp_err_o, rsp_rdata_o}) !== 1'bx) else $error("%m: response unknown");
      end
    end
  end

  always @(posedge clk_i) begin : UmbraPlicRspOneCycle
    if (rst_ni) begin
      assert (rsp_valid_o == req_valid_q) else $error("%m: response not one cycle after request");
    end
  end

  // The gateway never lets a source be pending and in service at once.
  always @(posedge clk_i) begin : UmbraPlicPendingNotInService
    if (rst_ni) begin
      assert ((pending_q & in_service_q) == '0)
        else $error("%m: pending %h in service %h", pending_q, in_service_q);
    end
  end

  always @(posedge clk_i) begin : UmbraPlicNoSourceZero
    if (rst_ni) begin
      assert (!pending_q[0] && !in_service_q[0] && (prio_q[2:0] == 3'd0))
        else $error("%m: source 0 has state");
    end
  end
`endif

endmodule

`default_nettype wire
