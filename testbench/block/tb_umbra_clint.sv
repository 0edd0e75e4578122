// tb_umbra_clint: cycle-exact self-checking bench for umbra_clint (Verilator --binary --timing, Icarus).
//
// Conventions: inputs change at the falling edge, the DUT samples them at the
// rising edge, outputs are checked at the next falling edge. `cyc` counts
// rising edges since reset was released: at the falling edge inside cycle c,
// cyc == c. A request driven in cycle T is answered in cycle T+1.
// Ends with "PASS tb_umbra_clint" or "FAIL tb_umbra_clint case N ..." and a
// non-zero exit status ($fatal).
`default_nettype none

`define EXPECT(n, got, exp) \
  if ((got) !== (exp)) begin \
    $display("FAIL tb_umbra_clint case %0d: %s = 'h%0h, expected 'h%0h (cycle %0d)", \
             n, `"got`", (got), (exp), cyc); \
    $fatal(1, "FAIL tb_umbra_clint case %0d", n); \
  end

module tb_umbra_clint;
  logic        clk_i = 1'b0;
  logic        rst_ni = 1'b0;
  logic [15:0] mtime_div_i = 16'd10;
  logic        req_valid_i = 1'b0;
  logic [15:0] req_addr_i = 16'd0;
  logic        req_we_i = 1'b0;
  logic [3:0]  req_be_i = 4'b0000;
  logic [31:0] req_wdata_i = 32'd0;
  logic        rsp_valid_o;
  logic [31:0] rsp_rdata_o;
  logic        rsp_err_o;
  logic        msip_o;
  logic        mtip_o;
  logic [63:0] mtime_o;

  localparam logic [15:0] Msip = 16'h0000, CmpLo = 16'h4000, CmpHi = 16'h4004;
  localparam logic [15:0] TimeLo = 16'hBFF8, TimeHi = 16'hBFFC;

  umbra_clint dut (
    .clk_i, .rst_ni, .mtime_div_i,
    .req_valid_i, .req_addr_i, .req_we_i, .req_be_i, .req_wdata_i,
    .rsp_valid_o, .rsp_rdata_o, .rsp_err_o,
    .msip_o, .mtip_o, .mtime_o
  );

  always #5 clk_i = ~clk_i;

  int   cyc = 0;
  int   casen = 0;
  logic req_seen = 1'b0;   // a request was sampled at the last rising edge

  always @(posedge clk_i) begin
    cyc      <= rst_ni ? cyc + 1 : 0;
    req_seen <= rst_ni && req_valid_i;
  end

  // Handshake rule, every cycle: a response exactly one cycle after each request.
  always @(negedge clk_i) begin
    if (rst_ni) begin
      `EXPECT(casen, rsp_valid_o, req_seen)
    end
  end

  // Reset with a given divider; returns at the falling edge of cycle 0.
  task automatic do_reset(input logic [15:0] div);
    @(negedge clk_i);
    rst_ni      = 1'b0;
    mtime_div_i = div;
    @(negedge clk_i);
    @(negedge clk_i);
    rst_ni = 1'b1;
  endtask

  // One request in the current cycle; returns at the falling edge of the
  // next cycle, where the response is checked and handed back.
  task automatic access(input logic we, input logic [15:0] addr, input logic [3:0] be,
                        input logic [31:0] wdata, output logic [31:0] rdata,
                        output logic err);
    req_valid_i = 1'b1;
    req_we_i    = we;
    req_addr_i  = addr;
    req_be_i    = be;
    req_wdata_i = wdata;
    @(negedge clk_i);
    req_valid_i = 1'b0;
    req_we_i    = 1'b0;
    req_addr_i  = 16'd0;
    req_be_i    = 4'b0000;
    req_wdata_i = 32'd0;
    `EXPECT(casen, rsp_valid_o, 1'b1)
    rdata = rsp_rdata_o;
    err   = rsp_err_o;
  endtask

  task automatic wr(input logic [15:0] addr, input logic [31:0] wdata);
    logic [31:0] rdata;
    logic        err;
    access(1'b1, addr, 4'b1111, wdata, rdata, err);
    `EXPECT(casen, err, 1'b0)
  endtask

  task automatic rd_expect(input logic [15:0] addr, input logic [31:0] exp);
    logic [31:0] rdata;
    logic        err;
    access(1'b0, addr, 4'b1111, 32'd0, rdata, err);
    `EXPECT(casen, err, 1'b0)
    `EXPECT(casen, rdata, exp)
  endtask

  task automatic idle(input int n);
    repeat (n) @(negedge clk_i);
  endtask

  logic [31:0] rdata;
  logic        err;
  logic [63:0] t0;
  int          c0;

  initial begin
    // 1: reset state (QEMU: mtime 0, mtimecmp 0, so MTIP is set at boot)
    casen = 1;
    do_reset(16'd10);
    `EXPECT(casen, cyc, 0)
    `EXPECT(casen, mtime_o, 64'd0)
    `EXPECT(casen, msip_o, 1'b0)
    `EXPECT(casen, mtip_o, 1'b1)
    rd_expect(Msip, 32'd0);
    rd_expect(CmpLo, 32'd0);
    rd_expect(CmpHi, 32'd0);
    rd_expect(TimeHi, 32'd0);

    // 2: divider 10 from reset: mtime == floor(cycle / 10), checked every cycle
    casen = 2;
    do_reset(16'd10);
    repeat (45) begin
      `EXPECT(casen, mtime_o, 64'(cyc) / 64'd10)
      @(negedge clk_i);
    end

    // 3: divider 0 acts as 1
    casen = 3;
    do_reset(16'd0);
    repeat (12) begin
      `EXPECT(casen, mtime_o, 64'(cyc))
      @(negedge clk_i);
    end

    // 4: divider 3, and a read returns mtime of the request cycle
    casen = 4;
    do_reset(16'd3);
    idle(7);
    `EXPECT(casen, mtime_o, 64'd2)
    rd_expect(TimeLo, 32'd2);        // request in cycle 7: mtime 2
    `EXPECT(casen, cyc, 8)
    rd_expect(TimeLo, 32'd2);        // cycle 8: still 2 (tick at end of cycle 8)
    rd_expect(TimeLo, 32'd3);        // cycle 9
    `EXPECT(casen, mtime_o, 64'd3)

    // 5: lowering the divider mid-period ticks at once, then runs at the new rate
    casen = 5;
    do_reset(16'd10);
    idle(7);                         // cycle 7, count 7
    mtime_div_i = 16'd2;             // count 7 >= 1: tick at the end of cycle 7
    @(negedge clk_i);
    `EXPECT(casen, mtime_o, 64'd1)
    idle(1);
    `EXPECT(casen, mtime_o, 64'd1)
    idle(1);
    `EXPECT(casen, mtime_o, 64'd2)
    mtime_div_i = 16'd10;

    // 6: msip set/clear, only bit 0, visible the cycle after the write request
    casen = 6;
    do_reset(16'd10);
    req_valid_i = 1'b1; req_we_i = 1'b1; req_addr_i = Msip; req_be_i = 4'hF;
    req_wdata_i = 32'h0000_0003;
    @(negedge clk_i);
    req_valid_i = 1'b0; req_we_i = 1'b0;
    `EXPECT(casen, msip_o, 1'b1)
    `EXPECT(casen, rsp_err_o, 1'b0)
    rd_expect(Msip, 32'd1);
    wr(Msip, 32'hFFFF_FFFE);
    `EXPECT(casen, msip_o, 1'b0)
    rd_expect(Msip, 32'd0);

    // 7: mtimecmp halves read back; MTIP rises in exactly the cycle mtime reaches it
    casen = 7;
    do_reset(16'd1);
    wr(CmpHi, 32'd0);
    wr(CmpLo, 32'd40);
    `EXPECT(casen, mtip_o, 1'b0)
    rd_expect(CmpLo, 32'd40);
    rd_expect(CmpHi, 32'd0);
    while (mtime_o < 64'd39) begin
      `EXPECT(casen, mtip_o, 1'b0)
      @(negedge clk_i);
    end
    `EXPECT(casen, mtime_o, 64'd39)
    `EXPECT(casen, mtip_o, 1'b0)
    @(negedge clk_i);
    `EXPECT(casen, mtime_o, 64'd40)
    `EXPECT(casen, mtip_o, 1'b1)

    // 8: the compare is 64 bits wide: a larger high half keeps MTIP clear
    casen = 8;
    wr(CmpHi, 32'd1);
    `EXPECT(casen, mtip_o, 1'b0)
    wr(CmpLo, 32'd0);
    `EXPECT(casen, mtip_o, 1'b0)
    wr(CmpHi, 32'd0);                // mtimecmp = 0 <= mtime
    `EXPECT(casen, mtip_o, 1'b1)
    wr(CmpHi, 32'hFFFF_FFFF);
    wr(CmpLo, 32'hFFFF_FFFF);
    `EXPECT(casen, mtip_o, 1'b0)

    // 9: mtime writes: the written value shows next cycle, then it counts on,
    //    with the carry into the high half
    casen = 9;
    do_reset(16'd1);
    idle(5);
    wr(TimeLo, 32'hFFFF_FFFD);       // request in cycle 5, no advance in cycle 5
    `EXPECT(casen, mtime_o, 64'h0000_0000_FFFF_FFFD)
    idle(1);
    `EXPECT(casen, mtime_o, 64'h0000_0000_FFFF_FFFE)
    idle(2);
    `EXPECT(casen, mtime_o, 64'h0000_0001_0000_0000)
    rd_expect(TimeHi, 32'd1);
    wr(TimeHi, 32'h1234_5678);
    t0 = mtime_o;                    // low half 1, held in the write cycle
    `EXPECT(casen, t0, 64'h1234_5678_0000_0001)
    wr(CmpHi, 32'h1234_5678);
    wr(CmpLo, t0[31:0] + 32'd10);    // due 10 ticks after t0
    c0 = cyc;
    while (!mtip_o) @(negedge clk_i);
    `EXPECT(casen, mtime_o, {32'h1234_5678, t0[31:0] + 32'd10})
    `EXPECT(casen, cyc - c0, 8)       // two cycles of the 10 were spent writing

    // 10: bus errors and the empty offsets (as QEMU: read 0, no error)
    casen = 10;
    do_reset(16'd10);
    access(1'b0, 16'hC000, 4'hF, 32'd0, rdata, err);
    `EXPECT(casen, err, 1'b1)
    `EXPECT(casen, rdata, 32'd0)
    access(1'b1, 16'hFFFC, 4'hF, 32'd1, rdata, err);
    `EXPECT(casen, err, 1'b1)
    rd_expect(16'h0004, 32'd0);
    rd_expect(16'h3FFC, 32'd0);
    rd_expect(16'h4008, 32'd0);
    rd_expect(16'hBFF4, 32'd0);
    wr(16'h0004, 32'hFFFF_FFFF);
    `EXPECT(casen, msip_o, 1'b0)
    access(1'b1, Msip, 4'b0001, 32'd1, rdata, err);   // sb: refused like QEMU
    `EXPECT(casen, err, 1'b1)
    `EXPECT(casen, msip_o, 1'b0)
    access(1'b1, CmpLo, 4'b0011, 32'd5, rdata, err);  // sh
    `EXPECT(casen, err, 1'b1)
    rd_expect(CmpLo, 32'd0);
    access(1'b0, TimeHi, 4'b0001, 32'd0, rdata, err); // lb, lh: refused too
    `EXPECT(casen, err, 1'b1)
    `EXPECT(casen, rdata, 32'd0)
    access(1'b0, Msip, 4'b1100, 32'd0, rdata, err);
    `EXPECT(casen, err, 1'b1)

    // 11: back-to-back requests, one response per cycle in order
    casen = 11;
    wr(CmpLo, 32'h1111_1111);
    wr(CmpHi, 32'h2222_2222);
    rd_expect(CmpLo, 32'h1111_1111);
    rd_expect(CmpHi, 32'h2222_2222);
    `EXPECT(casen, rsp_valid_o, 1'b1)
    idle(1);
    `EXPECT(casen, rsp_valid_o, 1'b0)

    // 12: reset in the middle clears everything
    casen = 12;
    wr(Msip, 32'd1);
    do_reset(16'd10);
    `EXPECT(casen, msip_o, 1'b0)
    `EXPECT(casen, mtime_o, 64'd0)
    rd_expect(CmpHi, 32'd0);

    $display("PASS tb_umbra_clint");
    $finish;
  end

  initial begin
    #1000000;
    $display("FAIL tb_umbra_clint case %0d: timeout", casen);
    $fatal(1, "FAIL tb_umbra_clint timeout");
  end
endmodule

`default_nettype wire
