// umbra_soc: the umbra-virt SoC: core, CLINT, PLIC and the data-side decoder.
`default_nettype none

module umbra_soc (
  input  logic        clk_i,
  input  logic        rst_ni,

  // instruction port (physical addresses, one request outstanding)
  output logic        imem_req_valid_o,
  input  logic        imem_req_ready_i,
  output logic [31:0] imem_req_addr_o,
  input  logic        imem_rsp_valid_i,
  input  logic [31:0] imem_rsp_rdata_i,
  input  logic        imem_rsp_err_i,

  // data port to RAM (0x8000_0000 and up)
  output logic        dmem_req_valid_o,
  input  logic        dmem_req_ready_i,
  output logic [31:0] dmem_req_addr_o,
  output logic        dmem_req_we_o,
  output logic [3:0]  dmem_req_be_o,
  output logic [31:0] dmem_req_wdata_o,
  input  logic        dmem_rsp_valid_i,
  input  logic [31:0] dmem_rsp_rdata_i,
  input  logic        dmem_rsp_err_i,

  // data port to the C device models (everything but RAM, CLINT, PLIC)
  output logic        mmio_req_valid_o,
  input  logic        mmio_req_ready_i,
  output logic [31:0] mmio_req_addr_o,
  output logic        mmio_req_we_o,
  output logic [3:0]  mmio_req_be_o,
  output logic [31:0] mmio_req_wdata_o,
  input  logic        mmio_rsp_valid_i,
  input  logic [31:0] mmio_rsp_rdata_i,
  input  logic        mmio_rsp_err_i,

  input  logic [31:0] irq_src_i,
  input  logic [15:0] mtime_div_i,

  // retirement port
  output logic        rvfi_valid_o,
  output logic [63:0] rvfi_order_o,
  output logic [31:0] rvfi_insn_o,
  output logic        rvfi_trap_o,
  output logic        rvfi_intr_o,
  output logic [31:0] rvfi_trap_cause_o,
  output logic [1:0]  rvfi_mode_o,
  output logic [4:0]  rvfi_rs1_addr_o,
  output logic [4:0]  rvfi_rs2_addr_o,
  output logic [31:0] rvfi_rs1_rdata_o,
  output logic [31:0] rvfi_rs2_rdata_o,
  output logic [4:0]  rvfi_rd_addr_o,
  output logic [31:0] rvfi_rd_wdata_o,
  output logic [31:0] rvfi_pc_rdata_o,
  output logic [31:0] rvfi_pc_wdata_o,
  output logic [31:0] rvfi_mem_addr_o,
  output logic [3:0]  rvfi_mem_rmask_o,
  output logic [3:0]  rvfi_mem_wmask_o,
  output logic [31:0] rvfi_mem_rdata_o,
  output logic [31:0] rvfi_mem_wdata_o,

  output logic [7:0]  perf_event_o
);
  // BODY: being written (core + xbar + clint + plic)
endmodule

`default_nettype wire
