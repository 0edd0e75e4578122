// umbra_soc: the umbra-virt SoC: core, CLINT, PLIC and the data-side decoder.
// Every input but rst_ni is registered at the rising edge: a testbench
// drives, before edge k, the value the SoC sees during the cycle after edge k
// (so a response with latency 1 to a request handshaken at edge k is driven
// before that same edge). Nothing combinational runs from an input to an output.
`default_nettype none

module umbra_soc #(
  parameter bit Gwb = 1'b1   // build the guest write buffer (SPEC §3)
) (
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

  // Verification only (umbra --inject-fault): corrupt the first register
  // write (kind 1) or store (kind 2) that retires at order >= fault_order_i.
  input  logic [1:0]  fault_kind_i,
  input  logic [63:0] fault_order_i,

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
  output logic        rvfi_gwb_valid_o,
  output logic [31:0] rvfi_gwb_addr_o,
  output logic [31:0] rvfi_gwb_word0_o,
  output logic [31:0] rvfi_gwb_word1_o,

  output logic [7:0]  perf_event_o
);
  // Input registers.
  logic        imem_req_ready_q, imem_rsp_valid_q, imem_rsp_err_q;
  logic [31:0] imem_rsp_rdata_q;
  logic        dmem_req_ready_q, dmem_rsp_valid_q, dmem_rsp_err_q;
  logic [31:0] dmem_rsp_rdata_q;
  logic        mmio_req_ready_q, mmio_rsp_valid_q, mmio_rsp_err_q;
  logic [31:0] mmio_rsp_rdata_q;
  logic [31:0] irq_src_q;
  logic [15:0] mtime_div_q;
  logic [1:0]  fault_kind_q;
  logic [63:0] fault_order_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      imem_req_ready_q <= 1'b0;
      imem_rsp_valid_q <= 1'b0;
      imem_rsp_err_q   <= 1'b0;
      imem_rsp_rdata_q <= 32'b0;
      dmem_req_ready_q <= 1'b0;
      dmem_rsp_valid_q <= 1'b0;
      dmem_rsp_err_q   <= 1'b0;
      dmem_rsp_rdata_q <= 32'b0;
      mmio_req_ready_q <= 1'b0;
      mmio_rsp_valid_q <= 1'b0;
      mmio_rsp_err_q   <= 1'b0;
      mmio_rsp_rdata_q <= 32'b0;
      irq_src_q        <= 32'b0;
      mtime_div_q      <= 16'd1;
      fault_kind_q     <= 2'd0;
      fault_order_q    <= 64'd0;
    end else begin
      imem_req_ready_q <= imem_req_ready_i;
      imem_rsp_valid_q <= imem_rsp_valid_i;
      imem_rsp_err_q   <= imem_rsp_err_i;
      imem_rsp_rdata_q <= imem_rsp_rdata_i;
      dmem_req_ready_q <= dmem_req_ready_i;
      dmem_rsp_valid_q <= dmem_rsp_valid_i;
      dmem_rsp_err_q   <= dmem_rsp_err_i;
      dmem_rsp_rdata_q <= dmem_rsp_rdata_i;
      mmio_req_ready_q <= mmio_req_ready_i;
      mmio_rsp_valid_q <= mmio_rsp_valid_i;
      mmio_rsp_err_q   <= mmio_rsp_err_i;
      mmio_rsp_rdata_q <= mmio_rsp_rdata_i;
      irq_src_q        <= irq_src_i;
      mtime_div_q      <= mtime_div_i;
      fault_kind_q     <= fault_kind_i;
      fault_order_q    <= fault_order_i;
    end
  end

  logic        data_req_valid, data_req_ready, data_req_we;
  logic [31:0] data_req_addr, data_req_wdata;
  logic [3:0]  data_req_be;
  logic        data_rsp_valid, data_rsp_err;
  logic [31:0] data_rsp_rdata;
  logic        mtip, msip, meip, seip;
  logic [63:0] mtime;
  logic        clint_req_valid, clint_rsp_valid, clint_rsp_err;
  logic [31:0] clint_rsp_rdata;
  logic        plic_req_valid, plic_rsp_valid, plic_rsp_err;
  logic [31:0] plic_rsp_rdata;

  umbra_core #(.Gwb(Gwb), .FaultInject(1'b1)) u_core (
    .clk_i, .rst_ni,
    .imem_req_valid_o, .imem_req_addr_o,
    .imem_req_ready_i (imem_req_ready_q),
    .imem_rsp_valid_i (imem_rsp_valid_q),
    .imem_rsp_rdata_i (imem_rsp_rdata_q),
    .imem_rsp_err_i   (imem_rsp_err_q),
    .data_req_valid_o (data_req_valid),
    .data_req_ready_i (data_req_ready),
    .data_req_addr_o  (data_req_addr),
    .data_req_we_o    (data_req_we),
    .data_req_be_o    (data_req_be),
    .data_req_wdata_o (data_req_wdata),
    .data_rsp_valid_i (data_rsp_valid),
    .data_rsp_rdata_i (data_rsp_rdata),
    .data_rsp_err_i   (data_rsp_err),
    .mtip_i (mtip), .msip_i (msip), .meip_i (meip), .seip_i (seip), .mtime_i (mtime),
    .fault_kind_i (fault_kind_q), .fault_order_i (fault_order_q),
    .rvfi_valid_o, .rvfi_order_o, .rvfi_insn_o, .rvfi_trap_o, .rvfi_intr_o,
    .rvfi_trap_cause_o, .rvfi_mode_o, .rvfi_rs1_addr_o, .rvfi_rs2_addr_o,
    .rvfi_rs1_rdata_o, .rvfi_rs2_rdata_o, .rvfi_rd_addr_o, .rvfi_rd_wdata_o,
    .rvfi_pc_rdata_o, .rvfi_pc_wdata_o, .rvfi_mem_addr_o, .rvfi_mem_rmask_o,
    .rvfi_mem_wmask_o, .rvfi_mem_rdata_o, .rvfi_mem_wdata_o,
    .rvfi_gwb_valid_o, .rvfi_gwb_addr_o, .rvfi_gwb_word0_o, .rvfi_gwb_word1_o,
    .perf_event_o
  );

  umbra_xbar u_xbar (
    .clk_i, .rst_ni,
    .req_valid_i (data_req_valid),
    .req_ready_o (data_req_ready),
    .req_addr_i  (data_req_addr[31:16]),
    .rsp_valid_o (data_rsp_valid),
    .rsp_rdata_o (data_rsp_rdata),
    .rsp_err_o   (data_rsp_err),
    .dmem_req_valid_o,
    .dmem_req_ready_i (dmem_req_ready_q),
    .dmem_rsp_valid_i (dmem_rsp_valid_q),
    .dmem_rsp_rdata_i (dmem_rsp_rdata_q),
    .dmem_rsp_err_i   (dmem_rsp_err_q),
    .mmio_req_valid_o,
    .mmio_req_ready_i (mmio_req_ready_q),
    .mmio_rsp_valid_i (mmio_rsp_valid_q),
    .mmio_rsp_rdata_i (mmio_rsp_rdata_q),
    .mmio_rsp_err_i   (mmio_rsp_err_q),
    .clint_req_valid_o (clint_req_valid),
    .clint_rsp_valid_i (clint_rsp_valid),
    .clint_rsp_rdata_i (clint_rsp_rdata),
    .clint_rsp_err_i   (clint_rsp_err),
    .plic_req_valid_o  (plic_req_valid),
    .plic_rsp_valid_i  (plic_rsp_valid),
    .plic_rsp_rdata_i  (plic_rsp_rdata),
    .plic_rsp_err_i    (plic_rsp_err)
  );

  // The request fields go to every target; only the selected one sees valid.
  assign dmem_req_addr_o  = data_req_addr;
  assign dmem_req_we_o    = data_req_we;
  assign dmem_req_be_o    = data_req_be;
  assign dmem_req_wdata_o = data_req_wdata;
  assign mmio_req_addr_o  = data_req_addr;
  assign mmio_req_we_o    = data_req_we;
  assign mmio_req_be_o    = data_req_be;
  assign mmio_req_wdata_o = data_req_wdata;

  umbra_clint u_clint (
    .clk_i, .rst_ni,
    .mtime_div_i (mtime_div_q),
    .req_valid_i (clint_req_valid),
    .req_addr_i  (data_req_addr[15:0]),
    .req_we_i    (data_req_we),
    .req_be_i    (data_req_be),
    .req_wdata_i (data_req_wdata),
    .rsp_valid_o (clint_rsp_valid),
    .rsp_rdata_o (clint_rsp_rdata),
    .rsp_err_o   (clint_rsp_err),
    .msip_o      (msip),
    .mtip_o      (mtip),
    .mtime_o     (mtime)
  );

  umbra_plic u_plic (
    .clk_i, .rst_ni,
    .req_valid_i (plic_req_valid),
    .req_addr_i  (data_req_addr[25:0]),
    .req_we_i    (data_req_we),
    .req_be_i    (data_req_be),
    .req_wdata_i (data_req_wdata),
    .rsp_valid_o (plic_rsp_valid),
    .rsp_rdata_o (plic_rsp_rdata),
    .rsp_err_o   (plic_rsp_err),
    .irq_src_i   (irq_src_q),
    .meip_o      (meip),
    .seip_o      (seip)
  );
endmodule

`default_nettype wire
