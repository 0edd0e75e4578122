// umbra_clint: machine timer and software interrupt (SiFive CLINT layout of QEMU virt).
//
// Registers (byte offsets from 0x0200_0000), as QEMU 7.2 virt (ACLINT MSWI + MTIMER):
//   0x0000  msip          bit 0 = MSIP of hart 0
//   0x4000  mtimecmp lo   0x4004 mtimecmp hi
//   0xBFF8  mtime lo      0xBFFC mtime hi (writable)
// QEMU compatibility (checked against qemu-system-riscv32 7.2, -machine virt):
//   - any other word offset below 0xC000 reads 0 and ignores writes (no error);
//     offsets 0xC000..0xFFFF are outside QEMU's devices: bus error;
//   - an access with partial byte enables (lb/lh/sb/sh) is a bus error and
//     changes nothing: QEMU only accepts 4-byte accesses here;
//   - reset: mtime 0, mtimecmp 0, so MTIP reads as pending at boot, as in QEMU
//     (firmware programs mtimecmp before it sets mie.MTIE).
//
// mtime advances by one every max(mtime_div_i, 1) cycles. The first cycle out
// of reset is cycle 0: mtime = floor(cycle / div) while nothing writes it.
//
// Timing:
//   - request in cycle T (req_valid_i, always accepted); response in T+1:
//     rsp_valid_o, rsp_rdata_o (register value during cycle T), rsp_err_o.
//   - a write in cycle T takes effect at the end of T; mtime does not advance
//     in a cycle that writes either of its halves (the divider keeps its phase).
//   - msip_o, mtip_o, mtime_o depend on flops only and are valid in the
//     cycle the state is in the flops (a write in T shows in T+1).
`default_nettype none

module umbra_clint (
  input  logic        clk_i,
  input  logic        rst_ni,

  input  logic [15:0] mtime_div_i,   // core cycles per mtime tick, 0 acts as 1

  input  logic        req_valid_i,   // single-cycle request, always accepted
  input  logic [15:0] req_addr_i,    // byte offset, word aligned
  input  logic        req_we_i,
  input  logic [3:0]  req_be_i,
  input  logic [31:0] req_wdata_i,
  output logic        rsp_valid_o,   // exactly one cycle after req_valid_i
  output logic [31:0] rsp_rdata_o,
  output logic        rsp_err_o,     // offset outside the devices or sub-word access

  output logic        msip_o,
  output logic        mtip_o,
  output logic [63:0] mtime_o
);

  localparam logic [15:0] AddrMsip       = 16'h0000;
  localparam logic [15:0] AddrMtimecmpLo = 16'h4000;
  localparam logic [15:0] AddrMtimecmpHi = 16'h4004;
  localparam logic [15:0] AddrMtimeLo    = 16'hBFF8;
  localparam logic [15:0] AddrMtimeHi    = 16'hBFFC;
  localparam logic [15:0] AddrEnd        = 16'hC000;  // first offset with nothing behind it

  logic        msip_q, msip_d;
  logic [63:0] mtimecmp_q, mtimecmp_d;
  logic [63:0] mtime_q, mtime_d;
  logic [15:0] div_cnt_q, div_cnt_d;
  logic        rsp_valid_q, rsp_valid_d;
  logic [31:0] rsp_rdata_q, rsp_rdata_d;
  logic        rsp_err_q, rsp_err_d;

  logic [15:0] div_last;   // value of div_cnt_q in the cycle that ticks
  logic        tick;
  logic [15:0] word_addr;
  logic        addr_err;
  logic        acc_err;              // access refused: bad offset or not a whole word
  logic        wr;

  // Tick divider: div_cnt_q counts 0 .. div-1; a lowered divider takes effect
  // at once (>=) instead of wrapping through 65535.
  always_comb begin
    div_last  = (mtime_div_i == 16'd0) ? 16'd0 : mtime_div_i - 16'd1;
    tick      = (div_cnt_q >= div_last);
    div_cnt_d = tick ? 16'd0 : div_cnt_q + 16'd1;
  end

  // Register file: decode, write and read-data for the response.
  always_comb begin
    msip_d      = msip_q;
    mtimecmp_d  = mtimecmp_q;
    mtime_d     = mtime_q + {63'd0, tick};
    rsp_valid_d = req_valid_i;
    rsp_rdata_d = 32'd0;
    rsp_err_d   = 1'b0;

    word_addr = {req_addr_i[15:2], 2'b00};
    addr_err  = (word_addr >= AddrEnd);
    acc_err   = addr_err || (req_be_i != 4'b1111);
    wr        = req_valid_i && req_we_i && !acc_err;
    rsp_err_d = req_valid_i && acc_err;

    if (req_valid_i && !req_we_i && !acc_err) begin
      unique case (word_addr)
        AddrMsip:       rsp_rdata_d = {31'd0, msip_q};
        AddrMtimecmpLo: rsp_rdata_d = mtimecmp_q[31:0];
        AddrMtimecmpHi: rsp_rdata_d = mtimecmp_q[63:32];
        AddrMtimeLo:    rsp_rdata_d = mtime_q[31:0];
        AddrMtimeHi:    rsp_rdata_d = mtime_q[63:32];
        default:        rsp_rdata_d = 32'd0;
      endcase
    end

    if (wr) begin
      unique case (word_addr)
        AddrMsip:       msip_d              = req_wdata_i[0];
        AddrMtimecmpLo: mtimecmp_d[31:0]    = req_wdata_i;
        AddrMtimecmpHi: mtimecmp_d[63:32]   = req_wdata_i;
        AddrMtimeLo:    mtime_d             = {mtime_q[63:32], req_wdata_i};
        AddrMtimeHi:    mtime_d             = {req_wdata_i, mtime_q[31:0]};
        default:        ;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      msip_q      <= 1'b0;
      mtimecmp_q  <= 64'd0;
      mtime_q     <= 64'd0;
      div_cnt_q   <= 16'd0;
      rsp_valid_q <= 1'b0;
      rsp_rdata_q <= 32'd0;
      rsp_err_q   <= 1'b0;
    end else begin
      msip_q      <= msip_d;
      mtimecmp_q  <= mtimecmp_d;
      mtime_q     <= mtime_d;
      div_cnt_q   <= div_cnt_d;
      rsp_valid_q <= rsp_valid_d;
      rsp_rdata_q <= rsp_rdata_d;
      rsp_err_q   <= rsp_err_d;
    end
  end

  assign rsp_valid_o = rsp_valid_q;
  assign rsp_rdata_o = rsp_rdata_q;
  assign rsp_err_o   = rsp_err_q;
  assign msip_o      = msip_q;
  assign mtip_o      = (mtime_q >= mtimecmp_q);
  assign mtime_o     = mtime_q;

  // Offset bits [1:0] are zero by the bus rules (checked below).
  logic unused_addr;
  assign unused_addr = ^req_addr_i[1:0];

`ifdef UMBRA_ASSERT
  // Icarus 11 rejects labels on immediate assertions: each one sits in a block
  // named <Module><Property>, which %m and the simulators' messages show.
  // Known-ness is (^x) !== 1'bx: Icarus 11's $isunknown misreports
  // concatenations inside always blocks.
  logic        req_valid_q;
  logic [15:0] mtime_div_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      req_valid_q <= 1'b0;
      mtime_div_q <= 16'd0;
    end else begin
      req_valid_q <= req_valid_i;
      mtime_div_q <= mtime_div_i;
    end
  end

  always @(posedge clk_i) begin : UmbraClintReqKnown
    if (rst_ni) begin
      assert ((^req_valid_i) !== 1'bx) else $error("%m: req_valid_i unknown");
      if (req_valid_i) begin
        assert ((^{req_addr_i, req_we_i, req_be_i}) !== 1'bx)
          else $error("%m: request fields unknown");
      end
    end
  end

  always @(posedge clk_i) begin : UmbraClintReqAligned
    if (rst_ni && req_valid_i) begin
      assert (req_addr_i[1:0] == 2'b00) else $error("%m: offset %h not word aligned", req_addr_i);
    end
  end

  always @(posedge clk_i) begin : UmbraClintOutKnown
    if (rst_ni) begin
      assert ((^{rsp_valid_o, msip_o, mtip_o}) !== 1'bx) else $error("%m: output unknown");
      if (rsp_valid_o) begin
        assert ((^{rsp_err_o, rsp_rdata_o}) !== 1'bx) else $error("%m: response unknown");
      end
    end
  end

  always @(posedge clk_i) begin : UmbraClintRspOneCycle
    if (rst_ni) begin
      assert (rsp_valid_o == req_valid_q) else $error("%m: response not one cycle after request");
    end
  end

  // Once the divider input has been stable for a cycle, the count is in range.
  always @(posedge clk_i) begin : UmbraClintDivCntInRange
    if (rst_ni && mtime_div_i == mtime_div_q) begin
      assert (div_cnt_q <= div_last) else $error("%m: divider count %0d > %0d", div_cnt_q, div_last);
    end
  end
`endif

endmodule

`default_nettype wire
