/* test_iocheck.c: cmocka tests of the completion-delivery checker on synthetic retirement streams and event records: good deliveries under each policy pass, each broken rule is flagged with its line. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "iocheck.h"

#define B 100u
#define DEV 0x1000F000u
/* sw x5, 0x14(x6); lw x5, 0x18(x6); wfi; mret */
#define SW_CMD  ((5u << 20) | (6u << 15) | (2u << 12) | (0x14u << 7) | 0x23u)
#define LW_STAT ((0x18u << 20) | (6u << 15) | (2u << 12) | (5u << 7) | 0x03u)
#define WFI     0x10500073u
#define MRET    0x30200073u
#define NOP     0x00000013u
#define CSRS_MIP ((0x344u << 20) | (15u << 15) | (2u << 12) | 0x73u)   /* csrs mip, x15 */

static int setup(void **state)
{
	struct iocheck *c = calloc(1, sizeof(*c));

	if (!c || iocheck_init(c, B))
		return -1;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct iocheck *c = *state;

	assert_int_equal(iocheck_check(c), 0);
	iocheck_free(c);
	free(c);
	return 0;
}

static void ret(struct iocheck *c, uint64_t t, uint8_t mode, uint8_t trap, uint8_t intr,
		uint32_t cause, uint32_t insn, uint32_t rs1)
{
	struct iocheck_ret r = { .cycle = t, .insn = insn, .cause = cause, .rs1_rdata = rs1,
				 .trap = trap, .intr = intr, .mode = mode };

	iocheck_retire(c, &r);
}

/* The guest runs in S at t. */
static void guest(struct iocheck *c, uint64_t t)
{
	ret(c, t, 1, 0, 0, 0, NOP, 0);
}

/*
 * A stretch of M-mode from t to end (its mret), entered by the S-mode record given; at
 * seip (0: never) the hypervisor sets mip.SEIP.
 */
static void m_stretch(struct iocheck *c, uint64_t t, uint64_t end, uint8_t trap, uint32_t cause,
		      uint32_t insn, uint32_t rs1, uint64_t seip)
{
	if (trap)
		ret(c, t, 1, 1, 0, cause, insn, rs1);
	ret(c, t + 1, 3, 0, !trap, trap ? 0 : 7, NOP, 0);
	if (seip) {
		ret(c, seip - 1, 3, 0, 0, 0, CSRS_MIP, 0x100);   /* another bit: not a delivery */
		ret(c, seip, 3, 0, 0, 0, CSRS_MIP, 0x200);
	}
	ret(c, end, 3, 0, 0, 0, MRET, 0);
	guest(c, end + 1);
}

static void cmd_trap(struct iocheck *c, uint64_t t, uint64_t end, uint32_t cause)
{
	m_stretch(c, t, end, 1, cause, SW_CMD, DEV, 0);
}

static void wfi_trap(struct iocheck *c, uint64_t t, uint64_t end, uint64_t seip)
{
	m_stretch(c, t, end, 1, 2, WFI, 0, seip);
}

static void poll_trap(struct iocheck *c, uint64_t t, uint64_t end, uint64_t seip)
{
	m_stretch(c, t, end, 1, 13, LW_STAT, DEV, seip);
}

static void m_irq(struct iocheck *c, uint64_t t, uint64_t end, uint64_t seip)
{
	m_stretch(c, t, end, 0, 0, 0, 0, seip);
}

static void sei(struct iocheck *c, uint64_t t)
{
	ret(c, t, 1, 0, 1, 9, NOP, 0);
}

static struct iolog_event ev(uint32_t seq, uint8_t reason, uint64_t issue, uint64_t host,
			     uint64_t maturity, uint64_t delivered)
{
	return (struct iolog_event){ .seq = seq, .lba = 8, .count = 8, .cmd = 1, .reason = reason,
				     .issue = issue, .host_done = host, .maturity = maturity,
				     .delivered = delivered };
}

