/* test_disasm.c: cmocka tests of model/disasm.c (encodings from riscv64-unknown-elf-as). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "disasm.h"

struct sample {
	uint32_t insn;
	unsigned flags;
	const char *text;
};

static const struct sample samples[] = {
	{ 0xffb58513u, 0, "addi a0, a1, -5" },
	{ 0x00000013u, 0, "nop" },
	{ 0x00000013u, DISASM_NO_ALIASES, "addi zero, zero, 0" },
	{ 0x02a00513u, 0, "li a0, 42" },
	{ 0x00412503u, 0, "lw a0, 4(sp)" },
	{ 0xfeb42c23u, 0, "sw a1, -8(s0)" },
	{ 0x00b50463u, 0, "beq a0, a1, .+8" },
	{ 0xfe029ae3u, 0, "bne t0, zero, .-12" },
	{ 0x001000efu, 0, "jal ra, .+2048" },
	{ 0x00008067u, 0, "ret" },
	{ 0x00008067u, DISASM_NO_ALIASES, "jalr zero, 0(ra)" },
	{ 0x123457b7u, 0, "lui a5, 0x12345" },
	{ 0x30002573u, 0, "csrr a0, mstatus" },
	{ 0x30002573u, DISASM_NO_ALIASES, "csrrs a0, mstatus, zero" },
	{ 0x7c059073u, 0, "csrw mgwbctl, a1" },
	{ 0x3042d2f3u, 0, "csrrwi t0, mie, 5" },
	{ 0x413904b3u, 0, "sub s1, s2, s3" },
	{ 0x02c5a533u, 0, "mulhsu a0, a1, a2" },
	{ 0x12000073u, 0, "sfence.vma zero, zero" },
	{ 0x30200073u, 0, "mret" },
	{ 0x0310000fu, 0, "fence rw, w" },
	{ 0x0ff0000fu, 0, "fence" },
	{ 0x41f75693u, 0, "srai a3, a4, 31" },
};

/* 1. Every sample formats exactly as written above. */
static void formats_samples(void **state)
{
	char buf[96];

	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		int n = disasm_format(samples[i].insn, samples[i].flags, buf, sizeof(buf));

		assert_int_equal(n, (int)strlen(samples[i].text));
		assert_string_equal(buf, samples[i].text);
	}
}

/* 2. Words umbra's decoder refuses read "illegal 0x<word>". */
static void refuses_illegal_words(void **state)
{
	static const uint32_t bad[] = { 0xffffffffu, 0x00000000u, 0x0000705bu /* custom-2 */,
					0x42000033u /* add with funct7 0x21 */ };
	char buf[96], want[32];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		disasm_format(bad[i], 0, buf, sizeof(buf));
		snprintf(want, sizeof(want), "illegal 0x%08x", (unsigned)bad[i]);
		assert_string_equal(buf, want);
	}
}

/* 3. A buffer too small gets -1 and stays a NUL-terminated prefix; length 0 is refused. */
static void refuses_short_buffers(void **state)
{
	char buf[6];

	(void)state;
	assert_int_equal(disasm_format(0xffb58513u, 0, buf, sizeof(buf)), -1);
	assert_true(memchr(buf, '\0', sizeof(buf)) != NULL);
	assert_int_equal(disasm_format(0xffb58513u, 0, buf, 0), -1);
}

/* 4. Register and CSR names. */
static void names(void **state)
{
	(void)state;
	assert_string_equal(disasm_reg_name(0), "zero");
	assert_string_equal(disasm_reg_name(31), "t6");
	assert_string_equal(disasm_csr_name(0x7c3), "mgwbcap");
	assert_string_equal(disasm_csr_name(0x180), "satp");
	assert_null(disasm_csr_name(0x7ff));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formats_samples),
		cmocka_unit_test(refuses_illegal_words),
		cmocka_unit_test(refuses_short_buffers),
		cmocka_unit_test(names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
