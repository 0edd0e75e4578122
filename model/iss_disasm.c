/* iss_disasm.c: one-line disassembly of an RV32IM/Zicsr/Zifencei/privileged instruction, ABI register names, known CSR names. */
#include "iss.h"

#include <stdio.h>

static const char *const abi[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
	"a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
	"t3", "t4", "t5", "t6",
};

struct csr_name {
	uint16_t addr;
	const char *name;
};

static const struct csr_name csr_names[] = {
	{ 0x100, "sstatus" }, { 0x104, "sie" }, { 0x105, "stvec" }, { 0x106, "scounteren" },
	{ 0x140, "sscratch" }, { 0x141, "sepc" }, { 0x142, "scause" }, { 0x143, "stval" },
	{ 0x144, "sip" }, { 0x180, "satp" }, { 0x300, "mstatus" }, { 0x301, "misa" },
	{ 0x302, "medeleg" }, { 0x303, "mideleg" }, { 0x304, "mie" }, { 0x305, "mtvec" },
	{ 0x306, "mcounteren" }, { 0x320, "mcountinhibit" }, { 0x340, "mscratch" },
	{ 0x341, "mepc" }, { 0x342, "mcause" }, { 0x343, "mtval" }, { 0x344, "mip" },
	{ 0x7c0, "mgwbctl" }, { 0x7c1, "mgwbbase" }, { 0x7c2, "mgwbidx" }, { 0x7c3, "mgwbcap" },
	{ 0xb00, "mcycle" }, { 0xb02, "minstret" }, { 0xb80, "mcycleh" }, { 0xb82, "minstreth" },
	{ 0xc00, "cycle" }, { 0xc01, "time" }, { 0xc02, "instret" }, { 0xc80, "cycleh" },
	{ 0xc81, "timeh" }, { 0xc82, "instreth" }, { 0xf11, "mvendorid" }, { 0xf12, "marchid" },
	{ 0xf13, "mimpid" }, { 0xf14, "mhartid" },
};

static void csr_text(uint32_t addr, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(csr_names) / sizeof(csr_names[0]); i++)
		if (csr_names[i].addr == addr) {
			snprintf(buf, len, "%s", csr_names[i].name);
			return;
		}
	if ((addr & ~0x1fu) == 0xb00 || (addr & ~0x1fu) == 0xb80)
		snprintf(buf, len, "mhpmcounter%u%s", addr & 31u, (addr & 0x80u) ? "h" : "");
	else
		snprintf(buf, len, "0x%03x", addr);
}

const char *iss_disasm(uint32_t insn, uint32_t pc, char *buf, size_t len)
{
	struct iss_insn d;
	const char *n, *rd, *rs1, *rs2;
	char csr[24];

	iss_decode_insn(insn, &d);
	n = iss_op_name(d.op);
	rd = abi[d.rd];
	rs1 = abi[d.rs1];
	rs2 = abi[d.rs2];
	switch (d.op) {
	case OP_ILLEGAL:
		snprintf(buf, len, "unknown 0x%08x", insn);
		break;
	case OP_LUI: case OP_AUIPC:
		snprintf(buf, len, "%s %s, 0x%x", n, rd, (uint32_t)d.imm >> 12);
		break;
	case OP_JAL:
		snprintf(buf, len, "%s %s, 0x%08x", n, rd, pc + (uint32_t)d.imm);
		break;
	case OP_BEQ: case OP_BNE: case OP_BLT: case OP_BGE: case OP_BLTU: case OP_BGEU:
		snprintf(buf, len, "%s %s, %s, 0x%08x", n, rs1, rs2, pc + (uint32_t)d.imm);
		break;
	case OP_JALR: case OP_LB: case OP_LH: case OP_LW: case OP_LBU: case OP_LHU:
		snprintf(buf, len, "%s %s, %d(%s)", n, rd, d.imm, rs1);
		break;
	case OP_SB: case OP_SH: case OP_SW:
		snprintf(buf, len, "%s %s, %d(%s)", n, rs2, d.imm, rs1);
		break;
	case OP_ADDI: case OP_SLTI: case OP_SLTIU: case OP_XORI: case OP_ORI: case OP_ANDI:
	case OP_SLLI: case OP_SRLI: case OP_SRAI:
		snprintf(buf, len, "%s %s, %s, %d", n, rd, rs1, d.imm);
		break;
	case OP_FENCE: case OP_FENCE_I: case OP_ECALL: case OP_EBREAK: case OP_MRET:
	case OP_SRET: case OP_WFI:
		snprintf(buf, len, "%s", n);
		break;
	case OP_SFENCE_VMA:
		snprintf(buf, len, "%s %s, %s", n, rs1, rs2);
		break;
	case OP_CSRRW: case OP_CSRRS: case OP_CSRRC:
		csr_text((uint32_t)d.imm & 0xfffu, csr, sizeof(csr));
		snprintf(buf, len, "%s %s, %s, %s", n, rd, csr, rs1);
		break;
	case OP_CSRRWI: case OP_CSRRSI: case OP_CSRRCI:
		csr_text((uint32_t)d.imm & 0xfffu, csr, sizeof(csr));
		snprintf(buf, len, "%s %s, %s, %u", n, rd, csr, d.rs1);
		break;
	default:   /* register-register */
		snprintf(buf, len, "%s %s, %s, %s", n, rd, rs1, rs2);
		break;
	}
	return buf;
}
