/* test_iss_decode.c: cmocka tests: the ISS decoder calls legal exactly what rtl/umbra_decoder.sv does, and names the right op. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "iss.h"

/* umbra_decoder.sv's illegal_o, transcribed line by line (the reference of this test). */
static int rtl_illegal(uint32_t i)
{
	unsigned op = i & 0x7f, f3 = (i >> 12) & 7, f7 = i >> 25, rd = (i >> 7) & 31;

	switch (op) {
	case 0x37: case 0x17: case 0x6f: return 0;
	case 0x67: return f3 != 0;
	case 0x63: return f3 == 2 || f3 == 3;
	case 0x03: return f3 == 3 || f3 == 6 || f3 == 7;
	case 0x23: return (f3 & 4) || (f3 & 3) == 3;
	case 0x13:
		if (f3 == 1) return f7 != 0;
		if (f3 == 5) return f7 != 0 && f7 != 0x20;
		return 0;
	case 0x33:
		if (f7 == 1) return 0;
		if (f7 == 0) return 0;
		if (f7 == 0x20) return !(f3 == 0 || f3 == 5);
		return 1;
	case 0x0f: return f3 > 1;
	case 0x73:
		if (f3 == 0) {
			if (i == 0x73 || i == 0x100073 || i == 0x30200073 || i == 0x10200073 ||
			    i == 0x10500073)
				return 0;
			return !(f7 == 0x09 && rd == 0);
		}
		return f3 == 4;
	default: return 1;
	}
}

/* Case 1: every opcode x funct3 x funct7 with several register fields. */
static void test_decode_legality_sweep(void **state)
{
	static const uint32_t regs[] = { 0x00000000u, 0x000f8f80u, 0x00108080u, 0x01ff8000u,
					 0x00000f80u, 0x000f8000u, 0x01f00000u, 0x00500000u,
					 0x00200000u };
	struct iss_insn d;
	unsigned op, f3, f7, r;
	unsigned n = 0;

	(void)state;
	for (op = 0; op < 128; op++)
		for (f3 = 0; f3 < 8; f3++)
			for (f7 = 0; f7 < 128; f7++)
				for (r = 0; r < sizeof(regs) / sizeof(regs[0]); r++) {
					uint32_t i = op | (f3 << 12) | (f7 << 25) | regs[r];

					iss_decode_insn(i, &d);
					if ((d.op == OP_ILLEGAL) != rtl_illegal(i))
						fail_msg("case 1: 0x%08x decoded as %s, RTL illegal=%d", i,
							 iss_op_name(d.op), rtl_illegal(i));
					n++;
				}
	assert_int_equal(n, 128u * 8u * 128u * 9u);
}

/* Case 2: the privileged instructions are exact encodings (one bit off is illegal or sfence). */
static void test_decode_system_exact(void **state)
{
	static const struct { uint32_t raw; unsigned op; } cases[] = {
		{ 0x00000073u, OP_ECALL }, { 0x00100073u, OP_EBREAK }, { 0x30200073u, OP_MRET },
		{ 0x10200073u, OP_SRET }, { 0x10500073u, OP_WFI }, { 0x12000073u, OP_SFENCE_VMA },
		{ 0x12b50073u, OP_SFENCE_VMA }, { 0x12000173u, OP_ILLEGAL } /* sfence rd!=0 */,
		{ 0x00000173u, OP_ILLEGAL } /* ecall rd!=0 */, { 0x00008073u, OP_ILLEGAL },
		{ 0x30200873u, OP_ILLEGAL }, { 0x10500173u, OP_ILLEGAL }, { 0x00200073u, OP_ILLEGAL },
		{ 0x7b200073u, OP_ILLEGAL } /* dret */, { 0x00004073u, OP_ILLEGAL } /* f3=4 */,
		{ 0x34102573u, OP_CSRRS }, { 0x30529073u, OP_CSRRW }, { 0x3000f073u, OP_CSRRCI },
		{ 0x0000100fu, OP_FENCE_I }, { 0x0ff0000fu, OP_FENCE }, { 0x0000200fu, OP_ILLEGAL },
	};
	struct iss_insn d;
	unsigned k;

	(void)state;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		iss_decode_insn(cases[k].raw, &d);
		if (d.op != cases[k].op)
			fail_msg("case 2.%u: 0x%08x decoded as %s, want %s", k, cases[k].raw,
				 iss_op_name(d.op), iss_op_name(cases[k].op));
	}
}

/* Case 3: immediates and register fields of each format. */
static void test_decode_fields(void **state)
{
	struct iss_insn d;

	(void)state;
	iss_decode_insn(0xfff00093u, &d);             /* addi x1, x0, -1 */
	assert_int_equal(d.op, OP_ADDI); assert_int_equal(d.rd, 1); assert_int_equal(d.imm, -1);
	iss_decode_insn(0xfe20ae23u, &d);             /* sw x2, -4(x1) */
	assert_int_equal(d.op, OP_SW); assert_int_equal(d.rs1, 1); assert_int_equal(d.rs2, 2);
	assert_int_equal(d.imm, -4);
	iss_decode_insn(0xfe000ee3u, &d);             /* beq x0, x0, -4 */
	assert_int_equal(d.op, OP_BEQ); assert_int_equal(d.imm, -4);
	iss_decode_insn(0x800000efu, &d);             /* jal x1, -1 MiB */
	assert_int_equal(d.op, OP_JAL); assert_int_equal(d.imm, -1048576);
	iss_decode_insn(0x0010006fu, &d);             /* jal x0, 2048 */
	assert_int_equal(d.imm, 2048);
	iss_decode_insn(0xabcde2b7u, &d);             /* lui x5, 0xabcde */
	assert_int_equal(d.op, OP_LUI); assert_int_equal((uint32_t)d.imm, 0xabcde000u);
	iss_decode_insn(0x41f0d093u, &d);             /* srai x1, x1, 31 */
	assert_int_equal(d.op, OP_SRAI); assert_int_equal(d.imm, 31);
	iss_decode_insn(0x02b50533u, &d);             /* mul a0, a0, a1 */
	assert_int_equal(d.op, OP_MUL);
	iss_decode_insn(0x02b57533u, &d);             /* remu a0, a0, a1 */
	assert_int_equal(d.op, OP_REMU);
	iss_decode_insn(0xf1402573u, &d);             /* csrr a0, mhartid */
	assert_int_equal(d.op, OP_CSRRS); assert_int_equal(d.imm & 0xfff, 0xf14);
	assert_int_equal(sizeof(struct iss_insn), 12);
}

/* Case 4: iss.h rule 5: an all-zero decode-cache entry is the decode of word 0. */
static void test_decode_zero_entry(void **state)
{
	static const struct iss_insn zero;
	struct iss_insn d;

	(void)state;
	memset(&d, 0xa5, sizeof(d));
	iss_decode_insn(0, &d);
	assert_memory_equal(&d, &zero, sizeof(d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_legality_sweep),
		cmocka_unit_test(test_decode_system_exact),
		cmocka_unit_test(test_decode_fields),
		cmocka_unit_test(test_decode_zero_entry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