static void set_policy(struct iocheck *c, uint32_t policy, uint32_t sp)
{
	c->policy = policy;
	c->safepoints = sp;
}

static void expect_fail(struct iocheck *c, const struct iolog_event *e, const char *what)
{
	assert_int_equal(iocheck_record(c, e), -EPROTO);
	if (!strstr(c->why, what))
		fail_msg("line \"%s\" does not say \"%s\"", c->why, what);
}

/* A request issued at 1000 (M until 1050) that the host disk completes at 3000. */
static void issued(struct iocheck *c)
{
	guest(c, 900);
	cmd_trap(c, 1000, 1050, 15);
	iocheck_host_done(c, 3000);
}

/* 1: mature, delivered by the maturity timer; the whole run's records present. */
static void t1_mature_maturity(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event e = ev(1, IOLOG_MATURITY, 1010, 3030, 7000, 7050);

	set_policy(c, IOLOG_POL_MATURE, IOLOG_SP_IDLE);
	issued(c);
	m_irq(c, 7010, 7100, 7050);
	sei(c, 7102);
	assert_int_equal(iocheck_record(c, &e), 0);
	assert_int_equal(iocheck_finish(c, true, 8000), 0);
	assert_int_equal(c->by_reason[IOLOG_MATURITY], 1);
	assert_int_equal(c->delay_max, 50);   /* delivered 50 cycles after maturity */
}

/* 2: immediate, delivered B cycles after the host at most; native's access fault (cause 7) issues too. */
static void t2_immediate(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event e = ev(1, IOLOG_IMMEDIATE, 1010, 3020, 7000, 3090);

	set_policy(c, IOLOG_POL_IMMEDIATE, 0);
	guest(c, 900);
	cmd_trap(c, 1000, 1050, 7);
	iocheck_host_done(c, 3000);
	m_irq(c, 3010, 3095, 3090);
	assert_int_equal(iocheck_record(c, &e), 0);
}

/* 3: mature, the guest idles (emulated WFI) when the host completes: delivered then. */
static void t3_idle(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event e = ev(1, IOLOG_SAFEPOINT_IDLE, 1010, 3020, 7000, 3060);

	set_policy(c, IOLOG_POL_MATURE, IOLOG_SP_IDLE);
	issued(c);
	wfi_trap(c, 2000, 3100, 3060);
	sei(c, 3102);
	assert_int_equal(iocheck_record(c, &e), 0);
}

/* 4: mature, a STATUS read after the host completion delivers it. */
static void t4_poll(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event e = ev(1, IOLOG_SAFEPOINT_POLL, 1010, 3020, 7000, 4020);

	set_policy(c, IOLOG_POL_MATURE, IOLOG_SP_IDLE | IOLOG_SP_POLL);
	issued(c);
	m_irq(c, 3010, 3040, 0);
	poll_trap(c, 4000, 4050, 4020);
	assert_int_equal(iocheck_record(c, &e), 0);
}

/* 5: delivered before the host completed it. */
static void t5_before_host(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event e = ev(1, IOLOG_IMMEDIATE, 1010, 2400, 7000, 2500);

	set_policy(c, IOLOG_POL_IMMEDIATE, 0);
	guest(c, 900);
	cmd_trap(c, 1000, 1050, 15);
	m_irq(c, 2450, 2550, 2500);
	iocheck_host_done(c, 3000);
	expect_fail(c, &e, "before the host disk completed the request");
	assert_int_equal(c->at, 2500);
	assert_non_null(strstr(c->why, "seq 1 (READ lba 8 count 8"));
}

/* 6: nominal, delivered before maturity. */
static void t6_nominal_early(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event e = ev(1, IOLOG_MATURITY, 1010, 3020, 7000, 3050);

	set_policy(c, IOLOG_POL_NOMINAL, 0);
	issued(c);
	m_irq(c, 3010, 3100, 3050);
	expect_fail(c, &e, "before its maturity 7000 (policy nominal)");
}

