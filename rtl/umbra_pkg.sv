// umbra_pkg: architectural constants shared by the core's modules.
`default_nettype none

package umbra_pkg;

  // Privilege levels (mstatus.MPP encoding).
  localparam logic [1:0] PrivU = 2'd0;
  localparam logic [1:0] PrivS = 2'd1;
  localparam logic [1:0] PrivM = 2'd3;

  // Major opcodes (insn[6:0]).
  localparam logic [6:0] OpLoad   = 7'b0000011;
  localparam logic [6:0] OpMiscMem = 7'b0001111;
  localparam logic [6:0] OpImm    = 7'b0010011;
  localparam logic [6:0] OpAuipc  = 7'b0010111;
  localparam logic [6:0] OpStore  = 7'b0100011;
  localparam logic [6:0] OpReg    = 7'b0110011;
  localparam logic [6:0] OpLui    = 7'b0110111;
  localparam logic [6:0] OpBranch = 7'b1100011;
  localparam logic [6:0] OpJalr   = 7'b1100111;
  localparam logic [6:0] OpJal    = 7'b1101111;
  localparam logic [6:0] OpSystem = 7'b1110011;

  // The package holds values only (no types, no functions): yosys 0.23
  // reads `umbra_pkg::Name` references but neither imports nor package types.

  // ALU operations (4 bits).
  localparam logic [3:0] AluAdd   = 4'd0;
  localparam logic [3:0] AluSub   = 4'd1;
  localparam logic [3:0] AluSll   = 4'd2;
  localparam logic [3:0] AluSlt   = 4'd3;
  localparam logic [3:0] AluSltu  = 4'd4;
  localparam logic [3:0] AluXor   = 4'd5;
  localparam logic [3:0] AluSrl   = 4'd6;
  localparam logic [3:0] AluSra   = 4'd7;
  localparam logic [3:0] AluOr    = 4'd8;
  localparam logic [3:0] AluAnd   = 4'd9;
  localparam logic [3:0] AluPassB = 4'd10;

  // Write-back source of the destination register (3 bits).
  localparam logic [2:0] WbAlu    = 3'd0;
  localparam logic [2:0] WbMem    = 3'd1;
  localparam logic [2:0] WbCsr    = 3'd2;
  localparam logic [2:0] WbPc4    = 3'd3;
  localparam logic [2:0] WbMulDiv = 3'd4;

  // CSR instruction kinds (funct3[1:0]).
  localparam logic [1:0] CsrRw = 2'd1;
  localparam logic [1:0] CsrRs = 2'd2;
  localparam logic [1:0] CsrRc = 2'd3;

  // Memory access kinds seen by the MMU (2 bits).
  localparam logic [1:0] AccFetch = 2'd0;
  localparam logic [1:0] AccLoad  = 2'd1;
  localparam logic [1:0] AccStore = 2'd2;

  // Exception causes (mcause, interrupt bit clear).
  localparam logic [4:0] ExcInsnMisaligned  = 5'd0;
  localparam logic [4:0] ExcInsnAccess      = 5'd1;
  localparam logic [4:0] ExcIllegal         = 5'd2;
  localparam logic [4:0] ExcBreakpoint      = 5'd3;
  localparam logic [4:0] ExcLoadMisaligned  = 5'd4;
  localparam logic [4:0] ExcLoadAccess      = 5'd5;
  localparam logic [4:0] ExcStoreMisaligned = 5'd6;
  localparam logic [4:0] ExcStoreAccess     = 5'd7;
  localparam logic [4:0] ExcEcallU          = 5'd8;
  localparam logic [4:0] ExcEcallS          = 5'd9;
  localparam logic [4:0] ExcEcallM          = 5'd11;
  localparam logic [4:0] ExcInsnPage        = 5'd12;
  localparam logic [4:0] ExcLoadPage        = 5'd13;
  localparam logic [4:0] ExcStorePage       = 5'd15;
  localparam logic [4:0] ExcGwbFull         = 5'd24;  // GWB log full (SPEC §3), never delegated

  // Interrupt numbers (mip/mie bit positions, mcause with interrupt bit set).
  localparam int IrqSS = 1;
  localparam int IrqMS = 3;
  localparam int IrqST = 5;
  localparam int IrqMT = 7;
  localparam int IrqSE = 9;
  localparam int IrqME = 11;

  // PTE bits.
  localparam int PteV = 0;
  localparam int PteR = 1;
  localparam int PteW = 2;
  localparam int PteX = 3;
  localparam int PteU = 4;
  localparam int PteA = 6;
  localparam int PteD = 7;
  localparam int PteT = 8;   // GWB traced bit (first RSW bit), SPEC §3

  // CSR addresses.
  localparam logic [11:0] CsrSstatus    = 12'h100;
  localparam logic [11:0] CsrSie        = 12'h104;
  localparam logic [11:0] CsrStvec      = 12'h105;
  localparam logic [11:0] CsrScounteren = 12'h106;
  localparam logic [11:0] CsrSenvcfg    = 12'h10A;
  localparam logic [11:0] CsrSscratch   = 12'h140;
  localparam logic [11:0] CsrSepc       = 12'h141;
  localparam logic [11:0] CsrScause     = 12'h142;
  localparam logic [11:0] CsrStval      = 12'h143;
  localparam logic [11:0] CsrSip        = 12'h144;
  localparam logic [11:0] CsrSatp       = 12'h180;
  localparam logic [11:0] CsrMstatus    = 12'h300;
  localparam logic [11:0] CsrMisa       = 12'h301;
  localparam logic [11:0] CsrMedeleg    = 12'h302;
  localparam logic [11:0] CsrMideleg    = 12'h303;
  localparam logic [11:0] CsrMie        = 12'h304;
  localparam logic [11:0] CsrMtvec      = 12'h305;
  localparam logic [11:0] CsrMcounteren = 12'h306;
  localparam logic [11:0] CsrMenvcfg    = 12'h30A;
  localparam logic [11:0] CsrMstatush   = 12'h310;
  localparam logic [11:0] CsrMenvcfgh   = 12'h31A;
  localparam logic [11:0] CsrMcountinhibit = 12'h320;
  localparam logic [11:0] CsrMscratch   = 12'h340;
  localparam logic [11:0] CsrMepc       = 12'h341;
  localparam logic [11:0] CsrMcause     = 12'h342;
  localparam logic [11:0] CsrMtval      = 12'h343;
  localparam logic [11:0] CsrMip        = 12'h344;
  localparam logic [11:0] CsrMgwbctl    = 12'h7C0;
  localparam logic [11:0] CsrMgwbbase   = 12'h7C1;
  localparam logic [11:0] CsrMgwbidx    = 12'h7C2;
  localparam logic [11:0] CsrMgwbcap    = 12'h7C3;
  localparam logic [11:0] CsrMcycle     = 12'hB00;
  localparam logic [11:0] CsrMinstret   = 12'hB02;
  localparam logic [11:0] CsrMcycleh    = 12'hB80;
  localparam logic [11:0] CsrMinstreth  = 12'hB82;
  localparam logic [11:0] CsrMvendorid  = 12'hF11;
  localparam logic [11:0] CsrMarchid    = 12'hF12;
  localparam logic [11:0] CsrMimpid     = 12'hF13;
  localparam logic [11:0] CsrMhartid    = 12'hF14;
  localparam logic [11:0] CsrMconfigptr = 12'hF15;

  // mstatus bit positions.
  localparam int MstatusSie  = 1;
  localparam int MstatusMie  = 3;
  localparam int MstatusSpie = 5;
  localparam int MstatusMpie = 7;
  localparam int MstatusSpp  = 8;
  localparam int MstatusMprv = 17;
  localparam int MstatusSum  = 18;
  localparam int MstatusMxr  = 19;
  localparam int MstatusTvm  = 20;
  localparam int MstatusTw   = 21;
  localparam int MstatusTsr  = 22;

  // Reset PC: QEMU virt's reset vector (the harness serves a boot ROM there).
  localparam logic [31:0] ResetPc = 32'h0000_1000;

endpackage

`default_nettype wire
