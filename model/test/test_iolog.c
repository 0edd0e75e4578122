/* test_iolog.c: cmocka tests of the umbra_iolog reader: good logs read online across the wrap, exact latency figures, and every corrupt block refused with its line. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "iolog.h"

#define LOG 0x80002000u

struct fx {
	struct mem ram;
	struct iolog l;
	uint32_t head;
	unsigned seen;     /* records handed to the callback */
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	if (!x || mem_init_ram(&x->ram, MEM_RAM_BASE, MEM_MIB))
		return -1;
	iolog_init(&x->l, LOG);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	iolog_free(&x->l);
	mem_free_ram(&x->ram);
	free(x);
	return 0;
}

static void put32(struct fx *x, uint32_t addr, uint32_t v)
{
	assert_int_equal(mem_write_bytes(&x->ram, addr, &v, 4), 0);
}

static void put_header(struct fx *x, uint32_t magic, uint32_t cap, uint32_t policy, uint32_t sp)
{
	put32(x, LOG, magic);
	put32(x, LOG + 4, cap);
	put32(x, LOG + 8, policy);
	put32(x, LOG + 12, sp);
	put32(x, LOG + 16, x->head);
}

/* Appends one record as the hypervisor does: the record, then head. */
static void append(struct fx *x, uint32_t seq, uint8_t reason, uint64_t issue, uint64_t delivered)
{
	uint8_t b[IOLOG_EVENT_BYTES] = { 0 };
	uint32_t w[3] = { seq, 8 * seq, 8 };
	uint64_t c[4] = { issue, issue + 100, issue + 6000, delivered };

	memcpy(b, w, sizeof(w));
	b[12] = 1;
	b[14] = reason;
	memcpy(b + 16, c, sizeof(c));
	assert_int_equal(mem_write_bytes(&x->ram, LOG + IOLOG_HDR_BYTES +
					 (x->head % IOLOG_CAP) * IOLOG_EVENT_BYTES, b, sizeof(b)), 0);
	x->head++;
	put32(x, LOG + 16, x->head);
}

static int count_cb(void *ctx, const struct iolog_event *e)
{
	struct fx *x = ctx;

	assert_int_equal(e->seq, x->seen + 1);   /* in ring order */
	x->seen++;
	return 0;
}

/* 1: a log the hypervisor has not set up yet (all zero) has no records and is no error. */
static void t1_not_set_up(void **state)
{
	struct fx *x = *state;

	assert_int_equal(iolog_poll(&x->l, &x->ram, count_cb, x), 0);
	assert_false(x->l.started);
	put_header(x, IOLOG_MAGIC, IOLOG_CAP, 0, 0);   /* static initialiser, no policy yet */
	assert_int_equal(iolog_poll(&x->l, &x->ram, count_cb, x), 0);
	assert_false(x->l.started);
	assert_int_equal(iolog_check(&x->l), 0);
	put_header(x, IOLOG_MAGIC, IOLOG_CAP, IOLOG_POL_MATURE, 1);
	assert_int_equal(iolog_poll(&x->l, &x->ram, count_cb, x), 0);
	assert_true(x->l.started);
	put_header(x, IOLOG_MAGIC, IOLOG_CAP, 0, 1);   /* once set up, policy 0 is corrupt */
	assert_int_equal(iolog_poll(&x->l, &x->ram, count_cb, x), -EINVAL);
}

/* 2: latencies are exact: p50/p99 nearest rank and the mean over delivered records only. */
static void t2_latency(void **state)
{
	struct fx *x = *state;
	uint32_t i;

	put_header(x, IOLOG_MAGIC, IOLOG_CAP, IOLOG_POL_MATURE, IOLOG_SP_IDLE);
	for (i = 1; i <= 100; i++)   /* latencies 10, 20, ..., 1000 */
		append(x, i, IOLOG_MATURITY, 1000 * i, 1000 * i + 10 * i);
	append(x, 101, IOLOG_REJECTED, 200000, 0);   /* not a latency */
	assert_int_equal(iolog_poll(&x->l, &x->ram, count_cb, x), 101);
	assert_int_equal(iolog_latency_pct(&x->l, 50), 500);
	assert_int_equal(iolog_latency_pct(&x->l, 99), 990);
	assert_true(iolog_latency_mean(&x->l) == 505.0);
	assert_int_equal(x->l.by_reason[IOLOG_MATURITY], 100);
	assert_int_equal(x->l.by_reason[IOLOG_REJECTED], 1);
	assert_int_equal(iolog_check(&x->l), 0);
}

