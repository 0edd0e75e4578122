// tb_umbra_gwb: cycle-exact self-checking bench of the MMU/store path with the GWB (umbra_core, Gwb=1).
//
// The core runs a program the bench writes into its memory: an M-mode prologue
// (CSRs, page tables via satp, MPRV stores from M-mode), an M-mode trap handler
// (GWB full: drain mgwbidx and re-execute; ecall: toggle mgwbctl.EN; anything
// else: skip the instruction) and S-mode straight-line items: stores (byte,
// half, word; traced 4 KiB page, untraced page, traced megapage, traced
// read-only page; some misaligned), ecall, sfence.vma and markers on which the
// bench flips the T bit of the traced page's PTE in memory without sfence.
// First a directed item list, then seeded random items (+seed=N, default 1).
//
// A reference model in the bench (GWB state, D-TLB contents incl. T, shadow of
// the data frames) predicts each store's outcome in program order and checks at
// its retirement-port record: trap and cause, mtval/mepc/mcause for traps, the
// RVFI GWB record (address, word 0, word 1), the record words in memory, and
// every data-port handshake since the instruction entered EX: PTE reads of the
// walk, the store, record word 0 and word 1, with their addresses, byte enables,
// data and - while the port is always ready - their exact cycles:
//   t = first EX cycle; walk of a 4 KiB page: PTE reads at t+1 and t+2+L, the
//   access at t+3+2L; megapage: PTE read at t+1, access at t+2+L; TLB hit:
//   access at t. Store handshake at s: record word 0 at s+L, word 1 at s+2L,
//   retirement at s+3L (untraced: s+L). A fault found by translation or a full
//   log is taken in the cycle the answer is known (t, or the cycle after the fill).
// Memory latency L and port stalls vary per configuration. End: mgwbidx,
// mhpmcounter6/7 and every data frame against the model.
//
// Conventions as tb_umbra_clint: inputs change at the falling edge, outputs
// are sampled after them in the same cycle (the core's ports are combinational
// from ready/response to request), the DUT samples at the rising edge; `cyc`
// counts rising edges since reset. Ends with "PASS tb_umbra_gwb" or "FAIL
// tb_umbra_gwb case N ..." and $fatal.
`default_nettype none

`define FAIL(n, msg) \
  begin \
    $display("FAIL tb_umbra_gwb case %0d: %s (config %0d, item %0d, cycle %0d, seed %0d)", \
             n, msg, cfg, item_idx, cyc, seed); \
    $fatal(1, "FAIL tb_umbra_gwb case %0d", n); \
  end

`define EXPECT(n, got, exp) \
  if ((got) !== (exp)) begin \
    $display("FAIL tb_umbra_gwb case %0d: %s = 'h%0h, expected 'h%0h (config %0d, item %0d, cycle %0d, seed %0d)", \
             n, `"got`", (got), (exp), cfg, item_idx, cyc, seed); \
    $fatal(1, "FAIL tb_umbra_gwb case %0d", n); \
  end

