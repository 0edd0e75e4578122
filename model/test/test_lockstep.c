/* test_lockstep.c: cmocka tests of the lockstep checker (model/lockstep.c) and the disassembler it reports with. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "iss.h"
#include "iss_fixture.h"
#include "lockstep.h"

#define CODE 0x80000000u

struct fixture {
	struct iss_machine m;
	struct lockstep ls;
	struct iss ref;         /* a second model run freely: plays the RTL */
	char report[8192];
};

/* A little program: ra = 5, sp = ra * 3, stored at CODE + 0x100 and loaded into tp, tp + 1, spin. */
static const uint32_t program[] = {
	0x00500093,   /* addi ra, zero, 5 */
	0x00300113,   /* addi sp, zero, 3 */
	0x02208133,   /* mul sp, ra, sp */
	0x800001b7,   /* lui gp, 0x80000 */
	0x1021a023,   /* sw sp, 256(gp) */
	0x1001a203,   /* lw tp, 256(gp) */
	0x00120213,   /* addi tp, tp, 1 */
	0x0000006f,   /* jal zero, . */
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx || iss_machine_init(&fx->m, CODE) ||
	    mem_write_bytes(&fx->m.ram, CODE, program, sizeof(program)))
		return -1;
	lockstep_init(&fx->ls, &fx->m.ram, &fx->m.bus, 10);
	iss_init(&fx->ref, &fx->m.ram, &fx->m.bus, NULL, 10);
	fx->ls.iss.pc = fx->ref.pc = CODE;   /* skip the boot ROM */
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	iss_machine_free(&fx->m);
	free(fx);
	return 0;
}

/* The reference's next retirement, as the RTL would report it. */
static void ref_retire(struct fixture *fx, struct iss_rvfi *r)
{
	struct iss_rvfi none;

	memset(&none, 0, sizeof(none));
	fx->ref.lockstep = true;
	assert_int_equal(iss_lockstep_step(&fx->ref, &none, r), 0);
}

static int check(struct fixture *fx, const struct iss_rvfi *r, uint64_t cycle)
{
	FILE *f = fmemopen(fx->report, sizeof(fx->report) - 1, "w");
	int rc;

	assert_non_null(f);
	rc = lockstep_step(&fx->ls, r, cycle, f);
	fclose(f);
	return rc;
}

/* Case 1: every field difference is named; bytes outside the mask and fetch-fault words are not compared. */
static void test_compare_fields(void **state)
{
	struct iss_rvfi a, b;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.order = 7; a.pc_rdata = CODE; a.insn = 0x1021a023; a.pc_wdata = CODE + 4;
	a.mem_addr = CODE + 0x100; a.mem_wmask = 0x3; a.mem_wdata = 0x11112222;
	a.gwb_valid = 1; a.gwb_addr = 0x80300000; a.gwb_word0 = 0x80000101; a.gwb_word1 = 0x2222;
	b = a;
	assert_string_equal(lockstep_compare(&a, &b), "");
	b.mem_wdata = 0x99992222;   /* outside the mask */
	assert_string_equal(lockstep_compare(&a, &b), "");
#define DIFF(field, value, name) do { b = a; b.field = value; \
		assert_string_equal(lockstep_compare(&a, &b), name); } while (0)
	DIFF(order, 8, "order");
	DIFF(pc_rdata, CODE + 4, "pc");
	DIFF(mode, 1, "mode");
	DIFF(trap, 1, "trap");
	DIFF(intr, 1, "intr");
	DIFF(insn, 0x13, "insn");
	DIFF(rd_addr, 3, "rd_addr");
	DIFF(rd_wdata, 1, "rd_wdata");
	DIFF(pc_wdata, CODE, "pc_wdata");
	DIFF(mem_wmask, 0xf, "mem_write");
	DIFF(mem_addr, CODE, "mem_write");
	DIFF(mem_wdata, 0x11112223, "mem_wdata");
	DIFF(mem_rmask, 1, "mem_read");
	DIFF(gwb_valid, 0, "gwb_valid");
	DIFF(gwb_addr, 0x80300008, "gwb_record");
	DIFF(gwb_word0, 0x80000102, "gwb_record");
	DIFF(gwb_word1, 0x2223, "gwb_record");
#undef DIFF
	/* a fetch fault has no instruction word to compare */
	a.trap = b.trap = 1;
	a.cause = b.cause = 12;
	b = a;
	b.insn = 0xdeadbeef;
	assert_string_equal(lockstep_compare(&a, &b), "");
	b.cause = 1;
	assert_string_equal(lockstep_compare(&a, &b), "trap");
}

/* Case 2: the model follows a faithful "RTL" through a program without complaint. */
static void test_follow(void **state)
{
	struct fixture *fx = *state;
	struct iss_rvfi r;
	unsigned i;

	for (i = 0; i < 40; i++) {
		ref_retire(fx, &r);
		assert_int_equal(check(fx, &r, 100 + i), 0);
	}
	assert_int_equal(fx->ls.checked, 40);
	assert_int_equal(fx->ls.nhist, LOCKSTEP_HISTORY);
	assert_int_equal(lockstep_check_state(&fx->ls), 0);
	assert_int_equal(fx->ls.iss.x[4], 16);
}

/* Case 3: a corrupted register write is reported at that retirement, with both sides and the history. */
static void test_report_mismatch(void **state)
{
	struct fixture *fx = *state;
	struct iss_rvfi r;
	unsigned i;

	for (i = 0; i < 6; i++) {
		ref_retire(fx, &r);
		if (i == 5)
			r.rd_wdata ^= 1;   /* lw tp: the RTL "loaded" 14 */
		assert_int_equal(check(fx, &r, 1000 + i), i == 5 ? -1 : 0);
	}
	assert_non_null(strstr(fx->report, "mismatch in rd_wdata at retirement 5 (cycle 1005), pc 0x80000014"));
	assert_non_null(strstr(fx->report, "x4 = 0x0000000e"));
	assert_non_null(strstr(fx->report, "x4 = 0x0000000f"));
	assert_non_null(strstr(fx->report, "the last 5 retirements"));
	assert_non_null(strstr(fx->report, "mul sp, ra, sp"));
	assert_non_null(strstr(fx->report, "st [0x80000100]=0x0000000f/f"));
	/* nothing more is checked after the first mismatch */
	ref_retire(fx, &r);
	assert_int_equal(check(fx, &r, 2000), -1);
	assert_int_equal(fx->ls.checked, 5);
}

/* Case 4: an interrupt the model's state does not enable is a mismatch. */
static void test_unexpected_interrupt(void **state)
{
	struct fixture *fx = *state;
	struct iss_rvfi r;

	ref_retire(fx, &r);
	r.intr = 1;
	r.cause = IRQ_MT;   /* mie and mstatus.MIE are 0 */
	assert_int_equal(check(fx, &r, 10), -1);
	assert_non_null(strstr(fx->report, "mismatch in intr"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_fields),
		cmocka_unit_test_setup_teardown(test_follow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unexpected_interrupt, setup, teardown),
	};

	return cmocka_run_group_tests_name("lockstep", tests, NULL, NULL);
}
