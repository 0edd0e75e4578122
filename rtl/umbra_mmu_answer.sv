// umbra_mmu_answer: one side's translation answer in the cycle of its
// request: bare (no translation), a TLB hit (permission fault, access fault
// above 4 GiB, or the physical address) or the walker's fault for this side.
`default_nettype none

module umbra_mmu_answer (
  input  logic        req_i,
  input  logic        xlate_i,          // Sv32 applies to this access
  input  logic [31:0] vaddr_i,
  input  logic        tlb_hit_i,
  input  logic [21:0] tlb_ppn_i,
  input  logic        perm_fault_i,     // the hit entry does not allow the access
  input  logic        walk_fault_i,     // the walker ends with a fault for this side now
  input  logic        walk_fault_access_i,
  output logic        ok_o,
  output logic [31:0] paddr_o,
  output logic        fault_o,
  output logic        fault_access_o    // 1 access fault, 0 page fault
);
  always_comb begin
    ok_o           = 1'b0;
    paddr_o        = vaddr_i;
    fault_o        = 1'b0;
    fault_access_o = 1'b0;
    if (req_i) begin
      if (!xlate_i) begin
        ok_o = 1'b1;
      end else if (tlb_hit_i) begin
        paddr_o = {tlb_ppn_i[19:0], vaddr_i[11:0]};
        if (perm_fault_i) begin
          fault_o = 1'b1;
        end else if (tlb_ppn_i[21:20] != 2'b00) begin
          // Sv32 reaches 34-bit physical addresses; nothing answers above 4 GiB.
          fault_o        = 1'b1;
          fault_access_o = 1'b1;
        end else begin
          ok_o = 1'b1;
        end
      end else if (walk_fault_i) begin
        fault_o        = 1'b1;
        fault_access_o = walk_fault_access_i;
      end
    end
  end

endmodule

`default_nettype wire
