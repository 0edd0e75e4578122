// umbra_alu: the integer ALU and the branch comparator (single cycle).
`default_nettype none

module umbra_alu
(
  input  logic [3:0]  op_i,
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] result_o,

  // Branch comparison of rs1 (cmp_a_i) and rs2 (cmp_b_i) for funct3 cond_i.
  input  logic [2:0]  cond_i,
  input  logic [31:0] cmp_a_i,
  input  logic [31:0] cmp_b_i,
  output logic        taken_o
);
  logic [4:0] shamt;
  assign shamt = b_i[4:0];

  always_comb begin
    result_o = 32'b0;
    unique case (op_i)
      umbra_pkg::AluAdd:   result_o = a_i + b_i;
      umbra_pkg::AluSub:   result_o = a_i - b_i;
      umbra_pkg::AluSll:   result_o = a_i << shamt;
      umbra_pkg::AluSlt:   result_o = {31'b0, $signed(a_i) < $signed(b_i)};
      umbra_pkg::AluSltu:  result_o = {31'b0, a_i < b_i};
      umbra_pkg::AluXor:   result_o = a_i ^ b_i;
      umbra_pkg::AluSrl:   result_o = a_i >> shamt;
      umbra_pkg::AluSra:   result_o = $unsigned($signed(a_i) >>> shamt);
      umbra_pkg::AluOr:    result_o = a_i | b_i;
      umbra_pkg::AluAnd:   result_o = a_i & b_i;
      umbra_pkg::AluPassB: result_o = b_i;
      default:  result_o = 32'b0;
    endcase
  end

  always_comb begin
    taken_o = 1'b0;
    unique case (cond_i)
      3'b000:  taken_o = (cmp_a_i == cmp_b_i);
      3'b001:  taken_o = (cmp_a_i != cmp_b_i);
      3'b100:  taken_o = ($signed(cmp_a_i) < $signed(cmp_b_i));
      3'b101:  taken_o = ($signed(cmp_a_i) >= $signed(cmp_b_i));
      3'b110:  taken_o = (cmp_a_i < cmp_b_i);
      3'b111:  taken_o = (cmp_a_i >= cmp_b_i);
      default: taken_o = 1'b0;
    endcase
  end

endmodule

`default_nettype wire
