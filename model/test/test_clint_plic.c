/* test_clint_plic.c: cmocka tests of the CLINT and PLIC C models against the rules of umbra_clint.sv / umbra_plic.sv. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "clint.h"
#include "plic.h"

/* Case 1: mtime = floor(cycles / div); MTIP when mtime >= mtimecmp (pending at reset). */
static void test_clint_time(void **state)
{
	struct clint c;
	uint64_t k;

	(void)state;
	clint_init(&c);
	assert_true(clint_mtip(&c));
	for (k = 1; k <= 95; k++) {
		clint_advance_cycles(&c, 1, 10);
		assert_int_equal(c.mtime, k / 10);
	}
	clint_advance_cycles(&c, 1000005, 10);
	assert_int_equal(c.mtime, (95 + 1000005) / 10);
	assert_int_equal(clint_check(&c, 10), 0);
	clint_advance_cycles(&c, 3, 0);                 /* 0 acts as 1 */
	assert_int_equal(clint_check(&c, 1), 0);
}

/* Case 2: registers, 64-bit halves, bus errors for bad offsets and sub-word accesses. */
static void test_clint_regs(void **state)
{
	struct clint c;
	uint32_t v;
	bool mw;

	(void)state;
	clint_init(&c);
	assert_int_equal(clint_access_word(&c, CLINT_MTIMECMP_HI, true, 0xf, 1, &v, &mw), 0);
	assert_false(clint_mtip(&c));
	assert_int_equal(clint_access_word(&c, CLINT_MTIME_HI, true, 0xf, 2, &v, &mw), 0);
	assert_true(mw);
	assert_true(clint_mtip(&c));
	assert_int_equal(clint_access_word(&c, CLINT_MTIME_HI, false, 0xf, 0, &v, &mw), 0);
	assert_int_equal(v, 2);
	assert_int_equal(clint_access_word(&c, CLINT_MSIP, true, 0xf, 3, &v, &mw), 0);
	assert_true(c.msip);
	assert_int_equal(clint_access_word(&c, CLINT_MSIP, true, 0x1, 0, &v, &mw), -EFAULT);
	assert_true(c.msip);
	assert_int_equal(clint_access_word(&c, CLINT_END, false, 0xf, 0, &v, &mw), -EFAULT);
	assert_int_equal(clint_access_word(&c, 0x8000, false, 0xf, 0, &v, &mw), 0);
	assert_int_equal(v, 0);
}

/* Case 3: gateway, claim by priority (lowest id on ties), threshold, complete. */
static void test_plic_claim(void **state)
{
	struct plic p;
	uint32_t v;

	(void)state;
	plic_init(&p);
	plic_access_word(&p, 4 * 3, true, 0xf, 2, &v);
	plic_access_word(&p, 4 * 5, true, 0xf, 2, &v);
	plic_access_word(&p, 4 * 8, true, 0xf, 9, &v);     /* WARL: value mod 8 */
	plic_access_word(&p, 4 * 8, false, 0xf, 0, &v);
	assert_int_equal(v, 1);
	plic_access_word(&p, 0, true, 0xf, 7, &v);         /* source 0 stays 0 */
	plic_access_word(&p, 0, false, 0xf, 0, &v);
	assert_int_equal(v, 0);
	plic_access_word(&p, PLIC_ENABLE0, true, 0xf, (1u << 3) | (1u << 5) | (1u << 8), &v);
	plic_sample_lines(&p, (1u << 3) | (1u << 5) | (1u << 8) | 1u);
	assert_int_equal(p.pending, (1u << 3) | (1u << 5) | (1u << 8));
	assert_true(plic_eip(&p, 0));
	assert_false(plic_eip(&p, 1));
	plic_access_word(&p, PLIC_CLAIM0, false, 0xf, 0, &v);
	assert_int_equal(v, 3);
	plic_sample_lines(&p, 1u << 3);                    /* in service: not pending again */
	assert_false(p.pending & (1u << 3));
	plic_access_word(&p, PLIC_THRESH0, true, 0xf, 2, &v);
	assert_false(plic_eip(&p, 0));                     /* 5 at 2 and 8 at 1: not above 2 */
	plic_access_word(&p, PLIC_CLAIM0, false, 0xf, 0, &v);
	assert_int_equal(v, 0);
	plic_access_word(&p, PLIC_CLAIM0, true, 0xf, 3, &v);   /* complete */
	plic_sample_lines(&p, 1u << 3);
	assert_true(p.pending & (1u << 3));
	assert_int_equal(plic_check(&p), 0);
}

/* Case 4: bus errors past the aperture and for sub-word accesses (a refused claim claims nothing). */
static void test_plic_bus(void **state)
{
	struct plic p;
	uint32_t v;

	(void)state;
	plic_init(&p);
	plic_access_word(&p, 4 * 1, true, 0xf, 1, &v);
	plic_access_word(&p, PLIC_ENABLE1, true, 0xf, 2, &v);
	plic_sample_lines(&p, 2);
	assert_true(plic_eip(&p, 1));
	assert_int_equal(plic_access_word(&p, PLIC_CLAIM1, false, 0x1, 0, &v), -EFAULT);
	assert_true(p.pending & 2u);
	assert_int_equal(plic_access_word(&p, PLIC_END, false, 0xf, 0, &v), -EFAULT);
	assert_int_equal(plic_access_word(&p, 0x300000, false, 0xf, 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(plic_access_word(&p, PLIC_PENDING, false, 0xf, 0, &v), 0);
	assert_int_equal(v, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clint_time),
		cmocka_unit_test(test_clint_regs),
		cmocka_unit_test(test_plic_claim),
		cmocka_unit_test(test_plic_bus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
