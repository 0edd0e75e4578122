/* disasm.c: formats instructions decoded by model/iss_decode.c as assembly text (objdump's syntax). */
#include "disasm.h"

#include <stdarg.h>
#include <stdio.h>

#include "iss.h"

static const char *const reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
	"a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

const char *disasm_reg_name(unsigned r)
{
	return reg_names[r & 31u];
}

static const struct {
	uint16_t num;
	const char *name;
} csr_names[] = {
	{ 0x100, "sstatus" }, { 0x104, "sie" }, { 0x105, "stvec" }, { 0x106, "scounteren" },
	{ 0x140, "sscratch" }, { 0x141, "sepc" }, { 0x142, "scause" }, { 0x143, "stval" },
	{ 0x144, "sip" }, { 0x180, "satp" },
	{ 0x300, "mstatus" }, { 0x301, "misa" }, { 0x302, "medeleg" }, { 0x303, "mideleg" },
	{ 0x304, "mie" }, { 0x305, "mtvec" }, { 0x306, "mcounteren" }, { 0x310, "mstatush" },
	{ 0x320, "mcountinhibit" }, { 0x340, "mscratch" }, { 0x341, "mepc" }, { 0x342, "mcause" },
	{ 0x343, "mtval" }, { 0x344, "mip" }, { 0x3a0, "pmpcfg0" }, { 0x3b0, "pmpaddr0" },
	{ 0x7c0, "mgwbctl" }, { 0x7c1, "mgwbbase" }, { 0x7c2, "mgwbidx" }, { 0x7c3, "mgwbcap" },
	{ 0xb00, "mcycle" }, { 0xb02, "minstret" }, { 0xb03, "mhpmcounter3" },
	{ 0xb04, "mhpmcounter4" }, { 0xb05, "mhpmcounter5" }, { 0xb80, "mcycleh" },
	{ 0xb82, "minstreth" }, { 0xb83, "mhpmcounter3h" }, { 0xb84, "mhpmcounter4h" },
	{ 0xb85, "mhpmcounter5h" },
	{ 0xc00, "cycle" }, { 0xc01, "time" }, { 0xc02, "instret" }, { 0xc03, "hpmcounter3" },
	{ 0xc04, "hpmcounter4" }, { 0xc05, "hpmcounter5" }, { 0xc80, "cycleh" }, { 0xc81, "timeh" },
	{ 0xc82, "instreth" }, { 0xc83, "hpmcounter3h" }, { 0xc84, "hpmcounter4h" },
	{ 0xc85, "hpmcounter5h" },
	{ 0xf11, "mvendorid" }, { 0xf12, "marchid" }, { 0xf13, "mimpid" }, { 0xf14, "mhartid" },
};

const char *disasm_csr_name(uint32_t csr)
{
	for (size_t i = 0; i < sizeof(csr_names) / sizeof(csr_names[0]); i++)
		if (csr_names[i].num == csr)
			return csr_names[i].name;
	return NULL;
}

/* Output buffer: out() appends; ok stays 0 once the text did not fit. */
struct text {
	char *buf;
	size_t len, used;
	int ok;
};

static void out(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!t->ok)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->used, t->len - t->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->len - t->used)
		t->ok = 0;
	else
		t->used += (size_t)n;
}

static void out_csr(struct text *t, uint32_t csr)
{
	const char *name = disasm_csr_name(csr);

	if (name)
		out(t, "%s", name);
	else
		out(t, "0x%03x", (unsigned)csr);
}

/* ".+8" / ".-12": a pc-relative target. */
static void out_rel(struct text *t, int32_t off)
{
	if (off < 0)
		out(t, ".-%u", (unsigned)-(int64_t)off);
	else
		out(t, ".+%d", (int)off);
}

/* "pred, succ" of a fence, from its iorw bits; the plain "fence" when both are iorw. */
static void out_fence(struct text *t, uint32_t raw)
{
	static const char bits[] = "iorw";
	unsigned pred = (raw >> 24) & 15u, succ = (raw >> 20) & 15u;

	out(t, "fence");
	if (pred == 15u && succ == 15u && (raw >> 28) == 0)
		return;
	if ((raw >> 28) == 8u && pred == 3u && succ == 3u) {
		out(t, ".tso");
		return;
	}
	for (int part = 0; part < 2; part++) {
		unsigned v = part ? succ : pred;

		out(t, part ? ", " : " ");
		if (!v)
			out(t, "0");
		for (int b = 0; b < 4; b++)
			if (v & (8u >> b))
				out(t, "%c", bits[b]);
	}
}

