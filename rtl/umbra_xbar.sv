// umbra_xbar: routes the core's data port to RAM (dmem), the CLINT, the PLIC
// or the C device models (mmio) by physical address; one access in flight.
// Request valid is steered combinationally (the other request fields go to
// every target unchanged, in umbra_soc); the response of the target chosen
// at the handshake is returned.
`default_nettype none

module umbra_xbar (
  input  logic        clk_i,
  input  logic        rst_ni,

  // From the core.
  input  logic        req_valid_i,
  output logic        req_ready_o,
  input  logic [31:16] req_addr_i,     // only the decoded bits
  output logic        rsp_valid_o,
  output logic [31:0] rsp_rdata_o,
  output logic        rsp_err_o,

  // RAM.
  output logic        dmem_req_valid_o,
  input  logic        dmem_req_ready_i,
  input  logic        dmem_rsp_valid_i,
  input  logic [31:0] dmem_rsp_rdata_i,
  input  logic        dmem_rsp_err_i,

  // C device models.
  output logic        mmio_req_valid_o,
  input  logic        mmio_req_ready_i,
  input  logic        mmio_rsp_valid_i,
  input  logic [31:0] mmio_rsp_rdata_i,
  input  logic        mmio_rsp_err_i,

  // CLINT and PLIC (always ready, respond one cycle later).
  output logic        clint_req_valid_o,
  input  logic        clint_rsp_valid_i,
  input  logic [31:0] clint_rsp_rdata_i,
  input  logic        clint_rsp_err_i,
  output logic        plic_req_valid_o,
  input  logic        plic_rsp_valid_i,
  input  logic [31:0] plic_rsp_rdata_i,
  input  logic        plic_rsp_err_i
);
  typedef enum logic [1:0] {
    TgtDmem, TgtMmio, TgtClint, TgtPlic
  } target_e;

  target_e tgt, tgt_q, tgt_d;

  always_comb begin
    if (req_addr_i[31]) begin
      tgt = TgtDmem;
    end else if (req_addr_i[31:16] == 16'h0200) begin
      tgt = TgtClint;
    end else if (req_addr_i[31:26] == 6'b000011) begin
      tgt = TgtPlic;
    end else begin
      tgt = TgtMmio;
    end
  end

  assign dmem_req_valid_o  = req_valid_i && (tgt == TgtDmem);
  assign mmio_req_valid_o  = req_valid_i && (tgt == TgtMmio);
  assign clint_req_valid_o = req_valid_i && (tgt == TgtClint);
  assign plic_req_valid_o  = req_valid_i && (tgt == TgtPlic);

  always_comb begin
    unique case (tgt)
      TgtDmem: req_ready_o = dmem_req_ready_i;
      TgtMmio: req_ready_o = mmio_req_ready_i;
      default: req_ready_o = 1'b1;
    endcase
  end

  assign tgt_d = (req_valid_i && req_ready_o) ? tgt : tgt_q;

  always_comb begin
    unique case (tgt_q)
      TgtDmem: begin
        rsp_valid_o = dmem_rsp_valid_i;
        rsp_rdata_o = dmem_rsp_rdata_i;
        rsp_err_o   = dmem_rsp_err_i;
      end
      TgtMmio: begin
        rsp_valid_o = mmio_rsp_valid_i;
        rsp_rdata_o = mmio_rsp_rdata_i;
        rsp_err_o   = mmio_rsp_err_i;
      end
      TgtClint: begin
        rsp_valid_o = clint_rsp_valid_i;
        rsp_rdata_o = clint_rsp_rdata_i;
        rsp_err_o   = clint_rsp_err_i;
      end
      default: begin
        rsp_valid_o = plic_rsp_valid_i;
        rsp_rdata_o = plic_rsp_rdata_i;
        rsp_err_o   = plic_rsp_err_i;
      end
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      tgt_q <= TgtDmem;
    end else begin
      tgt_q <= tgt_d;
    end
  end

endmodule

`default_nettype wire
