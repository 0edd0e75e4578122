// tb_umbra_plic: cycle-exact self-checking bench for umbra_plic (Verilator --binary --timing, Icarus).
//
// Conventions as tb_umbra_clint: inputs change at the falling edge, outputs
// are checked at the next falling edge, `cyc` = rising edges since reset. A
// request driven in cycle T is answered in cycle T+1.
// Ends with "PASS tb_umbra_plic" or "FAIL tb_umbra_plic case N ..." and a
// non-zero exit status ($fatal).
`default_nettype none

`define EXPECT(n, got, exp) \
  if ((got) !== (exp)) begin \
    $display("FAIL tb_umbra_plic case %0d: %s = 'h%0h, expected 'h%0h (cycle %0d)", \
             n, `"got`", (got), (exp), cyc); \
    $fatal(1, "FAIL tb_umbra_plic case %0d", n); \
  end

module tb_umbra_plic;
  logic        clk_i = 1'b0;
  logic        rst_ni = 1'b0;
  logic        req_valid_i = 1'b0;
  logic [25:0] req_addr_i = 26'd0;
  logic        req_we_i = 1'b0;
  logic [3:0]  req_be_i = 4'b0000;
  logic [31:0] req_wdata_i = 32'd0;
  logic        rsp_valid_o;
  logic [31:0] rsp_rdata_o;
  logic        rsp_err_o;
  logic [31:0] irq_src_i = 32'd0;
  logic        meip_o;
  logic        seip_o;

  localparam logic [25:0] Pend = 26'h001000, En0 = 26'h002000, En1 = 26'h002080;
  localparam logic [25:0] Th0 = 26'h200000, Cl0 = 26'h200004;
  localparam logic [25:0] Th1 = 26'h201000, Cl1 = 26'h201004;

  umbra_plic dut (
    .clk_i, .rst_ni,
    .req_valid_i, .req_addr_i, .req_we_i, .req_be_i, .req_wdata_i,
    .rsp_valid_o, .rsp_rdata_o, .rsp_err_o,
    .irq_src_i, .meip_o, .seip_o
  );

  always #5 clk_i = ~clk_i;

  int   cyc = 0;
  int   casen = 0;
  logic req_seen = 1'b0;

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

  task automatic do_reset;
    @(negedge clk_i);
    rst_ni    = 1'b0;
    irq_src_i = 32'd0;
    @(negedge clk_i);
    @(negedge clk_i);
    rst_ni = 1'b1;
  endtask

  function automatic logic [25:0] prio_addr(input int src);
    return 26'(4 * src);
  endfunction

  // One request in the current cycle; returns at the falling edge of the
  // next cycle with the response.
  task automatic access(input logic we, input logic [25:0] addr, input logic [3:0] be,
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
    req_addr_i  = 26'd0;
    req_be_i    = 4'b0000;
    req_wdata_i = 32'd0;
    `EXPECT(casen, rsp_valid_o, 1'b1)
    rdata = rsp_rdata_o;
    err   = rsp_err_o;
  endtask

  task automatic wr(input logic [25:0] addr, input logic [31:0] wdata);
    logic [31:0] rdata;
    logic        err;
    access(1'b1, addr, 4'b1111, wdata, rdata, err);
    `EXPECT(casen, err, 1'b0)
  endtask

  task automatic rd_expect(input logic [25:0] addr, input logic [31:0] exp);
    logic [31:0] rdata;
    logic        err;
    access(1'b0, addr, 4'b1111, 32'd0, rdata, err);
    `EXPECT(casen, err, 1'b0)
    `EXPECT(casen, rdata, exp)
  endtask

  // A claim by context ctx answered with id.
  task automatic claim_expect(input int ctx, input logic [31:0] id);
    rd_expect(ctx == 0 ? Cl0 : Cl1, id);
  endtask

  task automatic complete(input int ctx, input logic [31:0] id);
    wr(ctx == 0 ? Cl0 : Cl1, id);
  endtask

  // Raise the lines in mask for exactly one cycle (edge-like sources).
  task automatic pulse(input logic [31:0] mask);
    irq_src_i = irq_src_i | mask;
    @(negedge clk_i);
    irq_src_i = irq_src_i & ~mask;
  endtask

  task automatic idle(input int n);
    repeat (n) @(negedge clk_i);
  endtask

  logic [31:0] rdata;
  logic        err;

  initial begin
    // 1: reset state
    casen = 1;
    do_reset();
    `EXPECT(casen, meip_o, 1'b0)
    `EXPECT(casen, seip_o, 1'b0)
    rd_expect(prio_addr(1), 32'd0);
    rd_expect(Pend, 32'd0);
    rd_expect(En0, 32'd0);
    rd_expect(En1, 32'd0);
    rd_expect(Th0, 32'd0);
    rd_expect(Th1, 32'd0);
    claim_expect(0, 32'd0);

    // 2: register widths, as QEMU: priorities and thresholds mod 8, source 0
    //    priority stays 0, enable keeps all 32 bits
    casen = 2;
    wr(prio_addr(5), 32'hFFFF_FFFF);
    rd_expect(prio_addr(5), 32'd7);
    wr(prio_addr(31), 32'd10);
    rd_expect(prio_addr(31), 32'd2);
    wr(prio_addr(0), 32'd7);
    rd_expect(prio_addr(0), 32'd0);
    wr(Th0, 32'hF);
    rd_expect(Th0, 32'd7);
    wr(Th1, 32'h9);
    rd_expect(Th1, 32'd1);
    wr(En0, 32'hFFFF_FFFF);
    rd_expect(En0, 32'hFFFF_FFFF);
    rd_expect(En1, 32'd0);
    wr(En1, 32'h8000_0001);
    rd_expect(En1, 32'h8000_0001);

    // 3: bus: empty offsets inside QEMU's aperture read 0, beyond it error;
    //    sub-word accesses are refused; pending is read-only
    casen = 3;
    do_reset();
    rd_expect(26'h000080, 32'd0);
    rd_expect(26'h000FFC, 32'd0);
    rd_expect(26'h001004, 32'd0);
    rd_expect(26'h002004, 32'd0);
    rd_expect(26'h002100, 32'd0);
    rd_expect(26'h200008, 32'd0);
    rd_expect(26'h202004, 32'd0);
    rd_expect(26'h5FFFFC, 32'd0);
    access(1'b0, 26'h600000, 4'hF, 32'd0, rdata, err);
    `EXPECT(casen, err, 1'b1)
    `EXPECT(casen, rdata, 32'd0)
    access(1'b1, 26'h3FFFFFC, 4'hF, 32'd1, rdata, err);
    `EXPECT(casen, err, 1'b1)
    access(1'b1, prio_addr(4), 4'b0001, 32'd3, rdata, err);
    `EXPECT(casen, err, 1'b1)
    rd_expect(prio_addr(4), 32'd0);
    access(1'b0, prio_addr(4), 4'b0001, 32'd0, rdata, err);   // lb, lh: refused too
    `EXPECT(casen, err, 1'b1)
    wr(Pend, 32'hFFFF_FFFF);
    rd_expect(Pend, 32'd0);
    wr(26'h200008, 32'hFFFF_FFFF);
    rd_expect(Th0, 32'd0);

    // 4: gateway timing: a line raised in cycle T is pending from T+1; a read
    //    in T still sees it clear; source 0 never becomes pending
    casen = 4;
    irq_src_i = 32'h0000_0021;       // sources 5 and 0, raised in this cycle
    rd_expect(Pend, 32'd0);          // request in the raise cycle
    rd_expect(Pend, 32'h0000_0020);
    `EXPECT(casen, meip_o, 1'b0)     // priority 0, not enabled
    irq_src_i = 32'd0;
    idle(2);
    rd_expect(Pend, 32'h0000_0020);  // stays pending after the line dropped

    // 5: eip = pending & enabled & priority > threshold, from the cycle after
    //    the write request
    casen = 5;
    wr(En0, 32'h0000_0020);
    `EXPECT(casen, meip_o, 1'b0)     // priority still 0
    wr(prio_addr(5), 32'd1);
    `EXPECT(casen, meip_o, 1'b1)
    `EXPECT(casen, seip_o, 1'b0)
    wr(Th0, 32'd1);
    `EXPECT(casen, meip_o, 1'b0)
    wr(Th0, 32'd0);
    `EXPECT(casen, meip_o, 1'b1)
    wr(En0, 32'd0);
    `EXPECT(casen, meip_o, 1'b0)
    wr(En0, 32'h0000_0020);
    `EXPECT(casen, meip_o, 1'b1)

    // 6: claim: returns 5, eip drops with the response; a line still high
    //    while in service does not make it pending again
    casen = 6;
    irq_src_i = 32'h0000_0020;
    claim_expect(0, 32'd5);
    `EXPECT(casen, meip_o, 1'b0)
    idle(3);
    `EXPECT(casen, meip_o, 1'b0)
    rd_expect(Pend, 32'd0);
    claim_expect(0, 32'd0);

    // 7: complete in cycle T with the line still high: pending again in T+2
    casen = 7;
    complete(0, 32'd5);              // request in T, now at T+1
    `EXPECT(casen, meip_o, 1'b0)
    rd_expect(Pend, 32'd0);          // request in T+1: not yet pending
    `EXPECT(casen, meip_o, 1'b1)     // T+2
    rd_expect(Pend, 32'h0000_0020);

    // 8: a pending source stays pending when its line drops; after its
    //    complete with the line low nothing re-triggers
    casen = 8;
    irq_src_i = 32'd0;
    idle(2);
    `EXPECT(casen, meip_o, 1'b1)
    claim_expect(0, 32'd5);
    complete(0, 32'd5);
    idle(3);
    `EXPECT(casen, meip_o, 1'b0)
    rd_expect(Pend, 32'd0);
    claim_expect(0, 32'd0);

    // 9: claim order: priority first, lowest id on a tie; priority 0 never
    casen = 9;
    do_reset();
    wr(prio_addr(3), 32'd2);
    wr(prio_addr(7), 32'd5);
    wr(prio_addr(9), 32'd5);
    wr(prio_addr(12), 32'd1);
    wr(prio_addr(20), 32'd0);
    wr(En0, 32'hFFFF_FFFF);
    pulse(32'h0010_1288);            // 20, 12, 9, 7, 3
    `EXPECT(casen, meip_o, 1'b1)
    rd_expect(Pend, 32'h0010_1288);
    claim_expect(0, 32'd7);
    claim_expect(0, 32'd9);
    `EXPECT(casen, meip_o, 1'b1)
    claim_expect(0, 32'd3);
    claim_expect(0, 32'd12);
    `EXPECT(casen, meip_o, 1'b0)     // only source 20 (priority 0) left
    claim_expect(0, 32'd0);
    rd_expect(Pend, 32'h0010_0000);
    complete(0, 32'd7);
    complete(0, 32'd9);
    complete(0, 32'd3);
    complete(0, 32'd12);

    // 10: threshold: strictly greater; a claim that finds nothing changes nothing
    casen = 10;
    pulse(32'h0000_0088);            // 7 (priority 5), 3 (priority 2)
    wr(Th0, 32'd5);
    `EXPECT(casen, meip_o, 1'b0)
    claim_expect(0, 32'd0);
    rd_expect(Pend, 32'h0010_0088);
    wr(Th0, 32'd4);
    `EXPECT(casen, meip_o, 1'b1)
    claim_expect(0, 32'd7);
    wr(Th0, 32'd2);
    `EXPECT(casen, meip_o, 1'b0)
    claim_expect(0, 32'd0);
    wr(Th0, 32'd1);
    `EXPECT(casen, meip_o, 1'b1)
    claim_expect(0, 32'd3);
    complete(0, 32'd3);
    complete(0, 32'd7);
    wr(Th0, 32'd0);

    // 11: context 1 (S-mode) has its own enables and threshold; in service
    //    is shared: a claim by one context hides the source from the other
    casen = 11;
    wr(En0, 32'h0000_0200);          // 9 in both contexts, 7 in context 1 only
    wr(En1, 32'h0000_0280);
    pulse(32'h0000_0200);
    `EXPECT(casen, meip_o, 1'b1)
    `EXPECT(casen, seip_o, 1'b1)
    claim_expect(1, 32'd9);
    `EXPECT(casen, meip_o, 1'b0)
    `EXPECT(casen, seip_o, 1'b0)
    claim_expect(0, 32'd0);
    pulse(32'h0000_0080);            // 7
    `EXPECT(casen, meip_o, 1'b0)
    `EXPECT(casen, seip_o, 1'b1)
    wr(Th1, 32'd5);
    `EXPECT(casen, seip_o, 1'b0)
    wr(Th1, 32'd0);
    claim_expect(1, 32'd7);
    complete(1, 32'd7);
    complete(0, 32'd9);              // completed through the other context

    // 12: complete of a source not enabled for that context still ends its
    //    service (QEMU 7.2 behaviour; the PLIC spec would ignore it)
    casen = 12;
    irq_src_i = 32'h0000_0200;       // 9 held high
    idle(1);
    claim_expect(1, 32'd9);
    wr(En1, 32'd0);
    complete(1, 32'd9);
    idle(1);
    rd_expect(Pend, 32'h0010_0200);  // re-armed by the high line
    `EXPECT(casen, meip_o, 1'b1)

    // 13: completes of id 0 and of ids past the last source change nothing
    casen = 13;
    claim_expect(0, 32'd9);
    complete(0, 32'd0);
    complete(0, 32'd41);             // 41 mod 32 = 9
    complete(0, 32'h0000_0109);
    idle(2);
    rd_expect(Pend, 32'h0010_0000);
    `EXPECT(casen, meip_o, 1'b0)
    complete(0, 32'd9);              // request in T, line high in T+1
    idle(1);
    irq_src_i = 32'd0;
    claim_expect(0, 32'd9);          // re-triggered in T+1
    complete(0, 32'd9);

    // 14: highest and lowest ids on a tie, all priorities in turn
    casen = 14;
    do_reset();
    wr(En0, 32'hFFFF_FFFE);
    wr(prio_addr(31), 32'd7);
    wr(prio_addr(1), 32'd7);
    wr(prio_addr(16), 32'd6);
    wr(prio_addr(2), 32'd3);
    pulse(32'h8001_0006);            // 31, 16, 2, 1
    claim_expect(0, 32'd1);
    claim_expect(0, 32'd31);
    claim_expect(0, 32'd16);
    claim_expect(0, 32'd2);
    claim_expect(0, 32'd0);

    // 15: a claim and a new line in the same cycle: the claim sees the old
    //    state, the new source is pending in the next cycle
    casen = 15;
    complete(0, 32'd31);
    complete(0, 32'd1);
    pulse(32'h8000_0000);            // 31 pending again
    irq_src_i = 32'h0000_0002;       // raise 1 (same priority, lower id) in the claim cycle
    claim_expect(0, 32'd31);
    irq_src_i = 32'd0;
    `EXPECT(casen, meip_o, 1'b1)     // 1 pending from the response cycle
    claim_expect(0, 32'd1);
    `EXPECT(casen, meip_o, 1'b0)
    complete(0, 32'd1);
    complete(0, 32'd31);
    idle(1);
    `EXPECT(casen, meip_o, 1'b0)
    rd_expect(Pend, 32'd0);

    // 16: a sub-word claim is refused and claims nothing; a sub-word
    //     complete ends nothing
    casen = 16;
    complete(0, 32'd2);              // still in service from case 14
    complete(0, 32'd16);
    pulse(32'h0000_0004);            // 2 (priority 3)
    access(1'b0, Cl0, 4'b0001, 32'd0, rdata, err);
    `EXPECT(casen, err, 1'b1)
    `EXPECT(casen, rdata, 32'd0)
    `EXPECT(casen, meip_o, 1'b1)
    claim_expect(0, 32'd2);
    access(1'b1, Cl0, 4'b0011, 32'd2, rdata, err);
    `EXPECT(casen, err, 1'b1)
    irq_src_i = 32'h0000_0004;
    idle(2);
    `EXPECT(casen, meip_o, 1'b0)     // still in service
    complete(0, 32'd2);
    idle(1);
    `EXPECT(casen, meip_o, 1'b1)

    $display("PASS tb_umbra_plic");
    $finish;
  end

  initial begin
    #1000000;
    $display("FAIL tb_umbra_plic case %0d: timeout", casen);
    $fatal(1, "FAIL tb_umbra_plic timeout");
  end
endmodule

`default_nettype wire