/* 7: mature, the hypervisor lets an idle safepoint pass and waits for maturity. */
static void t7_mature_late(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event e = ev(1, IOLOG_MATURITY, 1010, 3020, 7000, 7050);

	set_policy(c, IOLOG_POL_MATURE, IOLOG_SP_IDLE);
	issued(c);
	m_irq(c, 3010, 3040, 0);
	wfi_trap(c, 4000, 4050, 0);
	m_irq(c, 7010, 7100, 7050);
	expect_fail(c, &e, "after the deadline 4100");
	assert_non_null(strstr(c->why, "first safepoint safepoint-idle 4000"));
}

/* 8: a deadline inside a busy M-mode stretch moves to its end, not further. */
static void t8_busy_stretch(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event ok = ev(1, IOLOG_IMMEDIATE, 1010, 3420, 7000, 3450);
	struct iolog_event late = ev(1, IOLOG_IMMEDIATE, 1010, 3620, 7000, 3650);

	set_policy(c, IOLOG_POL_IMMEDIATE, 0);
	issued(c);
	m_stretch(c, 2900, 3500, 1, 15, SW_CMD, DEV, 3450);   /* a long trap (a second COMMAND) */
	assert_int_equal(iocheck_record(c, &ok), 0);
	assert_int_equal(c->delay_busy_max, 450);   /* due at 3000 inside that stretch */
	assert_int_equal(c->busy_cause, 15);
	assert_int_equal(c->busy_insn, SW_CMD);
	iocheck_free(c);
	iocheck_init(c, B);
	set_policy(c, IOLOG_POL_IMMEDIATE, 0);
	issued(c);
	m_stretch(c, 2900, 3500, 1, 13, NOP, 0, 0);
	m_irq(c, 3600, 3700, 3650);
	expect_fail(c, &late, "after the deadline 3500");
}

/* 9: an emulated WFI does not move the deadline: the hypervisor can deliver from there. */
static void t9_idle_no_excuse(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event e = ev(1, IOLOG_SAFEPOINT_IDLE, 1010, 3020, 7000, 4500);

	set_policy(c, IOLOG_POL_MATURE, IOLOG_SP_IDLE);
	issued(c);
	wfi_trap(c, 2000, 5000, 4500);
	expect_fail(c, &e, "after the deadline 3100");
}

/* 10: records for a SEQ never issued, and twice for one SEQ. */
static void t10_seq(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event e = ev(1, IOLOG_MATURITY, 1010, 3020, 7000, 7050);
	struct iolog_event e2 = ev(2, IOLOG_MATURITY, 1010, 3020, 7000, 7050);

	set_policy(c, IOLOG_POL_MATURE, IOLOG_SP_IDLE);
	issued(c);
	m_irq(c, 7010, 7100, 7050);
	expect_fail(c, &e2, "names a SEQ never issued (1 COMMAND writes");
	c->err = 0;
	assert_int_equal(iocheck_record(c, &e), 0);
	expect_fail(c, &e, "a second record for this SEQ");
}

/* 11: the logged issue must fall in the hypervisor's handling of the COMMAND store. */
static void t11_issue_cycle(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event e = ev(1, IOLOG_MATURITY, 1200, 3020, 7000, 7050);

	set_policy(c, IOLOG_POL_MATURE, IOLOG_SP_IDLE);
	issued(c);
	m_irq(c, 7010, 7100, 7050);
	expect_fail(c, &e, "outside the hypervisor's handling of the COMMAND write (M-mode 1000..1050)");
}

/* 12: a reason the policy does not allow; a safepoint reason with no safepoint there. */
static void t12_reason(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event e = ev(1, IOLOG_MATURITY, 1010, 3020, 7000, 7050);
	struct iolog_event p = ev(1, IOLOG_SAFEPOINT_POLL, 1010, 3020, 7000, 3050);

	set_policy(c, IOLOG_POL_IMMEDIATE, 0);
	issued(c);
	m_irq(c, 3010, 3100, 3050);
	expect_fail(c, &e, "reason maturity is not allowed under policy immediate");
	c->err = 0;
	set_policy(c, IOLOG_POL_MATURE, IOLOG_SP_POLL);
	expect_fail(c, &p, "reason safepoint-poll, but at 3050 the hypervisor was not handling a guest STATUS read");
}

