// umbra_decoder: combinational RV32IM/Zicsr/Zifencei/privileged decoder.
// Flags an encoding illegal only by its bits; privilege-dependent legality
// (mret from S, TVM, TW, TSR, CSR permissions) is decided by the core and CSR file.
`default_nettype none

module umbra_decoder
(
  input  logic [31:0] insn_i,

  output logic        illegal_o,
  output logic [4:0]  rs1_o,
  output logic [4:0]  rs2_o,
  output logic [4:0]  rd_o,
  output logic [31:0] imm_o,
  output logic        rd_we_o,       // writes rd (when rd != 0)
  output logic [2:0]  wb_sel_o,
  output logic [3:0]  alu_op_o,
  output logic        alu_a_pc_o,    // ALU operand a = pc (auipc)
  output logic        alu_b_imm_o,   // ALU operand b = immediate
  output logic        branch_o,      // conditional branch; condition in funct3
  output logic        jal_o,
  output logic        jalr_o,
  output logic        load_o,
  output logic        store_o,
  output logic [1:0]  mem_size_o,    // 0 byte, 1 half, 2 word
  output logic        mem_unsigned_o,
  output logic        muldiv_o,
  output logic [2:0]  muldiv_op_o,   // funct3 of the M instruction
  output logic        csr_o,
  output logic [1:0]  csr_op_o,
  output logic        csr_imm_o,     // operand is the zimm field (rs1 bits)
  output logic        ecall_o,
  output logic        ebreak_o,
  output logic        mret_o,
  output logic        sret_o,
  output logic        wfi_o,
  output logic        sfence_o,
  output logic        fencei_o
);
  logic [6:0] opcode;
  logic [2:0] funct3;
  logic [6:0] funct7;

  assign opcode = insn_i[6:0];
  assign funct3 = insn_i[14:12];
  assign funct7 = insn_i[31:25];
  assign rs1_o  = insn_i[19:15];
  assign rs2_o  = insn_i[24:20];
  assign rd_o   = insn_i[11:7];

  always_comb begin
    illegal_o      = 1'b0;
    imm_o          = 32'b0;
    rd_we_o        = 1'b0;
    wb_sel_o       = umbra_pkg::WbAlu;
    alu_op_o       = umbra_pkg::AluAdd;
    alu_a_pc_o     = 1'b0;
    alu_b_imm_o    = 1'b0;
    branch_o       = 1'b0;
    jal_o          = 1'b0;
    jalr_o         = 1'b0;
    load_o         = 1'b0;
    store_o        = 1'b0;
    mem_size_o     = funct3[1:0];
    mem_unsigned_o = funct3[2];
    muldiv_o       = 1'b0;
    muldiv_op_o    = funct3;
    csr_o          = 1'b0;
    csr_op_o       = funct3[1:0];
    csr_imm_o      = funct3[2];
    ecall_o        = 1'b0;
    ebreak_o       = 1'b0;
    mret_o         = 1'b0;
    sret_o         = 1'b0;
    wfi_o          = 1'b0;
    sfence_o       = 1'b0;
    fencei_o       = 1'b0;

    unique case (opcode)
      umbra_pkg::OpLui: begin
        imm_o    = {insn_i[31:12], 12'b0};
        rd_we_o  = 1'b1;
        alu_op_o = umbra_pkg::AluPassB;
        alu_b_imm_o = 1'b1;
      end
      umbra_pkg::OpAuipc: begin
        imm_o       = {insn_i[31:12], 12'b0};
        rd_we_o     = 1'b1;
        alu_a_pc_o  = 1'b1;
        alu_b_imm_o = 1'b1;
      end
      umbra_pkg::OpJal: begin
        imm_o    = {{12{insn_i[31]}}, insn_i[19:12], insn_i[20], insn_i[30:21], 1'b0};
        rd_we_o  = 1'b1;
        wb_sel_o = umbra_pkg::WbPc4;
        jal_o    = 1'b1;
      end
      umbra_pkg::OpJalr: begin
        imm_o     = {{20{insn_i[31]}}, insn_i[31:20]};
        rd_we_o   = 1'b1;
        wb_sel_o  = umbra_pkg::WbPc4;
        jalr_o    = 1'b1;
        illegal_o = (funct3 != 3'b000);
      end
      umbra_pkg::OpBranch: begin
        imm_o     = {{20{insn_i[31]}}, insn_i[7], insn_i[30:25], insn_i[11:8], 1'b0};
        branch_o  = 1'b1;
        illegal_o = (funct3 == 3'b010) || (funct3 == 3'b011);
      end
      umbra_pkg::OpLoad: begin
        imm_o     = {{20{insn_i[31]}}, insn_i[31:20]};
        rd_we_o   = 1'b1;
        wb_sel_o  = umbra_pkg::WbMem;
        load_o    = 1'b1;
        illegal_o = (funct3 == 3'b011) || (funct3 == 3'b110) || (funct3 == 3'b111);
      end
      umbra_pkg::OpStore: begin
        imm_o     = {{20{insn_i[31]}}, insn_i[31:25], insn_i[11:7]};
        store_o   = 1'b1;
        illegal_o = funct3[2] || (funct3[1:0] == 2'b11);
      end
      umbra_pkg::OpImm: begin
        imm_o       = {{20{insn_i[31]}}, insn_i[31:20]};
        rd_we_o     = 1'b1;
        alu_b_imm_o = 1'b1;
        unique case (funct3)
          3'b000: alu_op_o = umbra_pkg::AluAdd;
          3'b010: alu_op_o = umbra_pkg::AluSlt;
          3'b011: alu_op_o = umbra_pkg::AluSltu;
          3'b100: alu_op_o = umbra_pkg::AluXor;
          3'b110: alu_op_o = umbra_pkg::AluOr;
          3'b111: alu_op_o = umbra_pkg::AluAnd;
          3'b001: begin
            alu_op_o  = umbra_pkg::AluSll;
            illegal_o = (funct7 != 7'b0000000);
          end
          3'b101: begin
            alu_op_o  = funct7[5] ? umbra_pkg::AluSra : umbra_pkg::AluSrl;
            illegal_o = (funct7 != 7'b0000000) && (funct7 != 7'b0100000);
          end
          default: illegal_o = 1'b1;
        endcase
      end
      umbra_pkg::OpReg: begin
        rd_we_o = 1'b1;
        if (funct7 == 7'b0000001) begin
          muldiv_o = 1'b1;
          wb_sel_o = umbra_pkg::WbMulDiv;
        end else begin
          unique case ({funct7, funct3})
            {7'b0000000, 3'b000}: alu_op_o = umbra_pkg::AluAdd;
            {7'b0100000, 3'b000}: alu_op_o = umbra_pkg::AluSub;
            {7'b0000000, 3'b001}: alu_op_o = umbra_pkg::AluSll;
            {7'b0000000, 3'b010}: alu_op_o = umbra_pkg::AluSlt;
            {7'b0000000, 3'b011}: alu_op_o = umbra_pkg::AluSltu;
            {7'b0000000, 3'b100}: alu_op_o = umbra_pkg::AluXor;
            {7'b0000000, 3'b101}: alu_op_o = umbra_pkg::AluSrl;
            {7'b0100000, 3'b101}: alu_op_o = umbra_pkg::AluSra;
            {7'b0000000, 3'b110}: alu_op_o = umbra_pkg::AluOr;
            {7'b0000000, 3'b111}: alu_op_o = umbra_pkg::AluAnd;
            default: illegal_o = 1'b1;
          endcase
        end
      end
      umbra_pkg::OpMiscMem: begin
        // fence: no-op for a core with one outstanding access per port.
        unique case (funct3)
          3'b000:  ;
          3'b001:  fencei_o = 1'b1;
          default: illegal_o = 1'b1;
        endcase
      end
      umbra_pkg::OpSystem: begin
        if (funct3 == 3'b000) begin
          unique case (insn_i)
            32'h0000_0073: ecall_o  = 1'b1;
            32'h0010_0073: ebreak_o = 1'b1;
            32'h3020_0073: mret_o   = 1'b1;
            32'h1020_0073: sret_o   = 1'b1;
            32'h1050_0073: wfi_o    = 1'b1;
            default: begin
              sfence_o  = (funct7 == 7'b0001001) && (rd_o == 5'd0);
              illegal_o = !sfence_o;
            end
          endcase
        end else if (funct3 == 3'b100) begin
          illegal_o = 1'b1;
        end else begin
          csr_o    = 1'b1;
          rd_we_o  = 1'b1;
          wb_sel_o = umbra_pkg::WbCsr;
          imm_o    = {27'b0, insn_i[19:15]};
        end
      end
      default: illegal_o = 1'b1;
    endcase
  end

endmodule

`default_nettype wire