/* 3: read online, the ring wraps many times and no record is lost or read twice. */
static void t3_wrap(void **state)
{
	struct fx *x = *state;
	uint32_t i;

	put_header(x, IOLOG_MAGIC, IOLOG_CAP, IOLOG_POL_IMMEDIATE, 0);
	for (i = 1; i <= 1000; i++) {
		append(x, i, IOLOG_IMMEDIATE, 10 * i, 10 * i + 7);
		if (i % IOLOG_CAP == 0 || i == 1000)   /* a full ring at each poll */
			assert_true(iolog_poll(&x->l, &x->ram, count_cb, x) > 0);
	}
	assert_int_equal(x->seen, 1000);
	assert_int_equal(x->l.next, 1000);
	assert_int_equal(iolog_poll(&x->l, &x->ram, count_cb, x), 0);
	assert_int_equal(iolog_latency_pct(&x->l, 99), 7);
	assert_int_equal(iolog_check(&x->l), 0);
}

/* Expects the poll to fail with err and a line containing what; the error is sticky. */
static void expect_corrupt(struct fx *x, int err, const char *what)
{
	assert_int_equal(iolog_poll(&x->l, &x->ram, NULL, NULL), err);
	if (!strstr(x->l.why, what))
		fail_msg("line \"%s\" does not say \"%s\"", x->l.why, what);
	assert_non_null(strstr(x->l.why, "umbra_iolog at 0x80002000"));
	assert_int_equal(iolog_poll(&x->l, &x->ram, NULL, NULL), err);
	assert_int_equal(iolog_check(&x->l), 0);
}

/* 4: 257 records unread: the ring overflowed, refused, never skipped. */
static void t4_overflow(void **state)
{
	struct fx *x = *state;
	uint32_t i;

	put_header(x, IOLOG_MAGIC, IOLOG_CAP, IOLOG_POL_MATURE, IOLOG_SP_IDLE);
	for (i = 1; i <= IOLOG_CAP + 1; i++)
		append(x, i, IOLOG_MATURITY, 10 * i, 10 * i + 7);
	expect_corrupt(x, -EOVERFLOW, "records 0..0 were overwritten");
}

/* 5: bad magic. */
static void t5_magic(void **state)
{
	struct fx *x = *state;

	put_header(x, 0x12345678u, IOLOG_CAP, IOLOG_POL_MATURE, 1);
	expect_corrupt(x, -EINVAL, "magic 0x12345678");
}

/* 6: bad capacity. */
static void t6_cap(void **state)
{
	struct fx *x = *state;

	put_header(x, IOLOG_MAGIC, 128, IOLOG_POL_MATURE, 1);
	expect_corrupt(x, -EINVAL, "capacity 128");
}

/* 7: bad policy and bad safepoint bits. */
static void t7_policy(void **state)
{
	struct fx *x = *state;

	put_header(x, IOLOG_MAGIC, IOLOG_CAP, 4, 1);
	expect_corrupt(x, -EINVAL, "policy 4");
	iolog_init(&x->l, LOG);
	put_header(x, IOLOG_MAGIC, IOLOG_CAP, IOLOG_POL_MATURE, 4);
	expect_corrupt(x, -EINVAL, "safepoints 0x4");
}

/* 8: head going back, and a policy changing under the reader. */
static void t8_head_back(void **state)
{
	struct fx *x = *state;

	put_header(x, IOLOG_MAGIC, IOLOG_CAP, IOLOG_POL_MATURE, 1);
	append(x, 1, IOLOG_MATURITY, 10, 20);
	append(x, 2, IOLOG_MATURITY, 30, 40);
	assert_int_equal(iolog_poll(&x->l, &x->ram, NULL, NULL), 2);
	put32(x, LOG + 16, 1);
	expect_corrupt(x, -EINVAL, "head went back from 2 to 1");
	iolog_free(&x->l);
	iolog_init(&x->l, LOG);
	put32(x, LOG + 16, 2);
	assert_int_equal(iolog_poll(&x->l, &x->ram, NULL, NULL), 2);
	put32(x, LOG + 8, IOLOG_POL_NOMINAL);
	expect_corrupt(x, -EINVAL, "policy/safepoints changed from 3/0x1 to 2/0x1");
}