/* 13: the guest took the interrupt before the logged delivery. */
static void t13_sei_early(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event e = ev(1, IOLOG_IMMEDIATE, 1010, 3020, 7000, 3095);

	set_policy(c, IOLOG_POL_IMMEDIATE, 0);
	issued(c);
	sei(c, 3050);
	m_irq(c, 3080, 3100, 3095);
	expect_fail(c, &e, "the guest took a supervisor external interrupt at 3050");
}

/* 14: a passed run with an issued request that has no record fails; a failed run does not add to it. */
static void t14_finish(void **state)
{
	struct iocheck *c = *state;

	set_policy(c, IOLOG_POL_MATURE, IOLOG_SP_IDLE);
	issued(c);
	assert_int_equal(iocheck_finish(c, false, 9000), 0);
	assert_int_equal(iocheck_finish(c, true, 9000), -EPROTO);
	assert_non_null(strstr(c->why, "seq 1, issued by the COMMAND write that trapped at 1000, has no record"));
}

/* 15: rejected requests: ERROR 1..5 only; one delivered with an ERROR other than 6 is flagged. */
static void t15_rejected(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event r = ev(1, IOLOG_REJECTED, 1010, 0, 0, 0);
	struct iolog_event bad = ev(2, IOLOG_REJECTED, 2010, 0, 0, 0);

	set_policy(c, IOLOG_POL_MATURE, IOLOG_SP_IDLE);
	guest(c, 900);
	cmd_trap(c, 1000, 1050, 15);
	cmd_trap(c, 2000, 2050, 15);
	r.error = 4;
	assert_int_equal(iocheck_record(c, &r), 0);
	expect_fail(c, &bad, "rejected with ERROR 0, not 1..5");
	assert_int_equal(c->by_reason[IOLOG_REJECTED], 1);
}

/* 16: a corrupt log is a violation too, and the first violation stays. */
static void t16_log_error(void **state)
{
	struct iocheck *c = *state;
	struct iolog l;

	iolog_init(&l, 0x80000000u);
	snprintf(l.why, sizeof(l.why), "umbra_iolog at 0x80000000: magic 0x1, not 0x474c4f49");
	assert_int_equal(iocheck_log_error(c, &l, 5), -EPROTO);
	assert_non_null(strstr(c->why, "magic 0x1"));
	assert_int_equal(iocheck_finish(c, true, 6), -EPROTO);
	assert_non_null(strstr(c->why, "magic 0x1"));
}

/* 17: stores and loads elsewhere, other widths and U-mode traps are not device events. */
static void t17_classify(void **state)
{
	struct iocheck *c = *state;

	guest(c, 10);
	m_stretch(c, 100, 150, 1, 15, SW_CMD, DEV + 4, 0);                  /* sw to LBA+... no */
	m_stretch(c, 200, 250, 1, 15, SW_CMD & ~(7u << 12), DEV, 0);        /* sb to COMMAND */
	m_stretch(c, 300, 350, 1, 13, LW_STAT, DEV + 4, 0);                 /* lw of ERROR+... */
	m_stretch(c, 400, 450, 1, 2, NOP, 0, 0);                            /* other illegal */
	assert_int_equal(c->nissue, 0);
	for (size_t i = 0; i < c->nspan; i++)
		assert_int_equal(c->span[i].kind, IOCK_OTHER);
	assert_int_equal(c->span[1].start, 100);
	assert_int_equal(c->span[1].end, 150);
	assert_int_equal(iocheck_bound(3), IOCHECK_BOUND_BASE + 3 * IOCHECK_BOUND_PER_LAT);
}