/* Pseudo-instructions objdump shows by default; returns 1 when one was written. */
static int alias(struct text *t, const struct iss_insn *d)
{
	const char *rd = disasm_reg_name(d->rd), *rs1 = disasm_reg_name(d->rs1);

	switch (d->op) {
	case OP_ADDI:
		if (d->rd == 0 && d->rs1 == 0 && d->imm == 0)
			out(t, "nop");
		else if (d->rs1 == 0)
			out(t, "li %s, %d", rd, (int)d->imm);
		else if (d->imm == 0)
			out(t, "mv %s, %s", rd, rs1);
		else
			return 0;
		return 1;
	case OP_JAL:
		if (d->rd != 0)
			return 0;
		out(t, "j ");
		out_rel(t, d->imm);
		return 1;
	case OP_JALR:
		if (d->rd == 0 && d->rs1 == 1 && d->imm == 0)
			out(t, "ret");
		else
			return 0;
		return 1;
	case OP_CSRRS:
		if (d->rs1 != 0)
			return 0;
		out(t, "csrr %s, ", rd);
		out_csr(t, (uint32_t)d->imm & 0xfffu);
		return 1;
	case OP_CSRRW:
		if (d->rd != 0)
			return 0;
		out(t, "csrw ");
		out_csr(t, (uint32_t)d->imm & 0xfffu);
		out(t, ", %s", rs1);
		return 1;
	default:
		return 0;
	}
}

int disasm_format(uint32_t insn, unsigned flags, char *buf, size_t len)
{
	struct text t = { buf, len, 0, len > 0 };
	struct iss_insn d;
	const char *name, *rd, *rs1, *rs2;

	if (!len)
		return -1;
	buf[0] = '\0';
	iss_decode_insn(insn, &d);
	name = iss_op_name(d.op);
	rd = disasm_reg_name(d.rd);
	rs1 = disasm_reg_name(d.rs1);
	rs2 = disasm_reg_name(d.rs2);
	if (!(flags & DISASM_NO_ALIASES) && alias(&t, &d))
		return t.ok ? (int)t.used : -1;

	switch (d.op) {
	case OP_ILLEGAL:
		out(&t, "illegal 0x%08x", (unsigned)insn);
		break;
	case OP_LUI: case OP_AUIPC:
		out(&t, "%s %s, 0x%x", name, rd, (unsigned)d.imm >> 12);
		break;
	case OP_JAL:
		out(&t, "jal %s, ", rd);
		out_rel(&t, d.imm);
		break;
	case OP_JALR:
	case OP_LB: case OP_LH: case OP_LW: case OP_LBU: case OP_LHU:
		out(&t, "%s %s, %d(%s)", name, rd, (int)d.imm, rs1);
		break;
	case OP_SB: case OP_SH: case OP_SW:
		out(&t, "%s %s, %d(%s)", name, rs2, (int)d.imm, rs1);
		break;
	case OP_BEQ: case OP_BNE: case OP_BLT: case OP_BGE: case OP_BLTU: case OP_BGEU:
		out(&t, "%s %s, %s, ", name, rs1, rs2);
		out_rel(&t, d.imm);
		break;
	case OP_ADDI: case OP_SLTI: case OP_SLTIU: case OP_XORI: case OP_ORI: case OP_ANDI:
	case OP_SLLI: case OP_SRLI: case OP_SRAI:
		out(&t, "%s %s, %s, %d", name, rd, rs1, (int)d.imm);
		break;
	case OP_FENCE:
		out_fence(&t, insn);
		break;
	case OP_SFENCE_VMA:
		out(&t, "sfence.vma %s, %s", rs1, rs2);
		break;
	case OP_FENCE_I: case OP_ECALL: case OP_EBREAK: case OP_MRET: case OP_SRET: case OP_WFI:
		out(&t, "%s", name);
		break;
	case OP_CSRRW: case OP_CSRRS: case OP_CSRRC:
		out(&t, "%s %s, ", name, rd);
		out_csr(&t, (uint32_t)d.imm & 0xfffu);
		out(&t, ", %s", rs1);
		break;
	case OP_CSRRWI: case OP_CSRRSI: case OP_CSRRCI:
		out(&t, "%s %s, ", name, rd);
		out_csr(&t, (uint32_t)d.imm & 0xfffu);
		out(&t, ", %u", (unsigned)d.rs1);
		break;
	default: /* register-register ALU and M extension */
		out(&t, "%s %s, %s, %s", name, rd, rs1, rs2);
		break;
	}
	return t.ok ? (int)t.used : -1;
}
