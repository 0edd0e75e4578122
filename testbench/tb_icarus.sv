// tb_icarus: Icarus Verilog system bench: umbra_soc with the C harness's memory timing and devices, in 4-state.
//
// It mirrors testbench/sim.c and model/*.c cycle for cycle, so that a program
// gives the same console output, cycles and instret as build/umbra run with
// --ram-mb 4 (the default here) and the same --mem-latency / --mtime-div.
//
// Timing (sim.c rules 1-5): every SoC input is registered, so the bench acts
// once per cycle, at the falling edge, on the outputs of that cycle, and
// drives what the SoC sees in the next cycle.
//   - 4 reset cycles, then cycle 0: rst_ni and every req_ready go to 1; the
//     SoC's registered ready is 0 in cycle 0, so no handshake before cycle 1.
//   - A handshake in cycle k (req_valid while ready) is served at once; with
//     latency N its response is driven in cycle k+N-1 and seen by the SoC in
//     cycle k+N, for one cycle. A second request before that is a protocol
//     FAIL, as is an address that is not word aligned.
//   - `cycle` counts rising edges after reset; instret counts rvfi_valid &&
//     !rvfi_trap. The run stops after the cycle in which the finisher or HTIF
//     ends it (cycles = that cycle + 1) or when cycles reaches +max_cycles.
// Address map (as model/mmio.c, model/mem.h):
//   imem: RAM, else boot ROM 0x1000..0xFFFF, else err
//   dmem: RAM at 0x8000_0000 (RamBytes, zero-filled like QEMU), else err;
//         HTIF tohost/fromhost live in it
//   mmio: UART 0x1000_0000 (8 byte registers, each enabled lane its own
//         register; THR-empty interrupt = PLIC source 10), virtio-mmio slots
//         0x1000_1000 + 0x1000*i, i < 8 (empty: magic, version 2, device id 0,
//         vendor "QEMU"; 0x200 bytes decoded), test finisher 0x10_0000
//         (0x1000 bytes, reads 0), boot ROM (writes dropped), else err
//
// Plusargs:
//   +ram_hex=FILE    RAM image for $readmemh (tools/elf2hex.py)
//   +fdt_hex=FILE    the device tree, same format (build/icarus/icarus_fdt)
//   +fdt=HEX         its address, handed over in a1 (default 0 = none)
//   +entry=HEX       where the boot ROM jumps (default 80000000)
//   +tohost=HEX +fromhost=HEX   HTIF symbols (none by default)
//   +mem_latency=N   1..1024 (default 1)     +mtime_div=N  1..65535 (default 10)
//   +max_cycles=N    (default 2000000)       +seed=N  printed only (default 1)
//   +test=NAME       name on the final line (default umbra.elf)
//   +trace=FILE      one line per retired or trapping instruction (RVFI):
//                    "cycle order pc insn m<mode> [trap|intr <cause>] x<rd>=<value>
//                     mem <addr> r<rmask> w<wmask> <rdata> <wdata>
//                     [gwb <record addr> <word0> <word1>]"
//   +vcd=FILE        dump every signal
// Output: the guest's console on stdout; the bench's messages on stderr, ending
// with the final line "PASS|FAIL|TIMEOUT NAME [exit=K ]cycles=C instret=I seed=S",
// as build/umbra prints it. vvp then ends with $finish (PASS) or $fatal (else);
// testbench/run_icarus.sh turns the final line into build/umbra's exit status.
`default_nettype none

module tb_icarus;
  parameter int RamBytes = 4 * 1024 * 1024;

  localparam int          RamWords    = RamBytes / 4;
  localparam logic [31:0] RamBase     = 32'h8000_0000;
  localparam logic [31:0] RomBase     = 32'h0000_1000;
  localparam logic [31:0] RomSize     = 32'h0000_f000;
  localparam logic [31:0] FinBase     = 32'h0010_0000;
  localparam logic [31:0] FinSize     = 32'h0000_1000;
  localparam logic [31:0] UartBase    = 32'h1000_0000;
  localparam logic [31:0] UartSize    = 32'h0000_0008;
  localparam logic [31:0] VirtBase    = 32'h1000_1000;
  localparam logic [31:0] VirtStride  = 32'h0000_1000;
  localparam logic [31:0] VirtSlots   = 32'd8;
  localparam logic [31:0] VirtRegSize = 32'h0000_0200;
  localparam int          UartIrq     = 10;
  localparam int          ResetCycles = 4;
  localparam int          Stderr      = 32'h8000_0002;

  // ---------------------------------------------------------------- DUT
  logic        clk_i = 1'b0;
  logic        rst_ni = 1'b0;

  logic        imem_req_valid_o;
  logic        imem_req_ready_i = 1'b0;
  logic [31:0] imem_req_addr_o;
  logic        imem_rsp_valid_i = 1'b0;
  logic [31:0] imem_rsp_rdata_i = 32'd0;
  logic        imem_rsp_err_i = 1'b0;

  logic        dmem_req_valid_o;
  logic        dmem_req_ready_i = 1'b0;
  logic [31:0] dmem_req_addr_o;
  logic        dmem_req_we_o;
  logic [3:0]  dmem_req_be_o;
  logic [31:0] dmem_req_wdata_o;
  logic        dmem_rsp_valid_i = 1'b0;
  logic [31:0] dmem_rsp_rdata_i = 32'd0;
  logic        dmem_rsp_err_i = 1'b0;

  logic        mmio_req_valid_o;
  logic        mmio_req_ready_i = 1'b0;
  logic [31:0] mmio_req_addr_o;
  logic        mmio_req_we_o;
  logic [3:0]  mmio_req_be_o;
  logic [31:0] mmio_req_wdata_o;
  logic        mmio_rsp_valid_i = 1'b0;
  logic [31:0] mmio_rsp_rdata_i = 32'd0;
  logic        mmio_rsp_err_i = 1'b0;

  logic [31:0] irq_src_i = 32'd0;
  logic [15:0] mtime_div_i = 16'd10;
  logic [1:0]  fault_kind_i = 2'd0;      // no fault injection under Icarus
  logic [63:0] fault_order_i = 64'd0;

  logic        rvfi_valid_o;
  logic [63:0] rvfi_order_o;
  logic [31:0] rvfi_insn_o;
  logic        rvfi_trap_o;
  logic        rvfi_intr_o;
  logic [31:0] rvfi_trap_cause_o;
  logic [1:0]  rvfi_mode_o;
  logic [4:0]  rvfi_rs1_addr_o;
  logic [4:0]  rvfi_rs2_addr_o;
  logic [31:0] rvfi_rs1_rdata_o;
  logic [31:0] rvfi_rs2_rdata_o;
  logic [4:0]  rvfi_rd_addr_o;
  logic [31:0] rvfi_rd_wdata_o;
  logic [31:0] rvfi_pc_rdata_o;
  logic [31:0] rvfi_pc_wdata_o;
  logic [31:0] rvfi_mem_addr_o;
  logic [3:0]  rvfi_mem_rmask_o;
  logic [3:0]  rvfi_mem_wmask_o;
  logic [31:0] rvfi_mem_rdata_o;
  logic [31:0] rvfi_mem_wdata_o;
  logic        rvfi_gwb_valid_o;
  logic [31:0] rvfi_gwb_addr_o;
  logic [31:0] rvfi_gwb_word0_o;
  logic [31:0] rvfi_gwb_word1_o;
  logic [7:0]  perf_event_o;

  umbra_soc dut (
    .clk_i, .rst_ni,
    .imem_req_valid_o, .imem_req_ready_i, .imem_req_addr_o,
    .imem_rsp_valid_i, .imem_rsp_rdata_i, .imem_rsp_err_i,
    .dmem_req_valid_o, .dmem_req_ready_i, .dmem_req_addr_o, .dmem_req_we_o,
    .dmem_req_be_o, .dmem_req_wdata_o,
    .dmem_rsp_valid_i, .dmem_rsp_rdata_i, .dmem_rsp_err_i,
    .mmio_req_valid_o, .mmio_req_ready_i, .mmio_req_addr_o, .mmio_req_we_o,
    .mmio_req_be_o, .mmio_req_wdata_o,
    .mmio_rsp_valid_i, .mmio_rsp_rdata_i, .mmio_rsp_err_i,
    .irq_src_i, .mtime_div_i, .fault_kind_i, .fault_order_i,
    .rvfi_valid_o, .rvfi_order_o, .rvfi_insn_o, .rvfi_trap_o, .rvfi_intr_o,
    .rvfi_trap_cause_o, .rvfi_mode_o, .rvfi_rs1_addr_o, .rvfi_rs2_addr_o,
    .rvfi_rs1_rdata_o, .rvfi_rs2_rdata_o, .rvfi_rd_addr_o, .rvfi_rd_wdata_o,
    .rvfi_pc_rdata_o, .rvfi_pc_wdata_o, .rvfi_mem_addr_o, .rvfi_mem_rmask_o,
    .rvfi_mem_wmask_o, .rvfi_mem_rdata_o, .rvfi_mem_wdata_o,
    .rvfi_gwb_valid_o, .rvfi_gwb_addr_o, .rvfi_gwb_word0_o, .rvfi_gwb_word1_o,
    .perf_event_o
  );

  always #5 clk_i = ~clk_i;

  // ---------------------------------------------------------------- configuration
  int          mem_latency = 1;
  int          mtime_div = 10;
  longint      max_cycles = 2000000;
  longint      seed = 1;
  logic [31:0] entry = RamBase;
  logic [31:0] fdt_addr = 32'd0;
  logic [31:0] tohost = 32'd1;     // 1: never a word-aligned address (no HTIF)
  logic [31:0] fromhost = 32'd1;
  string       test_name = "umbra.elf";
  string       ram_hex;
  string       fdt_hex;
  string       trace_file;
  string       vcd_file;
  int          trace_fd = 0;

  bit [31:0] ram [0:RamWords-1];   // 2-state: untouched RAM reads 0, as on QEMU
  bit [31:0] rom [0:7];            // model/bootrom.c

  // ---------------------------------------------------------------- run state
  typedef enum int { Running, HaltPass, HaltFail } halt_e;

  int     reset_left = ResetCycles;
  bit     ready_q = 1'b0;          // the req_ready the SoC holds this cycle
  longint cycle = 0;
  longint instret = 0;
  longint traps = 0;
  longint last_order = 0;
  logic [31:0] last_pc = 32'd0;
  bit     retired_any = 1'b0;
  halt_e  halt = Running;
  longint halt_code = 0;
  string  halt_why = "";
  int     xprop_count = 0;

  // Port state (struct port in sim.c): busy = accepted, response not driven yet.
  bit          imem_busy = 1'b0, dmem_busy = 1'b0, mmio_busy = 1'b0;
  bit          imem_err, dmem_err, mmio_err;
  logic [31:0] imem_rdata, dmem_rdata, mmio_rdata;
  longint      imem_drive, dmem_drive, mmio_drive;

  // UART state (model/uart.c).
  logic [7:0] uart_ier = 8'd0, uart_lcr = 8'd0, uart_mcr = 8'd0, uart_scr = 8'd0;
  logic [7:0] uart_fcr = 8'd0, uart_dll = 8'd0, uart_dlm = 8'd0;
  bit         uart_thr_ipending = 1'b0;
  logic [31:0] irq_lines = 32'd0;

  // First halt wins (mmio_set_halt).
  task automatic set_halt(input halt_e kind, input longint code, input string why);
    if (halt == Running) begin
      halt      = kind;
      halt_code = code;
      halt_why  = why;
    end
  endtask

  // ---------------------------------------------------------------- set-up
  initial begin
    if ($value$plusargs("mem_latency=%d", mem_latency)) begin
      if (mem_latency < 1 || mem_latency > 1024) begin
        $fdisplay(Stderr, "tb_icarus: error: +mem_latency must be 1..1024");
        $fatal(0);
      end
    end
    if ($value$plusargs("mtime_div=%d", mtime_div)) begin
      if (mtime_div < 1 || mtime_div > 65535) begin
        $fdisplay(Stderr, "tb_icarus: error: +mtime_div must be 1..65535");
        $fatal(0);
      end
    end
    if ($value$plusargs("max_cycles=%d", max_cycles)) ;
    if ($value$plusargs("seed=%d", seed)) ;
    if ($value$plusargs("entry=%h", entry)) ;
    if ($value$plusargs("fdt=%h", fdt_addr)) ;
    if ($value$plusargs("tohost=%h", tohost)) ;
    if ($value$plusargs("fromhost=%h", fromhost)) ;
    if ($value$plusargs("test=%s", test_name)) ;
    if (tohost == 32'd1) fromhost = 32'd1;       // fromhost only with tohost
    mtime_div_i = 16'(mtime_div);

    rom[0] = 32'h0000_0297;   // auipc t0, 0
    rom[1] = 32'hf140_2573;   // csrr  a0, mhartid
    rom[2] = 32'h0182_a583;   // lw    a1, 24(t0)   FDT
    rom[3] = 32'h0142_a283;   // lw    t0, 20(t0)   entry
    rom[4] = 32'h0002_8067;   // jr    t0
    rom[5] = entry;
    rom[6] = fdt_addr;
    rom[7] = 32'd0;

    if ($value$plusargs("ram_hex=%s", ram_hex)) $readmemh(ram_hex, ram);
    else $fdisplay(Stderr, "tb_icarus: no +ram_hex=FILE: RAM is empty");
    if ($value$plusargs("fdt_hex=%s", fdt_hex)) $readmemh(fdt_hex, ram);
    if ($value$plusargs("trace=%s", trace_file)) trace_fd = $fopen(trace_file, "w");
    if ($value$plusargs("vcd=%s", vcd_file)) begin
      $dumpfile(vcd_file);
      $dumpvars(0, tb_icarus);
    end
  end

  // ---------------------------------------------------------------- memory
  function automatic bit in_ram(input logic [31:0] addr, input logic [31:0] len);
    return (addr >= RamBase) && ({1'b0, addr - RamBase} + {1'b0, len} <= 33'(RamBytes));
  endfunction

  function automatic logic [31:0] be_mask(input logic [3:0] be);
    return {{8{be[3]}}, {8{be[2]}}, {8{be[1]}}, {8{be[0]}}};
  endfunction

  function automatic logic [31:0] ram_word(input logic [31:0] addr);
    return ram[(addr - RamBase) >> 2];
  endfunction

  // A 64-bit HTIF slot; only the low word if the high one is past the end of RAM.
  task automatic htif_write_slot(input logic [31:0] addr, input logic [63:0] val);
    ram[(addr - RamBase) >> 2] = val[31:0];
    if (in_ram(addr, 8)) ram[(addr + 4 - RamBase) >> 2] = val[63:32];
  endtask

  // model/htif.c: a RAM write that landed on the low word of tohost.
  task automatic htif_handle_write;
    logic [31:0] val, fd, bufp, len, which;
    logic [63:0] ret;
    bit          answer;
    val = ram_word(tohost);
    answer = 1'b0;
    ret = 64'd0;
    if (val == 32'd0) begin
      // nothing
    end else if (val[0]) begin
      if ((val >> 1) != 0) set_halt(HaltFail, val >> 1, "");
      else                 set_halt(HaltPass, 0, "");
    end else if (!in_ram(val, 64)) begin
      set_halt(HaltFail, 1, $sformatf("HTIF: tohost 0x%08h points outside RAM (no magic_mem there)", val));
    end else begin
      which = ram_word(val);
      fd    = ram_word(val + 8);
      bufp  = ram_word(val + 16);
      len   = ram_word(val + 24);
      if (which == 32'd64 && ram_word(val + 4) == 0) begin
        if ((fd != 1 && fd != 2) || ram_word(val + 12) != 0) begin
          ret = -64'sd9;                               // -EBADF
          answer = 1'b1;
        end else if (ram_word(val + 20) != 0 || ram_word(val + 28) != 0 || !in_ram(bufp, len)) begin
          set_halt(HaltFail, 1, $sformatf("HTIF write(fd %0d, 0x%0h, %0d): buffer is outside RAM",
                                          fd, bufp, len));
        end else begin
          for (logic [31:0] a = bufp; a != bufp + len; a++) begin
            logic [31:0] w;
            w = ram_word(a) >> (8 * a[1:0]);
            $write("%c", w[7:0]);
          end
          ret = {32'd0, len};
          answer = 1'b1;
        end
      end else if (which == 32'd93 && ram_word(val + 4) == 0) begin
        if (ram_word(val + 8) != 0 || ram_word(val + 12) != 0)
          set_halt(HaltFail, ram_word(val + 8) != 0 ? ram_word(val + 8) : 1, "");
        else
          set_halt(HaltPass, 0, "");
      end else begin
        set_halt(HaltFail, 1, $sformatf({"HTIF: unsupported syscall %0d (magic_mem at 0x%08h); ",
                                         "umbra serves write (64) and exit (93)"},
                                        {ram_word(val + 4), which}, val));
      end
      if (answer) begin
        htif_write_slot(val, ret);
        htif_write_slot(tohost, 64'd0);
        if (fromhost != 32'd1) htif_write_slot(fromhost, 64'd1);
      end
    end
  endtask

  // ---------------------------------------------------------------- devices (model/*.c)
  function automatic bit uart_irq_level;
    return uart_ier[1] && uart_thr_ipending;
  endfunction

  task automatic uart_read_reg(input int off, output logic [7:0] v);
    logic [7:0] iir;
    case (off)
      0: v = uart_lcr[7] ? uart_dll : 8'h00;          // no receiver: RBR reads 0
      1: v = uart_lcr[7] ? uart_dlm : uart_ier;
      2: begin
        iir = (uart_fcr[0] ? 8'hc0 : 8'h00) | (uart_irq_level() ? 8'h02 : 8'h01);
        if (iir[3:0] == 4'h2) uart_thr_ipending = 1'b0;
        v = iir;
      end
      3: v = uart_lcr;
      4: v = uart_mcr;
      5: v = 8'h60;                                   // LSR: THRE | TEMT
      6: v = 8'hb0;                                   // MSR: DCD | DSR | CTS
      7: v = uart_scr;
      default: v = 8'h00;
    endcase
  endtask

  task automatic uart_write_reg(input int off, input logic [7:0] v);
    case (off)
      0: if (uart_lcr[7]) uart_dll = v;
         else begin
           $write("%c", v);
           uart_thr_ipending = 1'b1;                  // the byte left at once
         end
      1: if (uart_lcr[7]) uart_dlm = v;
         else begin
           if (!uart_ier[1] && v[1]) uart_thr_ipending = 1'b1;
           uart_ier = v & 8'h0f;
         end
      2: uart_fcr = v;
      3: uart_lcr = v;
      4: uart_mcr = v & 8'h1f;
      7: uart_scr = v;
      default: ;                                      // LSR, MSR read-only
    endcase
  endtask

  // mmio_access_word(): returns err.
  task automatic mmio_access(input logic [31:0] addr, input logic we, input logic [3:0] be_in,
                             input logic [31:0] wdata, output logic [31:0] rdata,
                             output bit err);
    logic [3:0]  be;
    logic [31:0] off, slot, cmd, code;
    logic [7:0]  v;
    rdata = 32'd0;
    err   = 1'b0;
    be    = (!we && be_in == 4'd0) ? 4'hf : be_in;
    if (addr - UartBase < UartSize) begin
      for (int lane = 0; lane < 4; lane++) begin
        if (be[lane]) begin
          if (we) uart_write_reg(int'(addr - UartBase) + lane, 8'(wdata >> (8 * lane)));
          else begin
            uart_read_reg(int'(addr - UartBase) + lane, v);
            rdata = rdata | ({24'd0, v} << (8 * lane));
          end
        end
      end
      irq_lines[UartIrq] = uart_irq_level();
    end else if (addr - VirtBase < VirtSlots * VirtStride) begin
      slot = (addr - VirtBase) / VirtStride;
      off  = (addr - VirtBase) % VirtStride;
      if (off >= VirtRegSize) err = 1'b1;
      else if (!we) begin
        case (off & ~32'd3)
          32'h000: rdata = 32'h7472_6976;               // "virt"
          32'h004: rdata = 32'd2;                       // version 2 (modern)
          32'h008: rdata = 32'd0;                       // device id 0: empty slot
          32'h00c: rdata = 32'h554d_4551;               // vendor "QEMU"
          default: rdata = 32'd0;
        endcase
      end
    end else if (addr - FinBase < FinSize) begin
      if (we && addr == FinBase && be == 4'hf) begin
        cmd  = wdata & 32'hffff;
        code = wdata >> 16;
        if (cmd == 32'h5555) set_halt(HaltPass, 0, "");
        else if (cmd == 32'h3333) begin
          if (code == 0)
            set_halt(HaltFail, 1, "guest signalled failure with code 0 (0x00003333); reporting exit 1");
          else
            set_halt(HaltFail, code, "");
        end else if (cmd == 32'h7777) begin
          set_halt(HaltFail, 1, $sformatf({"guest asked for a reset through the test finisher (0x%08h); ",
                                           "umbra does not reset, so this counts as a failure"}, wdata));
        end
      end
    end else if (addr - RomBase < RomSize) begin
      if (!we) rdata = ((addr - RomBase) >> 2) < 8 ? rom[(addr - RomBase) >> 2] : 32'd0;
    end else begin
      err = 1'b1;
    end
  endtask

  // ---------------------------------------------------------------- ports (sim.c)
  task automatic protocol_fail(input string name, input logic [31:0] addr, input bit busy,
                               input longint drive);
    if (busy)
      set_halt(HaltFail, 1, $sformatf({"RTL protocol violation: %s request to 0x%08h in cycle %0d ",
                                       "while the previous one is still in flight (its response ",
                                       "is due in cycle %0d)"}, name, addr, cycle, drive + 1));
    else
      set_halt(HaltFail, 1, $sformatf("RTL protocol violation: %s request address 0x%08h in cycle %0d is not word aligned",
                                      name, addr, cycle));
  endtask

  task automatic do_imem;
    if (imem_busy || imem_req_addr_o[1:0] != 2'b00) begin
      protocol_fail("imem", imem_req_addr_o, imem_busy, imem_drive);
    end else begin
      imem_busy  = 1'b1;
      imem_drive = cycle + mem_latency - 1;
      imem_err   = 1'b0;
      imem_rdata = 32'd0;
      if (in_ram(imem_req_addr_o, 4)) imem_rdata = ram_word(imem_req_addr_o);
      else if (imem_req_addr_o - RomBase < RomSize)
        imem_rdata = ((imem_req_addr_o - RomBase) >> 2) < 8 ? rom[(imem_req_addr_o - RomBase) >> 2] : 32'd0;
      else imem_err = 1'b1;
    end
  endtask

  task automatic do_dmem;
    logic [31:0] idx;
    if (dmem_busy || dmem_req_addr_o[1:0] != 2'b00) begin
      protocol_fail("dmem", dmem_req_addr_o, dmem_busy, dmem_drive);
    end else begin
      dmem_busy  = 1'b1;
      dmem_drive = cycle + mem_latency - 1;
      dmem_rdata = 32'd0;
      dmem_err   = !in_ram(dmem_req_addr_o, 4);
      idx        = (dmem_req_addr_o - RamBase) >> 2;
      if (dmem_err) begin
        // nothing there
      end else if (dmem_req_we_o) begin
        ram[idx] = (ram[idx] & ~be_mask(dmem_req_be_o)) | (dmem_req_wdata_o & be_mask(dmem_req_be_o));
        if (dmem_req_addr_o == tohost) htif_handle_write();
      end else begin
        dmem_rdata = ram[idx];
      end
    end
  endtask

  task automatic do_mmio;
    if (mmio_busy || mmio_req_addr_o[1:0] != 2'b00) begin
      protocol_fail("mmio", mmio_req_addr_o, mmio_busy, mmio_drive);
    end else begin
      mmio_busy  = 1'b1;
      mmio_drive = cycle + mem_latency - 1;
      mmio_access(mmio_req_addr_o, mmio_req_we_o, mmio_req_be_o, mmio_req_wdata_o,
                  mmio_rdata, mmio_err);
    end
  endtask

  // X/Z on an output the bench acts on ends the run; on data, it is counted
  // and the first ten are shown.
  task automatic xcheck(input string what, input logic [63:0] v, input bit fatal);
    if ((^v) === 1'bx) begin
      xprop_count++;
      if (xprop_count <= 10)
        $fdisplay(Stderr, "tb_icarus: X/Z on %s = %h in cycle %0d", what, v, cycle);
      if (fatal) set_halt(HaltFail, 1, $sformatf("X/Z on %s in cycle %0d", what, cycle));
    end
  endtask

  task automatic check_outputs;
    xcheck("imem_req_valid_o", {63'd0, imem_req_valid_o}, 1'b1);
    xcheck("dmem_req_valid_o", {63'd0, dmem_req_valid_o}, 1'b1);
    xcheck("mmio_req_valid_o", {63'd0, mmio_req_valid_o}, 1'b1);
    xcheck("rvfi_valid_o", {63'd0, rvfi_valid_o}, 1'b1);
    if (imem_req_valid_o === 1'b1) xcheck("imem_req_addr_o", {32'd0, imem_req_addr_o}, 1'b1);
    if (dmem_req_valid_o === 1'b1) begin
      xcheck("dmem_req_addr/we/be_o", {27'd0, dmem_req_addr_o, dmem_req_we_o, dmem_req_be_o}, 1'b1);
      if (dmem_req_we_o === 1'b1)
        xcheck("dmem_req_wdata_o", {32'd0, dmem_req_wdata_o & be_mask(dmem_req_be_o)}, 1'b0);
    end
    if (mmio_req_valid_o === 1'b1) begin
      xcheck("mmio_req_addr/we/be_o", {27'd0, mmio_req_addr_o, mmio_req_we_o, mmio_req_be_o}, 1'b1);
      if (mmio_req_we_o === 1'b1)
        xcheck("mmio_req_wdata_o", {32'd0, mmio_req_wdata_o & be_mask(mmio_req_be_o)}, 1'b0);
    end
    if (rvfi_valid_o === 1'b1) begin
      xcheck("rvfi_order_o", rvfi_order_o, 1'b0);
      xcheck("rvfi_insn/pc_rdata_o", {rvfi_insn_o, rvfi_pc_rdata_o}, 1'b0);
      xcheck("rvfi_pc_wdata_o", {32'd0, rvfi_pc_wdata_o}, 1'b0);
      xcheck("rvfi_trap/intr/mode/rd_addr_o",
             {55'd0, rvfi_trap_o, rvfi_intr_o, rvfi_mode_o, rvfi_rd_addr_o}, 1'b0);
      if (rvfi_trap_o === 1'b1 || rvfi_intr_o === 1'b1)
        xcheck("rvfi_trap_cause_o", {32'd0, rvfi_trap_cause_o}, 1'b0);
      if (rvfi_rd_addr_o !== 5'd0) xcheck("rvfi_rd_wdata_o", {32'd0, rvfi_rd_wdata_o}, 1'b0);
      if (rvfi_mem_rmask_o !== 4'd0 || rvfi_mem_wmask_o !== 4'd0)
        xcheck("rvfi_mem_addr/rmask/wmask_o", {24'd0, rvfi_mem_addr_o, rvfi_mem_rmask_o, rvfi_mem_wmask_o}, 1'b0);
      xcheck("rvfi_gwb_valid_o", {63'd0, rvfi_gwb_valid_o}, 1'b1);
      if (rvfi_gwb_valid_o === 1'b1) begin
        xcheck("rvfi_gwb_addr_o", {32'd0, rvfi_gwb_addr_o}, 1'b1);
        xcheck("rvfi_gwb_word0/1_o", {rvfi_gwb_word0_o, rvfi_gwb_word1_o}, 1'b1);
      end
    end
    xcheck("perf_event_o", {56'd0, perf_event_o}, 1'b0);
  endtask

  // Ends the run: messages and the final line on stderr, as sim_close().
  task automatic finish_run;
    if (trace_fd != 0) $fclose(trace_fd);
    $fflush();
    if (xprop_count != 0)
      $fdisplay(Stderr, "tb_icarus: %0d X/Z values seen on SoC outputs (the first ones above)", xprop_count);
    if (halt_why != "") $fdisplay(Stderr, "tb_icarus: error: %s", halt_why);
    if (halt == Running) begin
      if (retired_any)
        $fdisplay(Stderr, "tb_icarus: no exit after %0d cycles (+max_cycles); last retired pc 0x%08h, order %0d",
                  cycle, last_pc, last_order);
      else
        $fdisplay(Stderr, "tb_icarus: no exit after %0d cycles (+max_cycles); no instruction retired", cycle);
      $fdisplay(Stderr, "TIMEOUT %s cycles=%0d instret=%0d seed=%0d", test_name, cycle, instret, seed);
    end else if (halt == HaltPass) begin
      $fdisplay(Stderr, "PASS %s cycles=%0d instret=%0d seed=%0d", test_name, cycle, instret, seed);
    end else begin
      $fdisplay(Stderr, "FAIL %s exit=%0d cycles=%0d instret=%0d seed=%0d", test_name, halt_code,
                cycle, instret, seed);
    end
    $fflush(Stderr);
    if (halt == HaltPass) $finish;
    else $fatal(0);
  endtask

  // ---------------------------------------------------------------- one cycle (sim_step)
  always @(negedge clk_i) begin
    if (reset_left > 0) begin
      reset_left--;                       // inputs stay as initialised: reset
    end else begin
      check_outputs();
      if (ready_q && halt == Running) begin
        if (imem_req_valid_o === 1'b1) do_imem();
        if (dmem_req_valid_o === 1'b1) do_dmem();
        if (mmio_req_valid_o === 1'b1) do_mmio();
      end
      if (rvfi_valid_o === 1'b1) begin
        if (rvfi_trap_o === 1'b1) traps++;
        else instret++;
        last_pc     = rvfi_pc_rdata_o;
        last_order  = rvfi_order_o;
        retired_any = 1'b1;
        if (trace_fd != 0)
          $fdisplay(trace_fd, "%0d %0d %08h %08h m%0d%s%s x%0d=%08h mem %08h r%h w%h %08h %08h%s",
                    cycle, rvfi_order_o, rvfi_pc_rdata_o, rvfi_insn_o, rvfi_mode_o,
                    rvfi_trap_o ? $sformatf(" trap %0h", rvfi_trap_cause_o) : "",
                    rvfi_intr_o ? $sformatf(" intr %0h", rvfi_trap_cause_o) : "",
                    rvfi_rd_addr_o, rvfi_rd_wdata_o, rvfi_mem_addr_o, rvfi_mem_rmask_o,
                    rvfi_mem_wmask_o, rvfi_mem_rdata_o, rvfi_mem_wdata_o,
                    rvfi_gwb_valid_o ? $sformatf(" gwb %08h %08h %08h", rvfi_gwb_addr_o,
                                                 rvfi_gwb_word0_o, rvfi_gwb_word1_o) : "");
      end

      rst_ni           = 1'b1;
      imem_req_ready_i = 1'b1;
      dmem_req_ready_i = 1'b1;
      mmio_req_ready_i = 1'b1;
      imem_rsp_valid_i = imem_busy && imem_drive == cycle;
      imem_rsp_err_i   = imem_rsp_valid_i && imem_err;
      imem_rsp_rdata_i = imem_rsp_valid_i ? imem_rdata : 32'd0;
      if (imem_rsp_valid_i) imem_busy = 1'b0;
      dmem_rsp_valid_i = dmem_busy && dmem_drive == cycle;
      dmem_rsp_err_i   = dmem_rsp_valid_i && dmem_err;
      dmem_rsp_rdata_i = dmem_rsp_valid_i ? dmem_rdata : 32'd0;
      if (dmem_rsp_valid_i) dmem_busy = 1'b0;
      mmio_rsp_valid_i = mmio_busy && mmio_drive == cycle;
      mmio_rsp_err_i   = mmio_rsp_valid_i && mmio_err;
      mmio_rsp_rdata_i = mmio_rsp_valid_i ? mmio_rdata : 32'd0;
      if (mmio_rsp_valid_i) mmio_busy = 1'b0;
      irq_src_i = irq_lines;
      ready_q   = 1'b1;

      cycle++;
      if (halt != Running || cycle >= max_cycles) finish_run();
    end
  end
endmodule

`default_nettype wire
