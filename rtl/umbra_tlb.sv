// umbra_tlb: fully associative TLB of Sv32 leaf translations (4 KiB pages and
// 4 MiB megapages), round-robin replacement, flushed whole by sfence.vma.
// Lookup is combinational in the cycle of the access; a fill written in cycle
// t hits from cycle t+1. With Traced = 1 each entry also keeps the leaf's T
// bit (PTE bit 8) for the GWB (SPEC §3): the D-TLB of a core built with it.
`default_nettype none

module umbra_tlb #(
  parameter int Entries = 8,
  parameter bit Traced  = 1'b0
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  input  logic [19:0] lookup_vpn_i,
  output logic        hit_o,
  output logic [21:0] ppn_o,        // physical page number of the 4 KiB page
  output logic [7:0]  flags_o,      // leaf PTE bits D A G U X W R V
  output logic        traced_o,     // the hit entry's T bit (0 when Traced = 0)

  input  logic        fill_i,
  input  logic [19:0] fill_vpn_i,
  input  logic [21:0] fill_ppn_i,   // leaf PTE ppn (ppn[9:0] = 0 for a megapage)
  input  logic [7:0]  fill_flags_i,
  input  logic        fill_traced_i,
  input  logic        fill_mega_i,

  input  logic        flush_i
);
  localparam int IdxW = (Entries > 1) ? $clog2(Entries) : 1;

  logic [Entries-1:0] valid_q, valid_d;
  logic [Entries-1:0] mega_q;
  logic [19:0]        vpn_q   [Entries];
  logic [21:0]        ppn_q   [Entries];
  logic [7:0]         flags_q [Entries];
  logic [IdxW-1:0]    victim_q, victim_d;
  logic [Entries-1:0] hit_vec;

  // No compares while the TLB is empty (after reset and each flush, and in
  // a run that never translates): the simulator pays for them only when
  // there is an entry. In hardware the guard is an OR of the valid bits.
  always_comb begin
    hit_vec = '0;
    if (valid_q != '0) begin
      for (int i = 0; i < Entries; i++) begin
        hit_vec[i] = valid_q[i] &&
                     (vpn_q[i][19:10] == lookup_vpn_i[19:10]) &&
                     (mega_q[i] || (vpn_q[i][9:0] == lookup_vpn_i[9:0]));
      end
    end
  end

  // T bits: one flop per entry, only when the TLB keeps them.
  if (Traced) begin : gen_traced
    logic [Entries-1:0] traced_q;

    assign traced_o = |(hit_vec & traced_q);   // at most one hit (UmbraTlbOneHit)

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        traced_q <= '0;
      end else if (fill_i && !flush_i) begin
        traced_q[victim_q] <= fill_traced_i;
      end
    end
  end else begin : gen_untraced
    logic unused_fill_traced;
    assign unused_fill_traced = fill_traced_i;
    assign traced_o = 1'b0;
  end

  always_comb begin
    hit_o   = 1'b0;
    ppn_o   = 22'b0;
    flags_o = 8'b0;
    for (int i = 0; i < Entries; i++) begin
      if (hit_vec[i]) begin
        hit_o   = 1'b1;
        ppn_o   = mega_q[i] ? {ppn_q[i][21:10], lookup_vpn_i[9:0]} : ppn_q[i];
        flags_o = flags_q[i];
      end
    end
  end

  always_comb begin
    valid_d  = valid_q;
    victim_d = victim_q;
    if (flush_i) begin
      valid_d = '0;
    end else if (fill_i) begin
      valid_d[victim_q] = 1'b1;
      victim_d = (victim_q == IdxW'(Entries - 1)) ? '0 : victim_q + 1'b1;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q  <= '0;
      victim_q <= '0;
    end else begin
      valid_q  <= valid_d;
      victim_q <= victim_d;
    end
  end

  // Entry storage: one indexed write per fill.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int i = 0; i < Entries; i++) begin
        vpn_q[i]   <= 20'b0;
        ppn_q[i]   <= 22'b0;
        flags_q[i] <= 8'b0;
      end
      mega_q <= '0;
    end else if (fill_i && !flush_i) begin
      vpn_q[victim_q]   <= fill_vpn_i;
      ppn_q[victim_q]   <= fill_ppn_i;
      flags_q[victim_q] <= fill_flags_i;
      mega_q[victim_q]  <= fill_mega_i;
    end
  end

`ifdef UMBRA_ASSERT
  // Immediate assertions at the clock edge, each in a block named
  // <Module><Property> (as in umbra_clint): they read the values of the cycle
  // that ends there, as a concurrent property would, without the sampled
  // copy of every signal it reads that build/umbra would pay for each cycle.
  // Never two entries for one address: the walker fills only on a miss.
  always @(posedge clk_i) begin : UmbraTlbOneHit
    if (rst_ni) assert ($onehot0(hit_vec)) else $error("%m: hits %b", hit_vec);
  end
`endif

endmodule

`default_nettype wire
