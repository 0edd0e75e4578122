// umbra_regfile: 31 x 32-bit integer registers (x0 reads zero), two
// combinational read ports, one write port written at the end of the cycle.
`default_nettype none

module umbra_regfile (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [4:0]  raddr_a_i,
  output logic [31:0] rdata_a_o,
  input  logic [4:0]  raddr_b_i,
  output logic [31:0] rdata_b_o,
  input  logic        we_i,        // write at the end of this cycle
  input  logic [4:0]  waddr_i,
  input  logic [31:0] wdata_i
);
  logic [31:0] rf_q [1:31];

  // A memory with a write enable: one indexed write per cycle (not one flop
  // process per register), which is what keeps Verilator's model small.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int i = 1; i < 32; i++) rf_q[i] <= 32'b0;
    end else if (we_i && (waddr_i != 5'd0)) begin
      rf_q[waddr_i] <= wdata_i;
    end
  end

  assign rdata_a_o = (raddr_a_i == 5'd0) ? 32'b0 : rf_q[raddr_a_i];
  assign rdata_b_o = (raddr_b_i == 5'd0) ? 32'b0 : rf_q[raddr_b_i];

endmodule

`default_nettype wire
