/* test_hv_matq.c: cmocka tests of the maturity queue (hypervisor/matq.c): order, FIFO, safepoint drain, wake-ups, devices, overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "matq.h"

/* 1: entries come out in maturity order whatever the push order; only matured ones by time. */
static void test_maturity_order(void **state)
{
	static struct matq q;
	struct matq_entry e;
	const uint64_t mat[5] = { 900, 100, 500, 300, 700 };

	(void)state;
	matq_init(&q);
	for (uint32_t i = 0; i < 5; i++)
		assert_int_equal(matq_push(&q, 0, i, mat[i], 10 * i), 0);
	assert_int_equal(matq_check(&q), 0);
	assert_int_equal(matq_pop_mature(&q, 99, &e), 0);
	assert_int_equal(matq_pop_mature(&q, 100, &e), 1);
	assert_int_equal(e.maturity, 100);
	assert_int_equal(e.tag, 1);
	assert_int_equal(e.host_done, 10);
	assert_int_equal(matq_pop_mature(&q, 650, &e), 1);
	assert_int_equal(e.maturity, 300);
	assert_int_equal(matq_pop_mature(&q, 650, &e), 1);
	assert_int_equal(e.maturity, 500);
	assert_int_equal(matq_pop_mature(&q, 650, &e), 0);
	assert_int_equal(matq_len(&q), 2);
	assert_int_equal(matq_check(&q), 0);
}

/* 2: equal maturities leave in push order (FIFO), also when mixed with others. */
static void test_equal_fifo(void **state)
{
	static struct matq q;
	struct matq_entry e;

	(void)state;
	matq_init(&q);
	assert_int_equal(matq_push(&q, 0, 10, 500, 0), 0);
	assert_int_equal(matq_push(&q, 1, 11, 200, 0), 0);
	assert_int_equal(matq_push(&q, 2, 12, 500, 0), 0);
	assert_int_equal(matq_push(&q, 3, 13, 500, 0), 0);
	assert_int_equal(matq_push(&q, 4, 14, 200, 0), 0);
	assert_int_equal(matq_check(&q), 0);
	for (uint32_t want = 0; want < 5; want++) {
		static const uint32_t tags[5] = { 11, 14, 10, 12, 13 };

		assert_int_equal(matq_pop_mature(&q, 1000, &e), 1);
		assert_int_equal(e.tag, tags[want]);
	}
	assert_int_equal(matq_pop(&q, &e), 0);
	assert_int_equal(matq_check(&q), 0);
}

/* 3: a safepoint drains everything, immature too, earliest first; a device's poll takes only its own. */
static void test_safepoint_drain(void **state)
{
	static struct matq q;
	struct matq_entry e;
	uint64_t last = 0;
	uint32_t n = 0;

	(void)state;
	matq_init(&q);
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(matq_push(&q, i % 3, i, 1000 + (i * 37) % 11, i), 0);
	assert_int_equal(matq_pop_dev(&q, 2, &e), 1);
	assert_int_equal(e.dev, 2);
	assert_int_equal(matq_pop_dev(&q, 7, &e), 0);
	assert_int_equal(matq_check(&q), 0);
	/* nothing has matured at 0, the drain takes them anyway */
	assert_int_equal(matq_pop_mature(&q, 0, &e), 0);
	while (matq_pop(&q, &e)) {
		assert_true(e.maturity >= last);
		last = e.maturity;
		n++;
	}
	assert_int_equal(n, 7);
	assert_int_equal(matq_len(&q), 0);
	assert_int_equal(matq_check(&q), 0);
}

/* 4: the timer: next wake-up = min(guest timer, earliest maturity), re-armed as entries leave. */
static void test_wakeup(void **state)
{
	static struct matq q;
	struct matq_entry e;

	(void)state;
	matq_init(&q);
	assert_true(matq_earliest(&q) == MATQ_NONE);
	assert_true(matq_wakeup(&q, MATQ_NONE) == MATQ_NONE);
	assert_int_equal(matq_wakeup(&q, 5000), 5000);
	assert_int_equal(matq_push(&q, 0, 1, 3000, 0), 0);
	assert_int_equal(matq_push(&q, 0, 2, 7000, 0), 0);
	assert_int_equal(matq_wakeup(&q, 5000), 3000);
	assert_int_equal(matq_wakeup(&q, 1000), 1000);
	assert_int_equal(matq_wakeup(&q, MATQ_NONE), 3000);
	assert_int_equal(matq_pop_mature(&q, 3000, &e), 1);
	assert_int_equal(matq_wakeup(&q, 5000), 5000);
	assert_int_equal(matq_wakeup(&q, MATQ_NONE), 7000);
	assert_int_equal(matq_pop(&q, &e), 1);
	assert_true(matq_wakeup(&q, MATQ_NONE) == MATQ_NONE);
}

/* 5: many devices: each entry keeps its device id; a bad id is refused. */
static void test_devices(void **state)
{
	static struct matq q;
	struct matq_entry e;
	uint32_t seen = 0;

	(void)state;
	matq_init(&q);
	for (uint32_t d = 0; d < MATQ_MAX_DEV; d++)
		assert_int_equal(matq_push(&q, d, 100 + d, 50u * (MATQ_MAX_DEV - d), 0), 0);
	assert_int_equal(matq_push(&q, MATQ_MAX_DEV, 0, 1, 0), MATQ_EINVAL);
	assert_int_equal(matq_len(&q), MATQ_MAX_DEV);
	assert_int_equal(matq_check(&q), 0);
	while (matq_pop(&q, &e)) {
		assert_int_equal(e.tag, 100 + e.dev);
		seen |= 1u << e.dev;
	}
	assert_int_equal(seen, (1u << MATQ_MAX_DEV) - 1u);
}

/* 6: overflow: the push past MATQ_CAP is refused with a negative code and nothing is lost. */
static void test_overflow(void **state)
{
	static struct matq q;
	struct matq_entry e;
	uint32_t n = 0;

	(void)state;
	matq_init(&q);
	for (uint32_t i = 0; i < MATQ_CAP; i++)
		assert_int_equal(matq_push(&q, 0, i, 1000 - i, 0), 0);
	assert_true(matq_push(&q, 0, 999, 1, 0) < 0);
	assert_int_equal(q.refused, 1);
	assert_int_equal(matq_len(&q), MATQ_CAP);
	assert_int_equal(matq_check(&q), 0);
	while (matq_pop(&q, &e)) {
		assert_int_equal(e.tag, MATQ_CAP - 1 - n);
		n++;
	}
	assert_int_equal(n, MATQ_CAP);
	assert_int_equal(matq_check(&q), 0);
}

/* 7: matq_check finds each broken rule. */
static void test_check_detects(void **state)
{
	static struct matq q;

	(void)state;
	matq_init(&q);
	assert_int_equal(matq_push(&q, 0, 1, 10, 0), 0);
	assert_int_equal(matq_push(&q, 0, 2, 20, 0), 0);
	q.e[0].maturity = 30;
	assert_int_equal(matq_check(&q), -2);
	q.e[0].maturity = 10;
	q.e[1].dev = MATQ_MAX_DEV;
	assert_int_equal(matq_check(&q), -3);
	q.e[1].dev = 0;
	q.popped = 5;
	assert_int_equal(matq_check(&q), -4);
	q.popped = 0;
	q.n = MATQ_CAP + 1;
	assert_int_equal(matq_check(&q), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maturity_order), cmocka_unit_test(test_equal_fifo),
		cmocka_unit_test(test_safepoint_drain), cmocka_unit_test(test_wakeup),
		cmocka_unit_test(test_devices),         cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_check_detects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