/* 9: a record with an unknown reason, and one delivered before its issue. */
static void t9_record(void **state)
{
	struct fx *x = *state;

	put_header(x, IOLOG_MAGIC, IOLOG_CAP, IOLOG_POL_MATURE, 1);
	append(x, 1, 5, 10, 20);
	expect_corrupt(x, -EINVAL, "record 0 (seq 1) has reason 5");
	iolog_init(&x->l, LOG);
	x->head = 0;
	put_header(x, IOLOG_MAGIC, IOLOG_CAP, IOLOG_POL_MATURE, 1);
	append(x, 1, IOLOG_MATURITY, 100, 99);
	expect_corrupt(x, -EINVAL, "delivered at 99 before its issue at 100");
}

/* 10: a block that runs off the end of RAM, or is misaligned. */
static void t10_outside(void **state)
{
	struct fx *x = *state;

	iolog_init(&x->l, MEM_RAM_BASE + MEM_MIB - 64);
	assert_int_equal(iolog_poll(&x->l, &x->ram, NULL, NULL), -EFAULT);
	assert_non_null(strstr(x->l.why, "not 8-byte aligned RAM"));
	iolog_init(&x->l, LOG + 4);
	assert_int_equal(iolog_poll(&x->l, &x->ram, NULL, NULL), -EFAULT);
}

static int refuse_cb(void *ctx, const struct iolog_event *e)
{
	(void)ctx;
	return e->seq == 2 ? -EPROTO : 0;
}

/* 11: the callback's error stops the poll, is returned and stays. */
static void t11_callback(void **state)
{
	struct fx *x = *state;

	put_header(x, IOLOG_MAGIC, IOLOG_CAP, IOLOG_POL_NOMINAL, 0);
	append(x, 1, IOLOG_MATURITY, 10, 20);
	append(x, 2, IOLOG_MATURITY, 30, 40);
	assert_int_equal(iolog_poll(&x->l, &x->ram, refuse_cb, NULL), -EPROTO);
	assert_int_equal(x->l.next, 1);
	assert_int_equal(iolog_poll(&x->l, &x->ram, refuse_cb, NULL), -EPROTO);
}

/* 12: the stats keys. */
static void t12_stats(void **state)
{
	struct fx *x = *state;
	struct stats_writer w;
	char *json = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&json, &len);

	put_header(x, IOLOG_MAGIC, IOLOG_CAP, IOLOG_POL_MATURE, 3);
	append(x, 1, IOLOG_SAFEPOINT_POLL, 100, 3100);
	append(x, 2, IOLOG_SAFEPOINT_IDLE, 5000, 6000);
	assert_int_equal(iolog_poll(&x->l, &x->ram, NULL, NULL), 2);
	stats_attach_file(&w, f);
	iolog_put_stats(&x->l, &w);
	assert_int_equal(stats_close_file(&w), 0);
	fclose(f);
	assert_non_null(strstr(json, "\"io.latency_p50_cycles\": 1000"));
	assert_non_null(strstr(json, "\"io.latency_p99_cycles\": 3000"));
	assert_non_null(strstr(json, "\"io.latency_mean_cycles\": 2000.000000"));
	assert_non_null(strstr(json, "\"io.log_records\": 2"));
	free(json);
	assert_string_equal(iolog_reason_name(IOLOG_SAFEPOINT_POLL), "safepoint-poll");
	assert_string_equal(iolog_policy_name(IOLOG_POL_NOMINAL), "nominal");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t1_not_set_up, setup, teardown),
		cmocka_unit_test_setup_teardown(t2_latency, setup, teardown),
		cmocka_unit_test_setup_teardown(t3_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(t4_overflow, setup, teardown),
		cmocka_unit_test_setup_teardown(t5_magic, setup, teardown),
		cmocka_unit_test_setup_teardown(t6_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(t7_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(t8_head_back, setup, teardown),
		cmocka_unit_test_setup_teardown(t9_record, setup, teardown),
		cmocka_unit_test_setup_teardown(t10_outside, setup, teardown),
		cmocka_unit_test_setup_teardown(t11_callback, setup, teardown),
		cmocka_unit_test_setup_teardown(t12_stats, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
