// umbra_muldiv: M-extension unit: single-cycle multiplier, 32-step iterative divider.
// Multiply: done_o in the cycle start_i is raised. Divide/remainder: start_i in
// cycle t, done_o (with result_o) in cycle t+33; operands are sampled at start.
`default_nettype none

module umbra_muldiv (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        start_i,
  input  logic [2:0]  op_i,      // funct3: mul mulh mulhsu mulhu div divu rem remu
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic        done_o,
  output logic [31:0] result_o
);
  typedef enum logic [1:0] {
    MdIdle,   // waiting for a division to start
    MdDivide, // one quotient bit per cycle
    MdDone    // result valid on result_o
  } md_state_e;

  md_state_e   state_q, state_d;
  logic [4:0]  count_q, count_d;
  logic [31:0] quo_q, quo_d;       // dividend shifting out, quotient shifting in
  logic [31:0] rem_q, rem_d;
  logic [31:0] divisor_q, divisor_d;
  logic        neg_quo_q, neg_quo_d;
  logic        neg_rem_q, neg_rem_d;
  logic        by_zero_q, by_zero_d;
  logic        want_rem_q, want_rem_d;
  logic [31:0] dividend_q, dividend_d;

  // Multiplier: 33x33 signed product covers all four variants.
  logic        a_signed, b_signed;
  logic [32:0] mul_a, mul_b;
  logic [63:0] product;

  assign a_signed = (op_i[1:0] == 2'b01) || (op_i[1:0] == 2'b10);
  assign b_signed = (op_i[1:0] == 2'b01);
  assign mul_a    = {a_signed & a_i[31], a_i};
  assign mul_b    = {b_signed & b_i[31], b_i};
  assign product  = 64'($signed(mul_a) * $signed(mul_b));

  // One restoring-division step.
  logic [32:0] rem_shift;
  logic [32:0] rem_sub;
  assign rem_shift = {rem_q, quo_q[31]};
  assign rem_sub   = rem_shift - {1'b0, divisor_q};

  always_comb begin
    state_d    = state_q;
    count_d    = count_q;
    quo_d      = quo_q;
    rem_d      = rem_q;
    divisor_d  = divisor_q;
    neg_quo_d  = neg_quo_q;
    neg_rem_d  = neg_rem_q;
    by_zero_d  = by_zero_q;
    want_rem_d = want_rem_q;
    dividend_d = dividend_q;
    done_o     = 1'b0;
    result_o   = 32'b0;

    unique case (state_q)
      MdIdle: begin
        if (start_i && !op_i[2]) begin
          done_o = 1'b1;
          result_o = (op_i[1:0] == 2'b00) ? product[31:0] : product[63:32];
        end else if (start_i) begin
          // div/rem: work on magnitudes, fix signs at the end.
          neg_quo_d  = !op_i[0] && (a_i[31] ^ b_i[31]);
          neg_rem_d  = !op_i[0] && a_i[31];
          quo_d      = (!op_i[0] && a_i[31]) ? -a_i : a_i;
          divisor_d  = (!op_i[0] && b_i[31]) ? -b_i : b_i;
          rem_d      = 32'b0;
          by_zero_d  = (b_i == 32'b0);
          want_rem_d = op_i[1];
          dividend_d = a_i;
          count_d    = 5'd0;
          state_d    = MdDivide;
        end
      end
      MdDivide: begin
        if (!rem_sub[32]) begin
          rem_d = rem_sub[31:0];
          quo_d = {quo_q[30:0], 1'b1};
        end else begin
          rem_d = rem_shift[31:0];
          quo_d = {quo_q[30:0], 1'b0};
        end
        count_d = count_q + 5'd1;
        if (count_q == 5'd31) begin
          state_d = MdDone;
        end
      end
      MdDone: begin
        done_o  = 1'b1;
        state_d = MdIdle;
        if (by_zero_q) begin
          result_o = want_rem_q ? dividend_q : 32'hFFFF_FFFF;
        end else if (want_rem_q) begin
          result_o = neg_rem_q ? -rem_q : rem_q;
        end else begin
          result_o = neg_quo_q ? -quo_q : quo_q;
        end
      end
      default: state_d = MdIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= MdIdle;
      count_q    <= 5'd0;
      quo_q      <= 32'b0;
      rem_q      <= 32'b0;
      divisor_q  <= 32'b0;
      neg_quo_q  <= 1'b0;
      neg_rem_q  <= 1'b0;
      by_zero_q  <= 1'b0;
      want_rem_q <= 1'b0;
      dividend_q <= 32'b0;
    end else begin
      state_q    <= state_d;
      count_q    <= count_d;
      quo_q      <= quo_d;
      rem_q      <= rem_d;
      divisor_q  <= divisor_d;
      neg_quo_q  <= neg_quo_d;
      neg_rem_q  <= neg_rem_d;
      by_zero_q  <= by_zero_d;
      want_rem_q <= want_rem_d;
      dividend_q <= dividend_d;
    end
  end

`ifdef UMBRA_ASSERT
  // Immediate assertions at the clock edge, each in a block named
  // <Module><Property> (as in umbra_clint): they read the values of the cycle
  // that ends there, as a concurrent property would, without the sampled
  // copy of every signal it reads that build/umbra would pay for each cycle.
  always @(posedge clk_i) begin : UmbraMuldivNoStartWhileBusy
    if (rst_ni && (state_q != MdIdle)) assert (!start_i) else $error("%m: start while busy");
  end
  always @(posedge clk_i) begin : UmbraMuldivStateKnown
    if (rst_ni) assert ((^state_q) !== 1'bx) else $error("%m: state unknown");
  end
`endif

endmodule

`default_nettype wire
