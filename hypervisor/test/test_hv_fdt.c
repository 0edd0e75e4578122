/* test_hv_fdt.c: cmocka tests of the guest device tree builder, the property reader and bootargs parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "fdt_lite.h"

/* 1: the tree the hypervisor builds is a valid FDT (libfdt agrees) and reads back. */
static void test_build_and_read(void **state)
{
	static uint8_t buf[1024];
	uint32_t size, base, msize, len;
	const char *args;
	int node;

	(void)state;
	size = fdt_lite_build(buf, sizeof(buf), "pt=wp work=ptemod n=5", 0x80000000u, 0x01000000u);
	assert_true(size > 0);
	assert_int_equal(fdt_check_header(buf), 0);
	assert_int_equal(fdt_totalsize(buf), size);
	node = fdt_path_offset(buf, "/chosen");
	assert_true(node >= 0);
	args = fdt_getprop(buf, node, "bootargs", (int *)&len);
	assert_string_equal(args, "pt=wp work=ptemod n=5");
	assert_true(fdt_path_offset(buf, "/memory@80000000") >= 0);
	assert_string_equal(fdt_lite_bootargs(buf), "pt=wp work=ptemod n=5");
	assert_int_equal(fdt_lite_memory(buf, &base, &msize), 0);
	assert_int_equal(base, 0x80000000u);
	assert_int_equal(msize, 0x01000000u);
	/* too small a buffer: refused */
	assert_int_equal(fdt_lite_build(buf, 64, "x", 0, 0), 0);
}

/* 2: a host tree with two address and size cells (QEMU's and umbra's layout). */
static void test_two_cells(void **state)
{
	static uint8_t buf[1024];
	const fdt32_t reg[4] = { cpu_to_fdt32(0), cpu_to_fdt32(0x80000000u), cpu_to_fdt32(0),
				 cpu_to_fdt32(0x08000000u) };
	uint32_t base, size;
	int node;

	(void)state;
	assert_int_equal(fdt_create_empty_tree(buf, sizeof(buf)), 0);
	node = fdt_add_subnode(buf, 0, "memory@80000000");
	assert_int_equal(fdt_setprop(buf, node, "reg", reg, sizeof(reg)), 0);
	assert_int_equal(fdt_lite_memory(buf, &base, &size), 0);
	assert_int_equal(base, 0x80000000u);
	assert_int_equal(size, 0x08000000u);
	assert_null(fdt_lite_bootargs(buf));
	/* not an FDT at all */
	memset(buf, 0xa5, 64);
	assert_null(fdt_lite_bootargs(buf));
	assert_int_equal(fdt_lite_memory(buf, &base, &size), -1);
}

/* 3: bootargs: exact keys, values, numbers, absent and malformed ones. */
static void test_bootargs(void **state)
{
	char v[8];
	uint32_t n;

	(void)state;
	assert_int_equal(bootarg_get("pt=gwb work=ptemod", "pt", v, sizeof(v)), 0);
	assert_string_equal(v, "gwb");
	assert_int_equal(bootarg_get("  xpt=1 pt=oos", "pt", v, sizeof(v)), 0);
	assert_string_equal(v, "oos");
	assert_int_equal(bootarg_get("ptx=1", "pt", v, sizeof(v)), -1);
	assert_int_equal(bootarg_get("pt", "pt", v, sizeof(v)), -1);
	assert_int_equal(bootarg_get("pt=0123456789", "pt", v, sizeof(v)), -2); /* too long */
	assert_int_equal(bootarg_get(NULL, "pt", v, sizeof(v)), -1);
	assert_int_equal(bootarg_get_u32("n=4096 batch=16", "batch", &n), 0);
	assert_int_equal(n, 16);
	assert_int_equal(bootarg_get_u32("n=12x", "n", &n), -2);
	assert_int_equal(bootarg_get_u32("n=", "n", &n), -2);
	assert_int_equal(bootarg_get_u32("n=99999999999", "n", &n), -2);
	assert_int_equal(bootarg_get_u32("m=1", "n", &n), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_and_read),
		cmocka_unit_test(test_two_cells),
		cmocka_unit_test(test_bootargs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
