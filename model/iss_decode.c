/* iss_decode.c: RV32IM/Zicsr/Zifencei/privileged decoder; legal exactly where rtl/umbra_decoder.sv is. */
#include "iss.h"

static int32_t imm_i(uint32_t r) { return (int32_t)r >> 20; }
static int32_t imm_s(uint32_t r) { return ((int32_t)(r & 0xfe000000u) >> 20) | (int32_t)((r >> 7) & 0x1fu); }
static int32_t imm_b(uint32_t r)
{
	return ((int32_t)(r & 0x80000000u) >> 19) | (int32_t)((r & 0x80u) << 4) |
	       (int32_t)((r >> 20) & 0x7e0u) | (int32_t)((r >> 7) & 0x1eu);
}
static int32_t imm_j(uint32_t r)
{
	return ((int32_t)(r & 0x80000000u) >> 11) | (int32_t)(r & 0xff000u) |
	       (int32_t)((r >> 9) & 0x800u) | (int32_t)((r >> 20) & 0x7feu);
}

static unsigned decode_op(uint32_t r)
{
	unsigned f3 = (r >> 12) & 7u, f7 = r >> 25, rd = (r >> 7) & 31u;
	static const unsigned char branch[8] = { OP_BEQ, OP_BNE, OP_ILLEGAL, OP_ILLEGAL,
						 OP_BLT, OP_BGE, OP_BLTU, OP_BGEU };
	static const unsigned char load[8] = { OP_LB, OP_LH, OP_LW, OP_ILLEGAL,
					       OP_LBU, OP_LHU, OP_ILLEGAL, OP_ILLEGAL };
	static const unsigned char store[8] = { OP_SB, OP_SH, OP_SW, OP_ILLEGAL,
						OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL };
	static const unsigned char opimm[8] = { OP_ADDI, OP_SLLI, OP_SLTI, OP_SLTIU,
						OP_XORI, OP_SRLI, OP_ORI, OP_ANDI };
	static const unsigned char opreg[8] = { OP_ADD, OP_SLL, OP_SLT, OP_SLTU,
						OP_XOR, OP_SRL, OP_OR, OP_AND };
	static const unsigned char muldiv[8] = { OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU,
						 OP_DIV, OP_DIVU, OP_REM, OP_REMU };
	static const unsigned char csr[8] = { OP_ILLEGAL, OP_CSRRW, OP_CSRRS, OP_CSRRC,
					      OP_ILLEGAL, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI };

	switch (r & 0x7fu) {
	case 0x37: return OP_LUI;
	case 0x17: return OP_AUIPC;
	case 0x6f: return OP_JAL;
	case 0x67: return f3 == 0 ? OP_JALR : OP_ILLEGAL;
	case 0x63: return branch[f3];
	case 0x03: return load[f3];
	case 0x23: return store[f3];
	case 0x13:
		if (f3 == 1)
			return f7 == 0 ? OP_SLLI : OP_ILLEGAL;
		if (f3 == 5)
			return f7 == 0 ? OP_SRLI : f7 == 0x20 ? OP_SRAI : OP_ILLEGAL;
		return opimm[f3];
	case 0x33:
		if (f7 == 1)
			return muldiv[f3];
		if (f7 == 0)
			return opreg[f3];
		if (f7 == 0x20 && f3 == 0)
			return OP_SUB;
		if (f7 == 0x20 && f3 == 5)
			return OP_SRA;
		return OP_ILLEGAL;
	case 0x0f:
		return f3 == 0 ? OP_FENCE : f3 == 1 ? OP_FENCE_I : OP_ILLEGAL;
	case 0x73:
		if (f3 == 0) {
			switch (r) {
			case 0x00000073u: return OP_ECALL;
			case 0x00100073u: return OP_EBREAK;
			case 0x30200073u: return OP_MRET;
			case 0x10200073u: return OP_SRET;
			case 0x10500073u: return OP_WFI;
			default:
				return f7 == 0x09 && rd == 0 ? OP_SFENCE_VMA : OP_ILLEGAL;
			}
		}
		return csr[f3];
	default:
		return OP_ILLEGAL;
	}
}

void iss_decode_insn(uint32_t raw, struct iss_insn *d)
{
	unsigned op = decode_op(raw);

	d->op = (uint8_t)op;
	d->rd = (raw >> 7) & 31u;
	d->rs1 = (raw >> 15) & 31u;
	d->rs2 = (raw >> 20) & 31u;
	d->raw = raw;
	switch (raw & 0x7fu) {
	case 0x37: case 0x17: d->imm = (int32_t)(raw & 0xfffff000u); break;
	case 0x6f: d->imm = imm_j(raw); break;
	case 0x63: d->imm = imm_b(raw); break;
	case 0x23: d->imm = imm_s(raw); break;
	case 0x73: d->imm = (int32_t)(raw >> 20); break;   /* CSR number */
	default: d->imm = imm_i(raw); break;
	}
	if (op == OP_SLLI || op == OP_SRLI || op == OP_SRAI)
		d->imm &= 31;
}

const char *iss_op_name(unsigned op)
{
	static const char *const names[OP_COUNT] = {
		"illegal", "lui", "auipc", "jal", "jalr", "beq", "bne", "blt", "bge", "bltu",
		"bgeu", "lb", "lh", "lw", "lbu", "lhu", "sb", "sh", "sw", "addi", "slti", "sltiu",
		"xori", "ori", "andi", "slli", "srli", "srai", "add", "sub", "sll", "slt", "sltu",
		"xor", "srl", "sra", "or", "and", "mul", "mulh", "mulhsu", "mulhu", "div", "divu",
		"rem", "remu", "fence", "fence.i", "ecall", "ebreak", "mret", "sret", "wfi",
		"sfence.vma", "csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci",
	};

	return op < OP_COUNT ? names[op] : "?";
}