/* 18: a logged delivery with no mip.SEIP write behind it, or one in a later stretch. */
static void t18_no_seip(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event e = ev(1, IOLOG_IMMEDIATE, 1010, 3020, 7000, 3020);

	set_policy(c, IOLOG_POL_IMMEDIATE, 0);
	issued(c);
	m_irq(c, 3010, 3040, 0);
	m_irq(c, 3100, 3200, 3150);
	expect_fail(c, &e, "logged as delivered at 3020, but the hypervisor raised no mip.SEIP then (none in that M-mode stretch)");
}

/* 19: the rules apply to the observed mip.SEIP write, not to the logged cycle. */
static void t19_observed(void **state)
{
	struct iocheck *c = *state;
	struct iolog_event e = ev(1, IOLOG_MATURITY, 1010, 3020, 7000, 6995);

	set_policy(c, IOLOG_POL_NOMINAL, 0);
	issued(c);
	m_irq(c, 6990, 7100, 7050);   /* logged at the timer's entry, raised after maturity: fine */
	assert_int_equal(iocheck_record(c, &e), 0);
	assert_int_equal(c->delay_busy_max, 50);   /* in M already when it fell due */
	iocheck_free(c);
	iocheck_init(c, B);
	set_policy(c, IOLOG_POL_IMMEDIATE, 0);
	e = ev(1, IOLOG_IMMEDIATE, 1010, 3005, 7000, 3005);
	issued(c);
	m_irq(c, 3004, 3300, 3250);   /* logged early, raised 250 after the host: B is 100 */
	expect_fail(c, &e, "mip.SEIP raised at 3250, after the deadline 3100");
}

/* 20: a long run: the stretches no record can need are dropped, every record still checked. */
static void t20_long_run(void **state)
{
	struct iocheck *c = *state;
	uint64_t t = 1000;
	uint32_t seq;

	set_policy(c, IOLOG_POL_IMMEDIATE, 0);
	guest(c, 900);
	for (seq = 1; seq <= 40000; seq++, t += 10000) {
		struct iolog_event e = ev(seq, IOLOG_IMMEDIATE, t + 10, t + 3020, t + 7000, t + 3020);

		cmd_trap(c, t, t + 50, 15);
		iocheck_host_done(c, t + 3000);
		m_irq(c, t + 3010, t + 3100, t + 3050);
		assert_int_equal(iocheck_record(c, &e), 0);
	}
	assert_int_equal(c->records, 40000);
	assert_true(c->nspan <= IOCHECK_PRUNE_SPANS);
	assert_int_equal(iocheck_finish(c, true, t), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t1_mature_maturity, setup, teardown),
		cmocka_unit_test_setup_teardown(t2_immediate, setup, teardown),
		cmocka_unit_test_setup_teardown(t3_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(t4_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(t5_before_host, setup, teardown),
		cmocka_unit_test_setup_teardown(t6_nominal_early, setup, teardown),
		cmocka_unit_test_setup_teardown(t7_mature_late, setup, teardown),
		cmocka_unit_test_setup_teardown(t8_busy_stretch, setup, teardown),
		cmocka_unit_test_setup_teardown(t9_idle_no_excuse, setup, teardown),
		cmocka_unit_test_setup_teardown(t10_seq, setup, teardown),
		cmocka_unit_test_setup_teardown(t11_issue_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(t12_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(t13_sei_early, setup, teardown),
		cmocka_unit_test_setup_teardown(t14_finish, setup, teardown),
		cmocka_unit_test_setup_teardown(t15_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(t16_log_error, setup, teardown),
		cmocka_unit_test_setup_teardown(t17_classify, setup, teardown),
		cmocka_unit_test_setup_teardown(t18_no_seip, setup, teardown),
		cmocka_unit_test_setup_teardown(t19_observed, setup, teardown),
		cmocka_unit_test_setup_teardown(t20_long_run, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