module tb_umbra_gwb;
  // ------------------------------------------------------------------ memory map
  localparam int          RamWords = 262144;            // 1 MiB at 0x8000_0000
  localparam logic [31:0] RamBase  = 32'h8000_0000;
  localparam logic [31:0] Handler  = 32'h8000_0800;
  localparam logic [31:0] SCode    = 32'h8000_1000;
  localparam logic [31:0] Root     = 32'h8004_0000;
  localparam logic [31:0] L0       = 32'h8004_1000;
  localparam logic [31:0] Log      = 32'h8004_2000;
  localparam logic [31:0] FrameT   = 32'h8005_0000;    // traced 4 KiB page
  localparam logic [31:0] FrameN   = 32'h8005_1000;    // untraced page
  localparam logic [31:0] FrameRo  = 32'h8005_2000;    // traced read-only page
  localparam logic [31:0] MegaOff  = 32'h0006_0000;    // megapage stores land at RamBase + MegaOff + off
  localparam logic [31:0] VaT      = 32'h4000_0000;
  localparam logic [31:0] VaN      = 32'h4000_1000;
  localparam logic [31:0] VaRo     = 32'h4000_2000;
  localparam logic [31:0] VaMega   = 32'h4040_0000;    // megapage -> RamBase
  localparam int          PageT = 0, PageN = 1, PageMega = 2, PageRo = 3;

  // PTE bits.
  localparam logic [31:0] PteV = 32'h001, PteR = 32'h002, PteW = 32'h004, PteX = 32'h008;
  localparam logic [31:0] PteA = 32'h040, PteD = 32'h080, PteT = 32'h100;

  // Item kinds.
  localparam int ItStore = 0, ItEcall = 1, ItSfence = 2, ItMarker = 3, ItEnd = 4;
  localparam int MaxItems = 512;

  // ------------------------------------------------------------------ DUT
  logic        clk_i = 1'b0;
  logic        rst_ni = 1'b0;
  logic        imem_req_valid_o;
  logic        imem_req_ready_i = 1'b0;
  logic [31:0] imem_req_addr_o;
  logic        imem_rsp_valid_i = 1'b0;
  logic [31:0] imem_rsp_rdata_i = 32'd0;
  logic        imem_rsp_err_i = 1'b0;
  logic        data_req_valid_o;
  logic        data_req_ready_i = 1'b0;
  logic [31:0] data_req_addr_o;
  logic        data_req_we_o;
  logic [3:0]  data_req_be_o;
  logic [31:0] data_req_wdata_o;
  logic        data_rsp_valid_i = 1'b0;
  logic [31:0] data_rsp_rdata_i = 32'd0;
  logic        data_rsp_err_i = 1'b0;
  logic        rvfi_valid_o;
  logic [63:0] rvfi_order_o;
  logic [31:0] rvfi_insn_o;
  logic        rvfi_trap_o;
  logic        rvfi_intr_o;
  logic [31:0] rvfi_trap_cause_o;
  logic [1:0]  rvfi_mode_o;
  logic [4:0]  rvfi_rs1_addr_o, rvfi_rs2_addr_o, rvfi_rd_addr_o;
  logic [31:0] rvfi_rs1_rdata_o, rvfi_rs2_rdata_o, rvfi_rd_wdata_o;
  logic [31:0] rvfi_pc_rdata_o, rvfi_pc_wdata_o, rvfi_mem_addr_o;
  logic [3:0]  rvfi_mem_rmask_o, rvfi_mem_wmask_o;
  logic [31:0] rvfi_mem_rdata_o, rvfi_mem_wdata_o;
  logic        rvfi_gwb_valid_o;
  logic [31:0] rvfi_gwb_addr_o, rvfi_gwb_word0_o, rvfi_gwb_word1_o;
  logic [7:0]  perf_event_o;

  umbra_core #(.Gwb(1'b1)) dut (
    .clk_i, .rst_ni,
    .imem_req_valid_o, .imem_req_ready_i, .imem_req_addr_o,
    .imem_rsp_valid_i, .imem_rsp_rdata_i, .imem_rsp_err_i,
    .data_req_valid_o, .data_req_ready_i, .data_req_addr_o, .data_req_we_o,
    .data_req_be_o, .data_req_wdata_o,
    .data_rsp_valid_i, .data_rsp_rdata_i, .data_rsp_err_i,
    .mtip_i (1'b0), .msip_i (1'b0), .meip_i (1'b0), .seip_i (1'b0), .mtime_i (64'd0),
    .rvfi_valid_o, .rvfi_order_o, .rvfi_insn_o, .rvfi_trap_o, .rvfi_intr_o,
    .rvfi_trap_cause_o, .rvfi_mode_o, .rvfi_rs1_addr_o, .rvfi_rs2_addr_o,
    .rvfi_rs1_rdata_o, .rvfi_rs2_rdata_o, .rvfi_rd_addr_o, .rvfi_rd_wdata_o,
    .rvfi_pc_rdata_o, .rvfi_pc_wdata_o, .rvfi_mem_addr_o, .rvfi_mem_rmask_o,
    .rvfi_mem_wmask_o, .rvfi_mem_rdata_o, .rvfi_mem_wdata_o,
    .rvfi_gwb_valid_o, .rvfi_gwb_addr_o, .rvfi_gwb_word0_o, .rvfi_gwb_word1_o,
    .perf_event_o
  );

  always #5 clk_i = ~clk_i;

  // ------------------------------------------------------------------ bench state
  logic [31:0] mem [RamWords];
  logic [31:0] shadow [RamWords];    // the model's view of the data frames
  int   cyc = 0;
  int   seed = 1;
  logic verbose = 1'b0;               // +verbose: one line per retirement-port record
  int   rnd;                          // $random state
  int   cfg = 0;
  int   item_idx = 0;
  int   lat = 1;                      // data-port latency of this configuration
  logic stalls = 1'b0;                // random ready on the data port

  // Program items.
  int          it_kind [MaxItems];
  int          it_page [MaxItems];
  int          it_size [MaxItems];
  int          it_data [MaxItems];    // register x9 + it_data
  logic [31:0] it_off  [MaxItems];
  logic [31:0] it_pc   [MaxItems];
  logic        it_mprv [MaxItems];    // an MPRV store of the M-mode prologue
  int          n_items;
  logic [31:0] end_pc;
  logic [31:0] xdata [4];             // x9..x12
  int          cap;
  int          err_idx;               // record slot whose word 1 fails once (-1: none)

  // Model.
  logic        m_en;
  int          m_idx, m_appends, m_fulls;
  logic        m_tlb_valid [4];
  logic        m_tlb_t [4];
  logic        m_pte_t;               // T of the traced 4 KiB page's PTE in memory
  logic        err_pending;
  logic        err_used;

  // Data port: one access in flight.
  logic        d_busy = 1'b0;
  int          d_due;
  logic        d_err;
  logic [31:0] d_rdata;
  logic        i_busy = 1'b0;
  logic        i_err;
  logic [31:0] i_rdata;

  // Handshakes since the current instruction entered EX.
  int          ex_start;
  int          hs_n;
  int          hs_cyc [8];
  logic [31:0] hs_addr [8];
  logic        hs_we [8];
  logic [3:0]  hs_be [8];
  logic [31:0] hs_wdata [8];
  int          rsp_cyc [8];           // cycle of each handshake's response

  // ------------------------------------------------------------------ encoders
  function automatic logic [31:0] enc_i(input logic [2:0] f3, input logic [4:0] rd,
                                        input logic [4:0] rs1, input logic [11:0] imm,
                                        input logic [6:0] op);
    return {imm, rs1, f3, rd, op};
  endfunction

  function automatic logic [31:0] enc_store(input int size, input logic [4:0] rs2,
                                            input logic [4:0] rs1, input logic [11:0] imm);
    return {imm[11:5], rs2, rs1, 3'(size), imm[4:0], 7'b0100011};
  endfunction

  function automatic logic [31:0] enc_csr(input logic [2:0] f3, input logic [4:0] rd,
                                          input logic [4:0] rs1, input logic [11:0] csr);
    return enc_i(f3, rd, rs1, csr, 7'b1110011);
  endfunction

  function automatic logic [31:0] enc_bne(input logic [4:0] rs1, input logic [4:0] rs2,
                                          input logic [12:0] off);
    return {off[12], off[10:5], rs2, rs1, 3'b001, off[4:1], off[11], 7'b1100011};
  endfunction

  localparam logic [31:0] InsnMret   = 32'h3020_0073;
  localparam logic [31:0] InsnEcall  = 32'h0000_0073;
  localparam logic [31:0] InsnSfence = 32'h1200_0073;
  localparam logic [31:0] InsnSpin   = 32'h0000_006f;   // jal x0, 0
  localparam logic [2:0]  CsrRw = 3'd1, CsrRs = 3'd2, CsrRc = 3'd3, CsrRwi = 3'd5;

  logic [31:0] pc_emit;

  task automatic emit(input logic [31:0] insn);
    mem[(pc_emit - RamBase) >> 2] = insn;
    pc_emit = pc_emit + 32'd4;
  endtask

  task automatic emit_li(input logic [4:0] rd, input logic [31:0] v);
    logic [31:0] hi;
    hi = (v + 32'h800) & 32'hffff_f000;
    emit({hi[31:12], rd, 7'b0110111});                               // lui
    emit(enc_i(3'd0, rd, rd, 12'(v - hi), 7'b0010011));              // addi
  endtask

  // ------------------------------------------------------------------ program
  function automatic logic [31:0] page_va(input int p);
    case (p)
      PageT:    return VaT;
      PageN:    return VaN;
      PageMega: return VaMega + MegaOff;
      default:  return VaRo;
    endcase
  endfunction

  function automatic logic [31:0] page_pa(input int p);
    case (p)
      PageT:    return FrameT;
      PageN:    return FrameN;
      PageMega: return RamBase + MegaOff;
      default:  return FrameRo;
    endcase
  endfunction

  task automatic add_store(input int page, input int size, input int data, input logic [31:0] off,
                           input logic mprv);
    it_kind[n_items] = ItStore;
    it_page[n_items] = page;
    it_size[n_items] = size;
    it_data[n_items] = data;
    it_off[n_items]  = off;
    it_mprv[n_items] = mprv;
    n_items++;
  endtask

  task automatic add_item(input int kind);
    it_kind[n_items] = kind;
    it_mprv[n_items] = 1'b0;
    it_page[n_items] = PageT;
    it_size[n_items] = 2;
    it_data[n_items] = 0;
    it_off[n_items]  = 32'd0;
    n_items++;
  endtask

  function automatic int urand(input int n);   // 0..n-1
    int v;
    v = $random(rnd);
    if (v < 0) v = -v;
    return v % n;
  endfunction

  // The directed list: every case once, in an order whose outcome is known.
  task automatic directed_items;
    // MPRV stores from M-mode (prologue): traced word, untraced word, traced megapage byte.
    add_store(PageT, 2, 0, 32'h010, 1'b1);
    add_store(PageN, 2, 1, 32'h014, 1'b1);
    add_store(PageMega, 0, 2, 32'h019, 1'b1);
    // S-mode: traced byte/half/word (TLB hits after the prologue's walk), untraced, megapage.
    add_store(PageT, 2, 3, 32'h120, 1'b0);
    add_store(PageT, 1, 0, 32'h126, 1'b0);
    add_store(PageT, 0, 1, 32'h12b, 1'b0);
    add_store(PageN, 1, 2, 32'h042, 1'b0);
    add_store(PageMega, 2, 3, 32'h100, 1'b0);
    add_store(PageRo, 2, 0, 32'h010, 1'b0);         // page fault: nothing logged (walk first)
    add_store(PageT, 2, 0, 32'h012, 1'b0);          // misaligned: nothing logged
    add_store(PageRo, 0, 0, 32'h013, 1'b0);         // page fault again, TLB hit
    add_item(ItEcall);                              // EN = 0
    add_store(PageT, 2, 1, 32'h050, 1'b0);          // not logged
    add_item(ItEcall);                              // EN = 1
    add_item(ItMarker);                             // PTE T := 0 in memory, no sfence
    add_store(PageT, 2, 2, 32'h054, 1'b0);          // still logged: T cached in the D-TLB
    add_item(ItSfence);
    add_store(PageT, 2, 2, 32'h058, 1'b0);          // walk, T = 0: not logged
    add_item(ItMarker);                             // PTE T := 1, no sfence
    add_store(PageT, 0, 3, 32'h05c, 1'b0);          // cached T = 0: not logged
    add_item(ItSfence);
    add_store(PageMega, 1, 1, 32'h202, 1'b0);       // megapage walk after the flush
    for (int i = 0; i < 10; i++)                    // fill the log: a full trap, drain, retry
      add_store(PageT, i % 3, i % 4, 32'h300 + 32'(8 * i), 1'b0);
  endtask

  task automatic random_items(input int n);
    int k, p, size;
    logic [31:0] off;
    for (int i = 0; i < n; i++) begin
      k = urand(100);
      if (k < 6) add_item(ItEcall);
      else if (k < 12) add_item(ItSfence);
      else if (k < 18) add_item(ItMarker);
      else begin
        k = urand(100);
        p = (k < 45) ? PageT : (k < 65) ? PageN : (k < 90) ? PageMega : PageRo;
        size = urand(3);
        off = 32'(urand(2048)) & ~((32'd1 << size) - 32'd1);
        if (size != 0 && urand(16) == 0) off = off | 32'd1;   // misaligned
        add_store(p, size, urand(4), off, 1'b0);
      end
    end
  endtask

  // Page tables, frames, code; the model's reset state.
  task automatic build_program(input int n_random);
    for (int i = 0; i < RamWords; i++) mem[i] = 32'h0;
    n_items = 0;
    directed_items();
    random_items(n_random);

    // Frames hold a pattern; the shadow starts equal.
    for (int i = 0; i < 1024; i++) begin
      mem[(FrameT - RamBase) / 4 + i]  = 32'hA000_0000 | 32'(i);
      mem[(FrameN - RamBase) / 4 + i]  = 32'hB000_0000 | 32'(i);
      mem[(FrameRo - RamBase) / 4 + i] = 32'hC000_0000 | 32'(i);
      mem[(MegaOff) / 4 + i]           = 32'hD000_0000 | 32'(i);
    end
    for (int i = 0; i < 2 * 4096 / 4; i++) mem[(Log - RamBase) / 4 + i] = 32'hDEAD_BEEF;
    // Sv32 tables: identity megapage for code (S, RWX), VA_PAGES through L0, a traced megapage.
    mem[(Root - RamBase) / 4 + (RamBase >> 22)] = ((RamBase >> 12) << 10) | PteV | PteR | PteW | PteX | PteA | PteD;
    mem[(Root - RamBase) / 4 + (VaT >> 22)]     = ((L0 >> 12) << 10) | PteV;
    mem[(Root - RamBase) / 4 + (VaMega >> 22)]  = ((RamBase >> 12) << 10) | PteV | PteR | PteW | PteA | PteD | PteT;
    mem[(L0 - RamBase) / 4 + ((VaT >> 12) & 32'h3ff)]  = ((FrameT >> 12) << 10) | PteV | PteR | PteW | PteA | PteD | PteT;
    mem[(L0 - RamBase) / 4 + ((VaN >> 12) & 32'h3ff)]  = ((FrameN >> 12) << 10) | PteV | PteR | PteW | PteA | PteD;
    mem[(L0 - RamBase) / 4 + ((VaRo >> 12) & 32'h3ff)] = ((FrameRo >> 12) << 10) | PteV | PteR | PteA | PteD | PteT;
    for (int i = 0; i < RamWords; i++) shadow[i] = mem[i];

    // M-mode prologue at RamBase.
    pc_emit = RamBase;
    emit_li(5'd31, Handler);
    emit(enc_csr(CsrRw, 5'd0, 5'd31, 12'h305));                 // mtvec
    emit_li(5'd31, 32'h8000_0000 | (Root >> 12));
    emit(enc_csr(CsrRw, 5'd0, 5'd31, 12'h180));                 // satp
    emit_li(5'd31, Log);
    emit(enc_csr(CsrRw, 5'd0, 5'd31, 12'h7C1));                 // mgwbbase
    emit_li(5'd31, 32'(cap));
    emit(enc_csr(CsrRw, 5'd0, 5'd31, 12'h7C3));                 // mgwbcap
    emit(enc_csr(CsrRwi, 5'd0, 5'd0, 12'h7C2));                 // mgwbidx = 0
    emit(enc_csr(CsrRwi, 5'd0, 5'd1, 12'h7C0));                 // mgwbctl.EN = 1
    emit_li(5'd5, VaT);
    emit_li(5'd6, VaN);
    emit_li(5'd7, VaMega + MegaOff);
    emit_li(5'd8, VaRo);
    for (int r = 0; r < 4; r++) emit_li(5'(9 + r), xdata[r]);
    emit_li(5'd31, 32'h0000_0800);                               // MPP = S
    emit(enc_csr(CsrRs, 5'd0, 5'd31, 12'h300));
    emit_li(5'd30, 32'h0002_0000);                               // MPRV
    emit(enc_csr(CsrRs, 5'd0, 5'd30, 12'h300));
    for (int i = 0; i < n_items; i++) begin
      if (it_mprv[i]) begin
        it_pc[i] = pc_emit;
        emit(enc_store(it_size[i], 5'(9 + it_data[i]), 5'(5 + it_page[i]), it_off[i][11:0]));
      end
    end
    emit(enc_csr(CsrRc, 5'd0, 5'd30, 12'h300));
    emit_li(5'd31, SCode);
    emit(enc_csr(CsrRw, 5'd0, 5'd31, 12'h341));                 // mepc
    emit(InsnMret);

    // Handler: cause 24 -> mgwbidx = 0, retry; ecall -> toggle EN; else skip.
    pc_emit = Handler;
    emit(enc_csr(CsrRs, 5'd31, 5'd0, 12'h342));                 // x31 = mcause
    emit(enc_i(3'd0, 5'd30, 5'd0, 12'd24, 7'b0010011));
    emit(enc_bne(5'd31, 5'd30, 13'd12));
    emit(enc_csr(CsrRwi, 5'd0, 5'd0, 12'h7C2));
    emit(InsnMret);
    emit(enc_i(3'd0, 5'd30, 5'd0, 12'd9, 7'b0010011));
    emit(enc_bne(5'd31, 5'd30, 13'd16));
    emit(enc_csr(CsrRs, 5'd29, 5'd0, 12'h7C0));
    emit(enc_i(3'd4, 5'd29, 5'd29, 12'd1, 7'b0010011));         // xori
    emit(enc_csr(CsrRw, 5'd0, 5'd29, 12'h7C0));
    emit(enc_csr(CsrRs, 5'd31, 5'd0, 12'h341));
    emit(enc_i(3'd0, 5'd31, 5'd31, 12'd4, 7'b0010011));
    emit(enc_csr(CsrRw, 5'd0, 5'd31, 12'h341));
    emit(InsnMret);

    // S-mode items.
    pc_emit = SCode;
    for (int i = 0; i < n_items; i++) begin
      if (!it_mprv[i]) begin
        it_pc[i] = pc_emit;
        case (it_kind[i])
          ItStore:  emit(enc_store(it_size[i], 5'(9 + it_data[i]), 5'(5 + it_page[i]), it_off[i][11:0]));
          ItEcall:  emit(InsnEcall);
          ItSfence: emit(InsnSfence);
          default:  emit(enc_i(3'd0, 5'd0, 5'd0, 12'(i + 1), 7'b0010011));   // marker: addi x0, x0, i+1
        endcase
      end
    end
    end_pc = pc_emit;
    emit(InsnSpin);

    m_en = 1'b1;
    m_idx = 0;
    m_appends = 0;
    m_fulls = 0;
    for (int p = 0; p < 4; p++) begin
      m_tlb_valid[p] = 1'b0;
      m_tlb_t[p]     = 1'b0;
    end
    m_pte_t = 1'b1;
    err_pending = (err_idx >= 0);
  endtask

  // ------------------------------------------------------------------ memory model
  function automatic logic in_ram(input logic [31:0] a);
    return (a >= RamBase) && (a < RamBase + 32'(RamWords * 4));
  endfunction

  function automatic logic [31:0] lanes(input logic [3:0] be);
    return {{8{be[3]}}, {8{be[2]}}, {8{be[1]}}, {8{be[0]}}};
  endfunction

  // ------------------------------------------------------------------ one cycle
  logic        running = 1'b0;
  logic        hs_now;
  logic [31:0] a;
  int          last_rvfi_cyc;
  logic        checking;            // between the end of the prologue's setup and end_pc
  logic        done_run;

  always @(posedge clk_i) cyc <= rst_ni ? cyc + 1 : 0;

  // Drive the inputs of the cycle, then look at the outputs.
  always @(negedge clk_i) begin
    if (running) begin
      data_rsp_valid_i = d_busy && (d_due == cyc);
      data_rsp_err_i   = data_rsp_valid_i && d_err;
      data_rsp_rdata_i = data_rsp_valid_i ? d_rdata : 32'd0;
      if (data_rsp_valid_i) d_busy = 1'b0;
      imem_rsp_valid_i = i_busy;
      imem_rsp_err_i   = i_busy && i_err;
      imem_rsp_rdata_i = i_busy ? i_rdata : 32'd0;
      i_busy = 1'b0;
      data_req_ready_i = stalls ? (urand(10) < 7) : 1'b1;
      imem_req_ready_i = 1'b1;
      #1;
      if (imem_req_valid_o) begin
        i_busy  = 1'b1;
        i_err   = !in_ram(imem_req_addr_o);
        i_rdata = i_err ? 32'd0 : mem[(imem_req_addr_o - RamBase) >> 2];
        // Reset vector 0x1000: lui x31, 0x80000; jalr x0, 0(x31).
        if (imem_req_addr_o == 32'h1000) {i_err, i_rdata} = {1'b0, 32'h8000_0fb7};
        if (imem_req_addr_o == 32'h1004) {i_err, i_rdata} = {1'b0, 32'h000f_8067};
      end
      if (dut.ex_first && (cyc != ex_start) && ((ex_start <= last_rvfi_cyc) || (ex_start < 0))) begin
        ex_start = cyc;
        hs_n     = 0;
      end
      hs_now = data_req_valid_o && data_req_ready_i;
      if (hs_now) begin
        if (d_busy) `FAIL(90, "second data request while one is in flight")
        a = data_req_addr_o;
        d_busy = 1'b1;
        d_due  = cyc + lat;
        d_err  = !in_ram(a);
        if (!d_err && err_pending && (a == Log + 32'(8 * err_idx) + 32'd4) && data_req_we_o) begin
          d_err = 1'b1;                 // the one-shot record-word failure
          err_pending = 1'b0;
        end
        d_rdata = d_err ? 32'd0 : mem[(a - RamBase) >> 2];
        if (!d_err && data_req_we_o)
          mem[(a - RamBase) >> 2] = (mem[(a - RamBase) >> 2] & ~lanes(data_req_be_o)) |
                                    (data_req_wdata_o & lanes(data_req_be_o));
        if (hs_n < 8) begin
          hs_cyc[hs_n]   = cyc;
          hs_addr[hs_n]  = a;
          hs_we[hs_n]    = data_req_we_o;
          hs_be[hs_n]    = data_req_be_o;
          hs_wdata[hs_n] = data_req_wdata_o;
          rsp_cyc[hs_n]  = cyc + lat;
        end
        hs_n++;
      end
      if (rvfi_valid_o) begin
        if (verbose)
          $display("tb_umbra_gwb: cycle %0d pc %08h insn %08h m%0d trap %0d cause %0d gwb %0d %08h %08h %08h (ex %0d, %0d accesses)",
                   cyc, rvfi_pc_rdata_o, rvfi_insn_o, rvfi_mode_o, rvfi_trap_o, rvfi_trap_cause_o,
                   rvfi_gwb_valid_o, rvfi_gwb_addr_o, rvfi_gwb_word0_o, rvfi_gwb_word1_o, ex_start, hs_n);
        check_rvfi();
        last_rvfi_cyc = cyc;
      end
    end
  end

  // ------------------------------------------------------------------ checks
  int          n_exp;
  int          e_cyc [8];
  logic [31:0] e_addr [8];
  logic        e_we [8];
  logic [3:0]  e_be [8];
  logic [31:0] e_wdata [8];

  task automatic exp_access(input int c, input logic [31:0] addr, input logic we,
                            input logic [3:0] be, input logic [31:0] wdata);
    e_cyc[n_exp]   = c;
    e_addr[n_exp]  = addr;
    e_we[n_exp]    = we;
    e_be[n_exp]    = be;
    e_wdata[n_exp] = wdata;
    n_exp++;
  endtask

  // Compares the handshakes of this instruction with the expected ones.
  task automatic check_accesses(input int case_no);
    `EXPECT(case_no, hs_n, n_exp)
    for (int i = 0; i < n_exp; i++) begin
      `EXPECT(case_no, hs_addr[i], e_addr[i])
      `EXPECT(case_no, hs_we[i], e_we[i])
      if (e_we[i]) begin
        `EXPECT(case_no, hs_be[i], e_be[i])
        `EXPECT(case_no, hs_wdata[i] & lanes(e_be[i]), e_wdata[i] & lanes(e_be[i]))
      end
      if (!stalls) `EXPECT(case_no, hs_cyc[i], e_cyc[i])
      if (stalls && i > 0) begin
        // Requests follow each other: none before the previous response.
        if (hs_cyc[i] < rsp_cyc[i - 1]) `FAIL(case_no, "request before the previous response")
      end
    end
  endtask

  // The PTE reads of a walk for page p starting at EX cycle t; fill = the cycle of the TLB fill.
  task automatic exp_walk(input int p, input logic [31:0] va, input int t, output int fill);
    exp_access(t + 1, Root + ((va >> 22) << 2), 1'b0, 4'hf, 32'd0);
    fill = t + 1 + lat;
    if (p != PageMega) begin
      exp_access(t + 2 + lat, L0 + (((va >> 12) & 32'h3ff) << 2), 1'b0, 4'hf, 32'd0);
      fill = t + 2 + 2 * lat;
    end
  endtask

  logic [31:0] exp_pc;

  task automatic check_rvfi;
    int          p, t, s, fill, size;
    logic [31:0] va, pa, data, w0, w1, rec, mask;
    logic        traced, was_hit;

    begin : check
      if (rvfi_pc_rdata_o == end_pc && rvfi_mode_o == 2'd1) begin
        done_run = 1'b1;
        disable check;
      end
      // Only the items' records are checked (prologue and handler records are not items).
      if (item_idx >= n_items) disable check;
      if (rvfi_pc_rdata_o != it_pc[item_idx]) disable check;
      `EXPECT(1, rvfi_mode_o, it_mprv[item_idx] ? 2'd3 : 2'd1)
      t = ex_start;
      n_exp = 0;

      case (it_kind[item_idx])
        ItEcall: begin
          `EXPECT(2, {rvfi_trap_o, rvfi_trap_cause_o}, {1'b1, 32'd9})
          m_en = !m_en;
          item_idx++;
        end
        ItSfence: begin
          `EXPECT(3, rvfi_trap_o, 1'b0)
          for (int i = 0; i < 4; i++) m_tlb_valid[i] = 1'b0;
          item_idx++;
        end
        ItMarker: begin
          `EXPECT(4, rvfi_trap_o, 1'b0)
          m_pte_t = !m_pte_t;
          mem[(L0 - RamBase) / 4 + ((VaT >> 12) & 32'h3ff)] =
            ((FrameT >> 12) << 10) | PteV | PteR | PteW | PteA | PteD | (m_pte_t ? PteT : 32'd0);
          item_idx++;
        end
        default: begin   // a store
          p    = it_page[item_idx];
          size = it_size[item_idx];
          va   = page_va(p) + it_off[item_idx];
          pa   = page_pa(p) + it_off[item_idx];
          data = xdata[it_data[item_idx]];
          mask = (size == 0) ? 32'hff : (size == 1) ? 32'hffff : 32'hffff_ffff;
          `EXPECT(5, rvfi_insn_o[6:0], 7'b0100011)
          if ((size == 1 && va[0]) || (size == 2 && va[1:0] != 2'b00)) begin
            // 6: misaligned: trapped in the first cycle, before translation; nothing logged.
            check_accesses(6);
            `EXPECT(6, {rvfi_trap_o, rvfi_trap_cause_o}, {1'b1, 32'd6})
            `EXPECT(6, cyc, t)
            `EXPECT(6, rvfi_gwb_valid_o, 1'b0)
            item_idx++;
            disable check;
          end
          was_hit = m_tlb_valid[p];
          fill = t - 1;
          if (!was_hit) begin
            exp_walk(p, va, t, fill);
            m_tlb_valid[p] = 1'b1;
            m_tlb_t[p] = (p == PageT) ? m_pte_t : (p != PageN);
          end
          s = was_hit ? t : fill + 1;    // the cycle the translation answers
          if (p == PageRo) begin
            // 7: a page fault logs nothing, not even when the log is full.
            check_accesses(7);
            `EXPECT(7, {rvfi_trap_o, rvfi_trap_cause_o}, {1'b1, 32'd15})
            if (!stalls) `EXPECT(7, cyc, s)
            `EXPECT(7, rvfi_gwb_valid_o, 1'b0)
            item_idx++;
            disable check;
          end
          traced = m_en && m_tlb_t[p];
          rec = Log + 32'(8 * m_idx);
          if (traced && m_idx >= cap) begin
            // 8: GWB full: cause 24 in M, no store, no record; mepc/mtval next cycle.
            check_accesses(8);
            `EXPECT(8, {rvfi_trap_o, rvfi_trap_cause_o}, {1'b1, 32'd24})
            if (!stalls) `EXPECT(8, cyc, s)
            `EXPECT(8, rvfi_gwb_valid_o, 1'b0)
            `EXPECT(8, dut.exc_tval, va)
            check_full_csrs(va, it_pc[item_idx]);
            m_fulls++;
            m_idx = 0;                    // the handler drains; the same item comes again
            disable check;
          end
          exp_access(s, pa & ~32'd3, 1'b1, 4'(((size == 0) ? 4'b0001 : (size == 1) ? 4'b0011 : 4'b1111) << va[1:0]),
                     data << {va[1:0], 3'b000});
          w0 = {pa[31:2], 2'(size)};
          w1 = data & mask;
          for (int b = 0; b < 4; b++)
            if (b >= va[1:0] && b < va[1:0] + (1 << size))
              shadow[(pa - RamBase) >> 2][8 * b +: 8] = data[8 * (b - int'(va[1:0])) +: 8];
          if (traced) begin
            exp_access(s + lat, rec, 1'b1, 4'hf, w0);
            exp_access(s + 2 * lat, rec + 32'd4, 1'b1, 4'hf, w1);
          end
          check_accesses(9);
          if (!stalls) `EXPECT(9, cyc, traced ? s + 3 * lat : s + lat)
          if (stalls) `EXPECT(9, cyc, rsp_cyc[n_exp - 1])
          if (traced && err_idx >= 0 && m_idx == err_idx && !err_used) begin
            // 10: record word 1 failed: store access fault, mtval = va, mgwbidx kept.
            err_used = 1'b1;
            `EXPECT(10, {rvfi_trap_o, rvfi_trap_cause_o}, {1'b1, 32'd7})
            `EXPECT(10, dut.exc_tval, va)
            `EXPECT(10, rvfi_gwb_valid_o, 1'b0)
            item_idx++;
            disable check;
          end
          // 11: retired; the RVFI record carries the append and memory holds it.
          `EXPECT(11, rvfi_trap_o, 1'b0)
          `EXPECT(11, rvfi_mem_addr_o, va)
          `EXPECT(11, rvfi_gwb_valid_o, traced)
          if (traced) begin
            `EXPECT(11, rvfi_gwb_addr_o, rec)
            `EXPECT(11, rvfi_gwb_word0_o, w0)
            `EXPECT(11, rvfi_gwb_word1_o, w1)
            `EXPECT(11, mem[(rec - RamBase) >> 2], w0)
            `EXPECT(11, mem[(rec + 4 - RamBase) >> 2], w1)
            `EXPECT(11, dut.u_csr.gwb_idx_q, 13'(m_idx))
            m_idx++;
            m_appends++;
          end
          item_idx++;
        end
      endcase
  end
  endtask

  // The CSRs written by the full trap, seen in the next cycle.
  task automatic check_full_csrs(input logic [31:0] va, input logic [31:0] pc);
    fork
      begin
        @(posedge clk_i);
        #1;
        `EXPECT(8, dut.u_csr.mcause_q, 32'd24)
        `EXPECT(8, dut.u_csr.mtval_q, va)
        `EXPECT(8, dut.u_csr.mepc_q, pc)
        `EXPECT(8, dut.u_csr.priv_q, 2'd3)
      end
    join_none
  endtask

  // ------------------------------------------------------------------ runs
  task automatic run_config(input int c, input int latency, input logic stall, input int n_random);
    int budget;
    cfg     = c;
    lat     = latency;
    stalls  = stall;
    rnd     = seed * 7919 + c;
    cap     = 1 << (2 + urand(2));                 // 4 or 8 records
    // Not 0 or 1: the prologue's MPRV stores append those, and a trap from M-mode
    // there would leave MPP = U for the mret to S.
    err_idx = (c == 0) ? 2 : ((urand(2) == 0) ? -1 : 2 + urand(cap - 2));
    for (int r = 0; r < 4; r++) xdata[r] = $random(rnd);
    build_program(n_random);
    item_idx = 0;
    err_used = 1'b0;
    done_run = 1'b0;
    ex_start = -1;
    last_rvfi_cyc = -1;
    hs_n = 0;
    d_busy = 1'b0;
    i_busy = 1'b0;
    @(negedge clk_i);
    rst_ni = 1'b0;
    running = 1'b0;
    data_req_ready_i = 1'b0;
    imem_req_ready_i = 1'b0;
    data_rsp_valid_i = 1'b0;
    imem_rsp_valid_i = 1'b0;
    @(negedge clk_i);
    @(negedge clk_i);
    rst_ni  = 1'b1;
    running = 1'b1;
    budget = 200000;
    while (!done_run && budget > 0) begin
      @(posedge clk_i);
      budget--;
    end
    running = 1'b0;
    if (!done_run) `FAIL(20, "the program did not reach its end")
    // 21: every item ran; model and DUT agree on the GWB state and memory.
    `EXPECT(21, item_idx, n_items)
    `EXPECT(21, dut.u_csr.gwb_idx_q, 13'(m_idx))
    `EXPECT(21, dut.u_csr.hpm_q[3], 64'(m_appends))
    `EXPECT(21, dut.u_csr.hpm_q[4], 64'(m_fulls))
    `EXPECT(21, dut.u_csr.gwb_en_q, m_en)
    for (int i = 0; i < 1024; i++) begin
      `EXPECT(22, mem[(FrameT - RamBase) / 4 + i], shadow[(FrameT - RamBase) / 4 + i])
      `EXPECT(22, mem[(FrameN - RamBase) / 4 + i], shadow[(FrameN - RamBase) / 4 + i])
      `EXPECT(22, mem[(FrameRo - RamBase) / 4 + i], shadow[(FrameRo - RamBase) / 4 + i])
      `EXPECT(22, mem[MegaOff / 4 + i], shadow[MegaOff / 4 + i])
    end
    $display("tb_umbra_gwb: config %0d (latency %0d, port stalls %0d): %0d items, %0d appends, %0d full traps, %0d cycles",
             c, latency, stall, n_items, m_appends, m_fulls, cyc);
  endtask

  initial begin
    if (!$value$plusargs("seed=%d", seed)) seed = 1;
    verbose = $test$plusargs("verbose");
    run_config(0, 1, 1'b0, 0);      // directed only
    run_config(1, 2, 1'b0, 0);
    run_config(2, 1, 1'b0, 150);    // directed + random
    run_config(3, 2, 1'b0, 150);
    run_config(4, 3, 1'b0, 150);
    run_config(5, 2, 1'b1, 150);    // random port stalls
    $display("PASS tb_umbra_gwb");
    $finish;
  end
endmodule

`default_nettype wire
