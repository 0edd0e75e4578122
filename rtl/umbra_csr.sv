// umbra_csr: machine and supervisor CSRs, privilege state, trap entry/return,
// interrupt selection, the counters (mcycle, minstret, mhpmcounter3..7) and,
// with Gwb = 1, the GWB CSRs mgwbctl/mgwbbase/mgwbidx/mgwbcap (SPEC §3,
// docs/gwb.md). All updates happen at the end of the cycle the core reports
// an event in; reads and the legality check are combinational.
`default_nettype none

module umbra_csr
#(
  parameter bit Gwb = 1'b1   // 0: the GWB CSRs are illegal, mhpmcounter6/7 read 0
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  // CSR instruction in EX.
  input  logic [11:0] csr_addr_i,
  input  logic [1:0]  csr_op_i,
  input  logic        csr_write_i,   // the instruction writes (rw, or rs/rc with a non-zero operand)
  input  logic [31:0] csr_wdata_i,   // rs1 value or zimm
  input  logic        csr_commit_i,  // the CSR instruction retires this cycle
  output logic [31:0] csr_rdata_o,
  output logic        csr_illegal_o, // access not allowed for this address/privilege

  // Traps and returns, in the cycle the instruction leaves EX.
  input  logic        exc_i,
  input  logic [4:0]  exc_cause_i,
  input  logic [31:0] exc_tval_i,
  input  logic [31:0] exc_pc_i,      // mepc/sepc value (also for interrupts)
  input  logic        irq_take_i,    // take irq_cause now
  input  logic        mret_i,
  input  logic        sret_i,
  input  logic        retire_i,
  output logic [31:0] trap_pc_o,     // handler for exc_i / irq_take_i
  output logic [31:0] trap_cause_o,  // mcause/scause value written by exc_i / irq_take_i
  output logic [31:0] mepc_o,
  output logic [31:0] sepc_o,
  output logic        irq_pending_o, // an enabled interrupt must be taken before the next insn
  output logic        wfi_wake_o,    // some interrupt is pending and enabled in mie

  // Translation and trap context.
  output logic [1:0]  priv_o,
  output logic        mprv_o,
  output logic [1:0]  mpp_o,
  output logic        sum_o,
  output logic        mxr_o,
  output logic        tvm_o,
  output logic        tw_o,
  output logic        tsr_o,
  output logic        satp_mode_o,
  output logic [21:0] satp_ppn_o,
  output logic        satp_write_o,  // satp written this cycle: flush the TLBs

  // Interrupt lines and time.
  input  logic        mtip_i,
  input  logic        msip_i,
  input  logic        meip_i,
  input  logic        seip_i,
  input  logic [63:0] mtime_i,

  // Events for mhpmcounter3..5: I-TLB miss, D-TLB miss, walker busy.
  input  logic [2:0]  hpm_event_i,

  // GWB: state for the LSU; gwb_append_i = a record was written this cycle
  // (mgwbidx += 1, mhpmcounter6 += 1). GWB-full traps (exc_i with cause 24)
  // count in mhpmcounter7.
  output logic        gwb_en_o,
  output logic [31:3] gwb_base_o,
  output logic [12:0] gwb_idx_o,
  output logic [12:0] gwb_cap_o,
  input  logic        gwb_append_i
);
  localparam logic [31:0] MisaValue      = 32'h4014_1100;  // RV32 I M S U
  localparam logic [31:0] MimpidValue    = 32'h756D_6272;  // "umbr": lets firmware tell umbra from QEMU
  localparam logic [31:0] MstatusMask    = 32'h007E_19AA;
  localparam logic [31:0] SstatusMask    = 32'h000C_0122;
  localparam logic [31:0] MedelegMask    = 32'h0000_B3FF;  // all but ecall from M
  localparam logic [31:0] MidelegMask    = 32'h0000_0222;  // S-level interrupts
  localparam logic [31:0] MieMask        = 32'h0000_0AAA;
  localparam logic [31:0] MipSwMask      = 32'h0000_0222;  // SSIP STIP SEIP writable by M
  localparam logic [31:0] McountinhibitMask = 32'h0000_00FD;
  localparam int NumHpm = 5;                      // mhpmcounter3..7 (6, 7 only with Gwb)
  localparam logic [12:0] GwbCapMax = 13'd4096;

  logic [1:0]  priv_q, priv_d;
  logic [31:0] mstatus_q, mstatus_d;
  logic [31:0] medeleg_q, medeleg_d;
  logic [31:0] mideleg_q, mideleg_d;
  logic [31:0] mie_q, mie_d;
  logic [31:0] mip_sw_q, mip_sw_d;
  logic [31:0] mtvec_q, mtvec_d;
  logic [31:0] stvec_q, stvec_d;
  logic [31:0] mcounteren_q, mcounteren_d;
  logic [31:0] scounteren_q, scounteren_d;
  logic [31:0] mcountinhibit_q, mcountinhibit_d;
  logic [31:0] mscratch_q, mscratch_d;
  logic [31:0] sscratch_q, sscratch_d;
  logic [31:0] mepc_q, mepc_d;
  logic [31:0] sepc_q, sepc_d;
  logic [31:0] mcause_q, mcause_d;
  logic [31:0] scause_q, scause_d;
  logic [31:0] mtval_q, mtval_d;
  logic [31:0] stval_q, stval_d;
  logic [31:0] satp_q, satp_d;
  logic [63:0] mcycle_q, mcycle_d;
  logic [63:0] minstret_q, minstret_d;
  logic [63:0] hpm_q [NumHpm];
  logic [63:0] hpm_d [NumHpm];
  logic [NumHpm-1:0] hpm_event;
  logic        gwb_en_q, gwb_en_d;
  logic [31:3] gwb_base_q, gwb_base_d;
  logic [12:0] gwb_idx_q, gwb_idx_d;
  logic [12:0] gwb_cap_q, gwb_cap_d;

  // ---------------------------------------------------------------------
  // Interrupts.
  logic [31:0] mip;
  logic [31:0] pending;
  logic [31:0] m_pending;
  logic [31:0] s_pending;
  logic        m_enabled, s_enabled;

  assign mip = (mip_sw_q & MipSwMask) |
               (32'(meip_i) << umbra_pkg::IrqME) | (32'(mtip_i) << umbra_pkg::IrqMT) |
               (32'(msip_i) << umbra_pkg::IrqMS) | (32'(seip_i) << umbra_pkg::IrqSE);
  assign pending   = mip & mie_q;
  assign m_enabled = (priv_q != umbra_pkg::PrivM) || mstatus_q[umbra_pkg::MstatusMie];
  assign s_enabled = (priv_q == umbra_pkg::PrivU) || ((priv_q == umbra_pkg::PrivS) && mstatus_q[umbra_pkg::MstatusSie]);
  assign m_pending = m_enabled ? (pending & ~mideleg_q) : 32'b0;
  assign s_pending = s_enabled ? (pending & mideleg_q) : 32'b0;
  assign wfi_wake_o = (pending != 32'b0);

  // Priority: MEI, MSI, MTI, SEI, SSI, STI; machine-level first.
  function automatic logic [4:0] irq_pick(input logic [31:0] p);
    if (p[umbra_pkg::IrqME])      irq_pick = 5'(umbra_pkg::IrqME);
    else if (p[umbra_pkg::IrqMS]) irq_pick = 5'(umbra_pkg::IrqMS);
    else if (p[umbra_pkg::IrqMT]) irq_pick = 5'(umbra_pkg::IrqMT);
    else if (p[umbra_pkg::IrqSE]) irq_pick = 5'(umbra_pkg::IrqSE);
    else if (p[umbra_pkg::IrqSS]) irq_pick = 5'(umbra_pkg::IrqSS);
    else               irq_pick = 5'(umbra_pkg::IrqST);
  endfunction

  logic       irq_to_s;
  logic [4:0] irq_cause;   // the interrupt irq_take_i takes
  assign irq_to_s      = (m_pending == 32'b0);
  assign irq_pending_o = (m_pending != 32'b0) || (s_pending != 32'b0);
  assign irq_cause   = irq_to_s ? irq_pick(s_pending) : irq_pick(m_pending);

  // ---------------------------------------------------------------------
  // Trap target.
  logic        trap_to_s;
  logic [31:2] tvec_base;
  logic        tvec_vectored;
  assign trap_to_s = irq_take_i ? irq_to_s
                                : ((priv_q != umbra_pkg::PrivM) && medeleg_q[exc_cause_i]);
  assign tvec_base     = trap_to_s ? stvec_q[31:2] : mtvec_q[31:2];
  assign tvec_vectored = trap_to_s ? stvec_q[0] : mtvec_q[0];
  assign trap_cause_o = irq_take_i ? {1'b1, 26'b0, irq_cause} : {27'b0, exc_cause_i};
  assign trap_pc_o = (irq_take_i && tvec_vectored) ? {tvec_base, 2'b00} + {25'b0, irq_cause, 2'b00}
                                                    : {tvec_base, 2'b00};

  // ---------------------------------------------------------------------
  // CSR read and legality.
  logic        is_counter;      // cycle/time/instret/hpmcounter (user view)
  logic [4:0]  counter_idx;
  logic        counter_allowed;
  logic        exists;
  logic [31:0] rdata;

  assign counter_idx = csr_addr_i[4:0];
  assign is_counter  = (csr_addr_i[11:5] == 7'b1100_000) || (csr_addr_i[11:5] == 7'b1100_100);
  assign counter_allowed = (priv_q == umbra_pkg::PrivM) ||
                           ((priv_q == umbra_pkg::PrivS) && mcounteren_q[counter_idx]) ||
                           ((priv_q == umbra_pkg::PrivU) && mcounteren_q[counter_idx] &&
                            scounteren_q[counter_idx]);

  function automatic logic [63:0] counter_value(input logic [4:0] idx,
                                                input logic [63:0] cyc,
                                                input logic [63:0] tim,
                                                input logic [63:0] ret,
                                                input logic [63:0] h3,
                                                input logic [63:0] h4,
                                                input logic [63:0] h5,
                                                input logic [63:0] h6,
                                                input logic [63:0] h7);
    unique case (idx)
      5'd0:    counter_value = cyc;
      5'd1:    counter_value = tim;
      5'd2:    counter_value = ret;
      5'd3:    counter_value = h3;
      5'd4:    counter_value = h4;
      5'd5:    counter_value = h5;
      5'd6:    counter_value = Gwb ? h6 : 64'b0;
      5'd7:    counter_value = Gwb ? h7 : 64'b0;
      default: counter_value = 64'b0;
    endcase
  endfunction

  logic [63:0] cnt;
  assign cnt = counter_value(counter_idx, mcycle_q, mtime_i, minstret_q,
                             hpm_q[0], hpm_q[1], hpm_q[2], hpm_q[3], hpm_q[4]);

  always_comb begin
    exists = 1'b1;
    rdata  = 32'b0;
    unique casez (csr_addr_i)
      umbra_pkg::CsrSstatus:    rdata = mstatus_q & SstatusMask;
      umbra_pkg::CsrSie:        rdata = mie_q & mideleg_q;
      umbra_pkg::CsrStvec:      rdata = stvec_q;
      umbra_pkg::CsrScounteren: rdata = scounteren_q;
      umbra_pkg::CsrSenvcfg:    rdata = 32'b0;
      umbra_pkg::CsrSscratch:   rdata = sscratch_q;
      umbra_pkg::CsrSepc:       rdata = sepc_q;
      umbra_pkg::CsrScause:     rdata = scause_q;
      umbra_pkg::CsrStval:      rdata = stval_q;
      umbra_pkg::CsrSip:        rdata = mip & mideleg_q;
      umbra_pkg::CsrSatp:       rdata = satp_q;
      umbra_pkg::CsrMstatus:    rdata = mstatus_q;
      umbra_pkg::CsrMisa:       rdata = MisaValue;
      umbra_pkg::CsrMedeleg:    rdata = medeleg_q;
      umbra_pkg::CsrMideleg:    rdata = mideleg_q;
      umbra_pkg::CsrMie:        rdata = mie_q;
      umbra_pkg::CsrMtvec:      rdata = mtvec_q;
      umbra_pkg::CsrMcounteren: rdata = mcounteren_q;
      umbra_pkg::CsrMenvcfg, umbra_pkg::CsrMenvcfgh, umbra_pkg::CsrMstatush: rdata = 32'b0;
      umbra_pkg::CsrMcountinhibit: rdata = mcountinhibit_q;
      12'b0011_0010_0011, 12'b0011_0010_01??,               // mhpmevent3..7
      12'b0011_0010_1???, 12'b0011_0011_????: rdata = 32'b0; // mhpmevent8..31
      umbra_pkg::CsrMscratch:   rdata = mscratch_q;
      umbra_pkg::CsrMepc:       rdata = mepc_q;
      umbra_pkg::CsrMcause:     rdata = mcause_q;
      umbra_pkg::CsrMtval:      rdata = mtval_q;
      umbra_pkg::CsrMip:        rdata = mip;
      umbra_pkg::CsrMgwbctl:  begin exists = Gwb; rdata = {31'b0, gwb_en_q}; end
      umbra_pkg::CsrMgwbbase: begin exists = Gwb; rdata = {gwb_base_q, 3'b000}; end
      umbra_pkg::CsrMgwbidx:  begin exists = Gwb; rdata = {19'b0, gwb_idx_q}; end
      umbra_pkg::CsrMgwbcap:  begin exists = Gwb; rdata = {19'b0, gwb_cap_q}; end
      12'b0011_1010_00??: rdata = 32'b0;                      // pmpcfg0..3
      12'b0011_1011_????: rdata = 32'b0;                      // pmpaddr0..15
      12'b1011_000?_????: begin                               // mcycle, minstret, mhpmcounter
        exists = (csr_addr_i[4:0] != 5'd1);
        rdata  = cnt[31:0];
      end
      12'b1011_100?_????: begin                               // ...h
        exists = (csr_addr_i[4:0] != 5'd1);
        rdata  = cnt[63:32];
      end
      12'b1100_000?_????: rdata = cnt[31:0];                  // cycle, time, instret, hpmcounter
      12'b1100_100?_????: rdata = cnt[63:32];
      umbra_pkg::CsrMimpid: rdata = MimpidValue;
      umbra_pkg::CsrMvendorid, umbra_pkg::CsrMarchid, umbra_pkg::CsrMhartid,
      umbra_pkg::CsrMconfigptr: rdata = 32'b0;
      default: exists = 1'b0;
    endcase
  end

  assign csr_rdata_o   = rdata;
  assign csr_illegal_o = !exists ||
                         (csr_addr_i[9:8] > priv_q) ||
                         (csr_write_i && (csr_addr_i[11:10] == 2'b11)) ||
                         ((csr_addr_i == umbra_pkg::CsrSatp) && (priv_q == umbra_pkg::PrivS) && mstatus_q[umbra_pkg::MstatusTvm]) ||
                         (is_counter && !counter_allowed);

  // Value to write: read-modify-write uses the software-visible mip bits.
  logic [31:0] old_value;
  logic [31:0] wval;
  assign old_value = ((csr_addr_i == umbra_pkg::CsrMip) || (csr_addr_i == umbra_pkg::CsrSip)) ? (mip_sw_q & MipSwMask)
                                                                          : rdata;
  always_comb begin
    unique case (csr_op_i)
      umbra_pkg::CsrRs:   wval = old_value | csr_wdata_i;
      umbra_pkg::CsrRc:   wval = old_value & ~csr_wdata_i;
      default: wval = csr_wdata_i;
    endcase
  end

  logic       do_write;
  logic [2:0] hpm_idx;      // mhpmcounter3..7 -> 0..4
  assign hpm_idx   = 3'(csr_addr_i[4:0] - 5'd3);
  assign do_write     = csr_commit_i && csr_write_i;
  assign satp_write_o = do_write && (csr_addr_i == umbra_pkg::CsrSatp);

  // ---------------------------------------------------------------------
  // Next state.
  logic [1:0] new_mpp;

  always_comb begin
    priv_d          = priv_q;
    mstatus_d       = mstatus_q;
    medeleg_d       = medeleg_q;
    mideleg_d       = mideleg_q;
    mie_d           = mie_q;
    mip_sw_d        = mip_sw_q;
    mtvec_d         = mtvec_q;
    stvec_d         = stvec_q;
    mcounteren_d    = mcounteren_q;
    scounteren_d    = scounteren_q;
    mcountinhibit_d = mcountinhibit_q;
    mscratch_d      = mscratch_q;
    sscratch_d      = sscratch_q;
    mepc_d          = mepc_q;
    sepc_d          = sepc_q;
    mcause_d        = mcause_q;
    scause_d        = scause_q;
    mtval_d         = mtval_q;
    stval_d         = stval_q;
    satp_d          = satp_q;
    gwb_en_d        = gwb_en_q;
    gwb_base_d      = gwb_base_q;
    gwb_idx_d       = gwb_idx_q;
    gwb_cap_d       = gwb_cap_q;
    new_mpp         = wval[12:11];

    // Counters count first; an explicit write below wins.
    mcycle_d   = mcountinhibit_q[0] ? mcycle_q : mcycle_q + 64'd1;
    minstret_d = (retire_i && !mcountinhibit_q[2]) ? minstret_q + 64'd1 : minstret_q;
    for (int i = 0; i < NumHpm; i++) begin
      hpm_d[i] = (hpm_event[i] && !mcountinhibit_q[3 + i]) ? hpm_q[i] + 64'd1 : hpm_q[i];
    end
    if (Gwb && gwb_append_i) gwb_idx_d = gwb_idx_q + 13'd1;

    if (do_write) begin
      unique casez (csr_addr_i)
        umbra_pkg::CsrMstatus: begin
          if (new_mpp == 2'b10) new_mpp = mstatus_q[12:11];
          mstatus_d = (mstatus_q & ~MstatusMask) | (wval & MstatusMask);
          mstatus_d[12:11] = new_mpp;
        end
        umbra_pkg::CsrSstatus:    mstatus_d = (mstatus_q & ~SstatusMask) | (wval & SstatusMask);
        umbra_pkg::CsrMedeleg:    medeleg_d = wval & MedelegMask;
        umbra_pkg::CsrMideleg:    mideleg_d = wval & MidelegMask;
        umbra_pkg::CsrMie:        mie_d = wval & MieMask;
        umbra_pkg::CsrSie:        mie_d = (mie_q & ~mideleg_q) | (wval & mideleg_q & MieMask);
        umbra_pkg::CsrMip:        mip_sw_d = wval & MipSwMask;
        umbra_pkg::CsrSip:        mip_sw_d = (mip_sw_q & ~(mideleg_q & 32'h2)) | (wval & mideleg_q & 32'h2);
        umbra_pkg::CsrMtvec:      if (wval[1:0] < 2'd2) mtvec_d = {wval[31:2], 1'b0, wval[0]};
        umbra_pkg::CsrStvec:      if (wval[1:0] < 2'd2) stvec_d = {wval[31:2], 1'b0, wval[0]};
        umbra_pkg::CsrMcounteren: mcounteren_d = wval;
        umbra_pkg::CsrScounteren: scounteren_d = wval;
        umbra_pkg::CsrMcountinhibit: mcountinhibit_d = wval & McountinhibitMask;
        umbra_pkg::CsrMscratch:   mscratch_d = wval;
        umbra_pkg::CsrSscratch:   sscratch_d = wval;
        umbra_pkg::CsrMepc:       mepc_d = {wval[31:2], 2'b00};
        umbra_pkg::CsrSepc:       sepc_d = {wval[31:2], 2'b00};
        umbra_pkg::CsrMcause:     mcause_d = wval;
        umbra_pkg::CsrScause:     scause_d = wval;
        umbra_pkg::CsrMtval:      mtval_d = wval;
        umbra_pkg::CsrStval:      stval_d = wval;
        umbra_pkg::CsrSatp:       satp_d = {wval[31], 9'b0, wval[21:0]};
        umbra_pkg::CsrMcycle:     mcycle_d[31:0] = wval;
        umbra_pkg::CsrMcycleh:    mcycle_d[63:32] = wval;
        umbra_pkg::CsrMinstret:   minstret_d[31:0] = wval;
        umbra_pkg::CsrMinstreth:  minstret_d[63:32] = wval;
        12'b1011_0000_0011, 12'b1011_0000_0100, 12'b1011_0000_0101:
          hpm_d[hpm_idx][31:0] = wval;
        12'b1011_1000_0011, 12'b1011_1000_0100, 12'b1011_1000_0101:
          hpm_d[hpm_idx][63:32] = wval;
        12'b1011_0000_0110, 12'b1011_0000_0111:
          if (Gwb) hpm_d[hpm_idx][31:0] = wval;
        12'b1011_1000_0110, 12'b1011_1000_0111:
          if (Gwb) hpm_d[hpm_idx][63:32] = wval;
        umbra_pkg::CsrMgwbctl:  if (Gwb) gwb_en_d   = wval[0];
        umbra_pkg::CsrMgwbbase: if (Gwb) gwb_base_d = wval[31:3];
        umbra_pkg::CsrMgwbidx:  if (Gwb) gwb_idx_d  = wval[12:0];
        umbra_pkg::CsrMgwbcap:  // a power of two in 1..4096 takes effect, anything else is ignored
          if (Gwb && (wval != 32'b0) && (wval <= 32'(GwbCapMax)) && ((wval & (wval - 32'd1)) == 32'b0))
            gwb_cap_d = wval[12:0];
        default: ;
      endcase
    end

    if (exc_i || irq_take_i) begin
      if (trap_to_s) begin
        scause_d = trap_cause_o;
        sepc_d   = exc_pc_i;
        stval_d  = irq_take_i ? 32'b0 : exc_tval_i;
        mstatus_d[umbra_pkg::MstatusSpie] = mstatus_q[umbra_pkg::MstatusSie];
        mstatus_d[umbra_pkg::MstatusSie]  = 1'b0;
        mstatus_d[umbra_pkg::MstatusSpp]  = priv_q[0];
        priv_d = umbra_pkg::PrivS;
      end else begin
        mcause_d = trap_cause_o;
        mepc_d   = exc_pc_i;
        mtval_d  = irq_take_i ? 32'b0 : exc_tval_i;
        mstatus_d[umbra_pkg::MstatusMpie] = mstatus_q[umbra_pkg::MstatusMie];
        mstatus_d[umbra_pkg::MstatusMie]  = 1'b0;
        mstatus_d[12:11]       = priv_q;
        priv_d = umbra_pkg::PrivM;
      end
    end else if (mret_i) begin
      priv_d = mstatus_q[12:11];
      mstatus_d[umbra_pkg::MstatusMie]  = mstatus_q[umbra_pkg::MstatusMpie];
      mstatus_d[umbra_pkg::MstatusMpie] = 1'b1;
      mstatus_d[12:11]       = umbra_pkg::PrivU;
      if (mstatus_q[12:11] != umbra_pkg::PrivM) mstatus_d[umbra_pkg::MstatusMprv] = 1'b0;
    end else if (sret_i) begin
      priv_d = {1'b0, mstatus_q[umbra_pkg::MstatusSpp]};
      mstatus_d[umbra_pkg::MstatusSie]  = mstatus_q[umbra_pkg::MstatusSpie];
      mstatus_d[umbra_pkg::MstatusSpie] = 1'b1;
      mstatus_d[umbra_pkg::MstatusSpp]  = 1'b0;
      mstatus_d[umbra_pkg::MstatusMprv] = 1'b0;
    end
  end

  // ---------------------------------------------------------------------
  // Outputs.
  assign priv_o      = priv_q;
  assign mprv_o      = mstatus_q[umbra_pkg::MstatusMprv];
  assign mpp_o       = mstatus_q[12:11];
  assign sum_o       = mstatus_q[umbra_pkg::MstatusSum];
  assign mxr_o       = mstatus_q[umbra_pkg::MstatusMxr];
  assign tvm_o       = mstatus_q[umbra_pkg::MstatusTvm];
  assign tw_o        = mstatus_q[umbra_pkg::MstatusTw];
  assign tsr_o       = mstatus_q[umbra_pkg::MstatusTsr];
  assign satp_mode_o = satp_q[31];
  assign satp_ppn_o  = satp_q[21:0];
  assign mepc_o      = mepc_q;
  assign sepc_o      = sepc_q;
  assign gwb_en_o    = gwb_en_q;
  assign gwb_base_o  = gwb_base_q;
  assign gwb_idx_o   = gwb_idx_q;
  assign gwb_cap_o   = gwb_cap_q;

  // mhpmcounter3..7 events; the GWB's are constant 0 without the extension.
  assign hpm_event = {Gwb && exc_i && (exc_cause_i == umbra_pkg::ExcGwbFull),
                      Gwb && gwb_append_i,
                      hpm_event_i};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      priv_q          <= umbra_pkg::PrivM;
      mstatus_q       <= 32'b0;
      medeleg_q       <= 32'b0;
      mideleg_q       <= 32'b0;
      mie_q           <= 32'b0;
      mip_sw_q        <= 32'b0;
      mtvec_q         <= 32'b0;
      stvec_q         <= 32'b0;
      mcounteren_q    <= 32'b0;
      scounteren_q    <= 32'b0;
      mcountinhibit_q <= 32'b0;
      mscratch_q      <= 32'b0;
      sscratch_q      <= 32'b0;
      mepc_q          <= 32'b0;
      sepc_q          <= 32'b0;
      mcause_q        <= 32'b0;
      scause_q        <= 32'b0;
      mtval_q         <= 32'b0;
      stval_q         <= 32'b0;
      satp_q          <= 32'b0;
      gwb_en_q        <= 1'b0;
      gwb_base_q      <= 29'b0;
      gwb_idx_q       <= 13'd0;
      gwb_cap_q       <= 13'd1;
      mcycle_q        <= 64'b0;
      minstret_q      <= 64'b0;
      for (int i = 0; i < NumHpm; i++) hpm_q[i] <= 64'b0;
    end else begin
      priv_q          <= priv_d;
      mstatus_q       <= mstatus_d;
      medeleg_q       <= medeleg_d;
      mideleg_q       <= mideleg_d;
      mie_q           <= mie_d;
      mip_sw_q        <= mip_sw_d;
      mtvec_q         <= mtvec_d;
      stvec_q         <= stvec_d;
      mcounteren_q    <= mcounteren_d;
      scounteren_q    <= scounteren_d;
      mcountinhibit_q <= mcountinhibit_d;
      mscratch_q      <= mscratch_d;
      sscratch_q      <= sscratch_d;
      mepc_q          <= mepc_d;
      sepc_q          <= sepc_d;
      mcause_q        <= mcause_d;
      scause_q        <= scause_d;
      mtval_q         <= mtval_d;
      stval_q         <= stval_d;
      satp_q          <= satp_d;
      gwb_en_q        <= gwb_en_d;
      gwb_base_q      <= gwb_base_d;
      gwb_idx_q       <= gwb_idx_d;
      gwb_cap_q       <= gwb_cap_d;
      mcycle_q        <= mcycle_d;
      minstret_q      <= minstret_d;
      for (int i = 0; i < NumHpm; i++) hpm_q[i] <= hpm_d[i];
    end
  end

`ifdef UMBRA_ASSERT
  // Immediate assertions at the clock edge, each in a block named
  // <Module><Property> (as in umbra_clint): they read the values of the cycle
  // that ends there, as a concurrent property would, without the sampled
  // copy of every signal it reads that build/umbra would pay for each cycle.
  always @(posedge clk_i) begin : UmbraCsrOneEvent
    if (rst_ni) assert ($onehot0({exc_i, irq_take_i, mret_i, sret_i}))
      else $error("%m: exc %b irq %b mret %b sret %b at once", exc_i, irq_take_i, mret_i, sret_i);
  end
  always @(posedge clk_i) begin : UmbraCsrPrivLegal
    if (rst_ni) assert (priv_q != 2'b10) else $error("%m: reserved privilege mode");
  end
  // GWB: an append happens only below mgwbcap, which stays a power of two in
  // 1..4096.
  always @(posedge clk_i) begin : UmbraCsrGwbAppendRoom
    if (rst_ni && gwb_append_i)
      assert (Gwb && (gwb_idx_q < gwb_cap_q) && $onehot(gwb_cap_q) && (gwb_cap_q <= GwbCapMax))
        else $error("%m: append at or past mgwbcap");
  end
`endif

endmodule

`default_nettype wire
