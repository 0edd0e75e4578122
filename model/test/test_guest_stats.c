/* test_guest_stats.c: cmocka tests of the umbra_stats block reader: a good block, and every malformed one refused whole. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guest_stats.h"

#define BLOCK 0x80001000u

struct fx {
	struct mem ram;
	char *json;
	size_t json_len;
	FILE *f;
	struct stats_writer w;
	char err[256];
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	if (!x || mem_init_ram(&x->ram, MEM_RAM_BASE, MEM_MIB))
		return -1;
	x->f = open_memstream(&x->json, &x->json_len);
	stats_attach_file(&x->w, x->f);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	fclose(x->f);
	free(x->json);
	mem_free_ram(&x->ram);
	free(x);
	return 0;
}

static void put_header(struct fx *x, uint32_t addr, uint32_t magic, uint32_t count)
{
	uint32_t h[2] = { magic, count };

	assert_int_equal(mem_write_bytes(&x->ram, addr, h, sizeof(h)), 0);
}

static void put_entry(struct fx *x, uint32_t addr, uint32_t i, const char *name, size_t name_len, uint64_t v)
{
	uint8_t e[GUEST_STATS_ENTRY] = { 0 };

	memcpy(e, name, name_len);
	memcpy(e + GUEST_STATS_NAME, &v, sizeof(v));
	assert_int_equal(mem_write_bytes(&x->ram, addr + GUEST_STATS_HDR + i * GUEST_STATS_ENTRY, e, sizeof(e)), 0);
}

static const char *finish(struct fx *x)
{
	stats_close_file(&x->w);
	fflush(x->f);
	return x->json;
}

/* 1: a well-formed block becomes one JSON key per entry, values as written. */
static void test_good_block(void **state)
{
	struct fx *x = *state;

	put_header(x, BLOCK, GUEST_STATS_MAGIC, 3);
	put_entry(x, BLOCK, 0, "hv.exits.sbi.count", 19, 42);
	put_entry(x, BLOCK, 1, "hv.gwb.appends", 15, 1ull << 40);
	put_entry(x, BLOCK, 2, "work.cycles_per_iter", 21, 391);
	assert_int_equal(guest_stats_put(&x->w, &x->ram, BLOCK, x->err, sizeof(x->err)), 3);
	const char *j = finish(x);
	assert_non_null(strstr(j, "\"hv.exits.sbi.count\": 42"));
	assert_non_null(strstr(j, "\"hv.gwb.appends\": 1099511627776"));
	assert_non_null(strstr(j, "\"work.cycles_per_iter\": 391"));
}

/* 2: an empty block is fine and adds nothing. */
static void test_empty_block(void **state)
{
	struct fx *x = *state;

	put_header(x, BLOCK, GUEST_STATS_MAGIC, 0);
	assert_int_equal(guest_stats_put(&x->w, &x->ram, BLOCK, x->err, sizeof(x->err)), 0);
	assert_int_equal(x->w.nkeys, 0);
}

/* 3: bad magic: refused with a line naming the magic, no key written. */
static void test_bad_magic(void **state)
{
	struct fx *x = *state;

	put_header(x, BLOCK, 0x12345678u, 1);
	put_entry(x, BLOCK, 0, "hv.x", 5, 1);
	assert_true(guest_stats_put(&x->w, &x->ram, BLOCK, x->err, sizeof(x->err)) < 0);
	assert_non_null(strstr(x->err, "magic 0x12345678"));
	assert_int_equal(x->w.nkeys, 0);
}

/* 4: a count above the maximum is refused before any entry is read. */
static void test_count_too_large(void **state)
{
	struct fx *x = *state;

	put_header(x, BLOCK, GUEST_STATS_MAGIC, GUEST_STATS_MAX + 1);
	assert_true(guest_stats_put(&x->w, &x->ram, BLOCK, x->err, sizeof(x->err)) < 0);
	assert_non_null(strstr(x->err, "entries"));
	assert_int_equal(x->w.nkeys, 0);
}

/* 5: a name filling all 56 bytes without a NUL: the whole block is skipped (all or nothing). */
static void test_name_not_terminated(void **state)
{
	struct fx *x = *state;
	char long_name[GUEST_STATS_NAME];

	memset(long_name, 'a', sizeof(long_name));
	put_header(x, BLOCK, GUEST_STATS_MAGIC, 2);
	put_entry(x, BLOCK, 0, "hv.ok", 6, 1);
	put_entry(x, BLOCK, 1, long_name, sizeof(long_name), 2);
	assert_true(guest_stats_put(&x->w, &x->ram, BLOCK, x->err, sizeof(x->err)) < 0);
	assert_non_null(strstr(x->err, "entry 1"));
	assert_int_equal(x->w.nkeys, 0);
}

/* 6: empty names and names with quotes or control characters are refused. */
static void test_bad_names(void **state)
{
	struct fx *x = *state;

	put_header(x, BLOCK, GUEST_STATS_MAGIC, 1);
	put_entry(x, BLOCK, 0, "", 1, 1);
	assert_true(guest_stats_put(&x->w, &x->ram, BLOCK, x->err, sizeof(x->err)) < 0);
	put_entry(x, BLOCK, 0, "a\"b", 4, 1);
	assert_true(guest_stats_put(&x->w, &x->ram, BLOCK, x->err, sizeof(x->err)) < 0);
	put_entry(x, BLOCK, 0, "a\nb", 4, 1);
	assert_true(guest_stats_put(&x->w, &x->ram, BLOCK, x->err, sizeof(x->err)) < 0);
	assert_int_equal(x->w.nkeys, 0);
}

/* 7: a block whose entries run off the end of RAM, and one outside RAM or misaligned. */
static void test_outside_ram(void **state)
{
	struct fx *x = *state;
	uint32_t near_end = MEM_RAM_BASE + MEM_MIB - GUEST_STATS_HDR - GUEST_STATS_ENTRY;

	put_header(x, near_end, GUEST_STATS_MAGIC, 2);
	put_entry(x, near_end, 0, "hv.a", 5, 1);
	assert_true(guest_stats_put(&x->w, &x->ram, near_end, x->err, sizeof(x->err)) < 0);
	assert_non_null(strstr(x->err, "outside RAM"));
	assert_true(guest_stats_put(&x->w, &x->ram, 0x1000u, x->err, sizeof(x->err)) < 0);
	assert_true(guest_stats_put(&x->w, &x->ram, BLOCK + 4, x->err, sizeof(x->err)) < 0);
	assert_true(guest_stats_put(&x->w, &x->ram, 0xfffffff8u, x->err, sizeof(x->err)) < 0);
	assert_int_equal(x->w.nkeys, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_magic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_count_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_not_terminated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_ram, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
