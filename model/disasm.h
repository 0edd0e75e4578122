/* disasm.h: RV32IM/Zicsr/Zifencei/privileged disassembler (gtkwave's waves/filter_insn, the lockstep report). */
#ifndef UMBRA_DISASM_H
#define UMBRA_DISASM_H

#include <stddef.h>
#include <stdint.h>

/* Flags for disasm_format(). */
#define DISASM_NO_ALIASES 0x1u /* addi x0,x0,0 stays addi, not nop (as objdump -M no-aliases) */

/*
 * Writes the assembly text of one 32-bit instruction word into buf (always NUL-terminated when
 * len > 0): "addi a0, a1, -5", "lw a0, 4(sp)", "beq a0, a1, .+8", "csrrs a0, mstatus, zero".
 * Branch and jump targets are relative to the instruction ("." is its pc). A word that is not a
 * legal instruction of umbra's decoder (model/iss_decode.c) reads "illegal 0x<word>".
 * Returns the length written, or -1 when len is too small for the text.
 */
int disasm_format(uint32_t insn, unsigned flags, char *buf, size_t len);

/* The name of a CSR ("mstatus", "mgwbctl"...), or NULL when umbra gives it no name. */
const char *disasm_csr_name(uint32_t csr);

/* ABI name of integer register r (0..31): "zero", "ra", "sp"... */
const char *disasm_reg_name(unsigned r);

#endif
