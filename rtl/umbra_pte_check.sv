// umbra_pte_check: permission check of a cached leaf PTE against one access
// (Sv32 rules with Svade: A=0, or D=0 on a store, is a page fault).
`default_nettype none

module umbra_pte_check
(
  input  logic [7:0] flags_i,   // leaf PTE bits D A G U X W R V
  input  logic [1:0] acc_i,
  input  logic [1:0] priv_i,    // effective privilege of the access (U or S)
  input  logic       sum_i,
  input  logic       mxr_i,
  output logic       fault_o
);
  logic user_ok;   // U bit agrees with the privilege (and SUM for data)
  logic perm_ok;   // R/W/X grant the access

  always_comb begin
    user_ok = 1'b1;
    if (priv_i == umbra_pkg::PrivU) begin
      user_ok = flags_i[umbra_pkg::PteU];
    end else if (flags_i[umbra_pkg::PteU]) begin
      // S-mode touching a U page: data only with SUM, never fetch.
      user_ok = (acc_i != umbra_pkg::AccFetch) && sum_i;
    end

    perm_ok = 1'b0;
    unique case (acc_i)
      umbra_pkg::AccFetch: perm_ok = flags_i[umbra_pkg::PteX];
      umbra_pkg::AccLoad:  perm_ok = flags_i[umbra_pkg::PteR] || (mxr_i && flags_i[umbra_pkg::PteX]);
      umbra_pkg::AccStore: perm_ok = flags_i[umbra_pkg::PteW] && flags_i[umbra_pkg::PteD];
      default:  perm_ok = 1'b0;
    endcase

    fault_o = !(user_ok && perm_ok && flags_i[umbra_pkg::PteA] && flags_i[umbra_pkg::PteV]);
  end

endmodule

`default_nettype wire
