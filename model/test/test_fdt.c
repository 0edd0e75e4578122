/* test_fdt.c: cmocka tests of the device tree: parsed back with libfdt, and its QEMU-style placement. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "fdt.h"
#include "mem.h"

static void *build(const char *bootargs, uint32_t ram_mb, uint32_t mtime_div, size_t *size)
{
	struct fdt_config cfg = {
		.ram_base = MEM_RAM_BASE,
		.ram_size = ram_mb * MEM_MIB,
		.mtime_div = mtime_div,
		.bootargs = bootargs,
	};
	void *blob = NULL;

	assert_int_equal(fdt_build_blob(&cfg, &blob, size), 0);
	assert_non_null(blob);
	assert_int_equal(fdt_check_header(blob), 0);
	assert_int_equal(fdt_totalsize(blob), *size);
	return blob;
}

static int node(const void *blob, const char *path)
{
	int off = fdt_path_offset(blob, path);

	if (off < 0)
		fail_msg("node %s missing: %s", path, fdt_strerror(off));
	return off;
}

static const char *prop_str(const void *blob, const char *path, const char *name)
{
	int len;
	const char *s = fdt_getprop(blob, node(blob, path), name, &len);

	if (!s)
		fail_msg("%s:%s missing", path, name);
	assert_true(len >= 1 && s[len - 1] == '\0');
	return s;
}

static uint32_t prop_cell(const void *blob, const char *path, const char *name, int i)
{
	int len;
	const fdt32_t *p = fdt_getprop(blob, node(blob, path), name, &len);

	if (!p)
		fail_msg("%s:%s missing", path, name);
	assert_true(len >= (i + 1) * 4);
	return fdt32_to_cpu(p[i]);
}

/* case 1: bootargs, memory, stdout-path. */
static void test_chosen_memory(void **state)
{
	size_t size;
	void *blob = build("console=ttyS0 work=mix pt=gwb irq=mature", 128, 10, &size);

	(void)state;
	assert_string_equal(prop_str(blob, "/chosen", "bootargs"), "console=ttyS0 work=mix pt=gwb irq=mature");
	assert_string_equal(prop_str(blob, "/chosen", "stdout-path"), "/soc/serial@10000000");
	assert_string_equal(prop_str(blob, "/memory@80000000", "device_type"), "memory");
	assert_int_equal(prop_cell(blob, "/memory@80000000", "reg", 0), 0);
	assert_int_equal(prop_cell(blob, "/memory@80000000", "reg", 1), 0x80000000u);
	assert_int_equal(prop_cell(blob, "/memory@80000000", "reg", 2), 0);
	assert_int_equal(prop_cell(blob, "/memory@80000000", "reg", 3), 0x08000000u);
	assert_int_equal(prop_cell(blob, "/", "#address-cells", 0), 2);
	assert_int_equal(prop_cell(blob, "/", "#size-cells", 0), 2);
	assert_int_equal(fdt_node_check_compatible(blob, 0, "riscv-virtio"), 0);
	assert_int_equal(fdt_node_check_compatible(blob, 0, "umbra,virt"), 0);
	free(blob);
}

/* case 2: cpu and timebase follow --mtime-div. */
static void test_cpus(void **state)
{
	size_t size;
	void *blob = build("", 128, 10, &size);
	int intc;

	(void)state;
	assert_int_equal(prop_cell(blob, "/cpus", "timebase-frequency", 0), 10000000u);
	assert_string_equal(prop_str(blob, "/cpus/cpu@0", "riscv,isa"), "rv32im_zicsr_zifencei");
	assert_string_equal(prop_str(blob, "/cpus/cpu@0", "mmu-type"), "riscv,sv32");
	assert_string_equal(prop_str(blob, "/cpus/cpu@0", "device_type"), "cpu");
	assert_string_equal(prop_str(blob, "/chosen", "bootargs"), "");
	intc = node(blob, "/cpus/cpu@0/interrupt-controller");
	assert_int_equal(fdt_node_check_compatible(blob, intc, "riscv,cpu-intc"), 0);
	assert_non_null(fdt_getprop(blob, intc, "interrupt-controller", NULL));
	free(blob);
	blob = build("", 128, 4, &size);
	assert_int_equal(prop_cell(blob, "/cpus", "timebase-frequency", 0), 25000000u);
	free(blob);
}

/* case 3: the devices of SPEC §1 with their interrupts. */
static void test_soc(void **state)
{
	size_t size;
	void *blob = build("x", 128, 10, &size);
	char path[64];
	uint32_t plic_ph;
	int i;

	(void)state;
	assert_string_equal(prop_str(blob, "/soc/serial@10000000", "compatible"), "ns16550a");
	assert_int_equal(prop_cell(blob, "/soc/serial@10000000", "interrupts", 0), 10);
	assert_int_equal(prop_cell(blob, "/soc/serial@10000000", "reg", 1), 0x10000000u);
	assert_true(prop_cell(blob, "/soc/serial@10000000", "clock-frequency", 0) > 0);
	assert_int_equal(prop_cell(blob, "/soc/plic@c000000", "riscv,ndev", 0), 31);
	assert_int_equal(prop_cell(blob, "/soc/clint@2000000", "reg", 1), 0x02000000u);
	assert_int_equal(fdt_node_check_compatible(blob, node(blob, "/soc/test@100000"), "sifive,test0"), 0);
	assert_int_equal(fdt_node_check_compatible(blob, node(blob, "/soc/test@100000"), "syscon"), 0);
	plic_ph = fdt_get_phandle(blob, node(blob, "/soc/plic@c000000"));
	assert_true(plic_ph != 0);
	assert_int_equal(prop_cell(blob, "/soc/serial@10000000", "interrupt-parent", 0), plic_ph);
	for (i = 0; i < 8; i++) {
		snprintf(path, sizeof(path), "/soc/virtio_mmio@%x", 0x10001000 + 0x1000 * i);
		assert_string_equal(prop_str(blob, path, "compatible"), "virtio,mmio");
		assert_int_equal(prop_cell(blob, path, "interrupts", 0), 1 + i);
		assert_int_equal(prop_cell(blob, path, "reg", 1), 0x10001000u + 0x1000u * (uint32_t)i);
	}
	/* QEMU's order: slot 7 is the first virtio node. */
	assert_int_equal(fdt_first_subnode(blob, node(blob, "/soc")) < node(blob, "/soc/virtio_mmio@10008000"), 1);
	assert_true(node(blob, "/soc/virtio_mmio@10008000") < node(blob, "/soc/virtio_mmio@10001000"));
	assert_int_equal(prop_cell(blob, "/poweroff", "value", 0), 0x5555);
	assert_int_equal(prop_cell(blob, "/reboot", "value", 0), 0x7777);
	free(blob);
}

/* case 4: placement as QEMU 7.2 virt does it. */
static void test_placement(void **state)
{
	uint32_t addr = 0;

	(void)state;
	assert_int_equal(fdt_place_blob(MEM_RAM_BASE, 128 * MEM_MIB, 3000, &addr), 0);
	assert_int_equal(addr, 0x87e00000u);
	assert_int_equal(fdt_place_blob(MEM_RAM_BASE, 64 * MEM_MIB, 3000, &addr), 0);
	assert_int_equal(addr, 0x83e00000u);
	assert_int_equal(fdt_place_blob(MEM_RAM_BASE, 256 * MEM_MIB, 3000, &addr), 0);
	assert_int_equal(addr, 0x8fe00000u);
	/* QEMU keeps it below 3 GiB */
	assert_int_equal(fdt_place_blob(MEM_RAM_BASE, 1024 * MEM_MIB, 3000, &addr), 0);
	assert_int_equal(addr, 0xbfe00000u);
	assert_int_equal(fdt_place_blob(MEM_RAM_BASE, 2048 * MEM_MIB, 3000, &addr), 0);
	assert_int_equal(addr, 0xbfe00000u);
	assert_int_equal(fdt_place_blob(MEM_RAM_BASE, 4 * MEM_MIB, 3000, &addr), 0);
	assert_int_equal(addr, 0x80200000u);
	/* QEMU would put it on top of the program; sim.c refuses that overlap. */
	assert_int_equal(fdt_place_blob(MEM_RAM_BASE, 1 * MEM_MIB, 3000, &addr), 0);
	assert_int_equal(addr, 0x80000000u);
	assert_int_equal(fdt_place_blob(MEM_RAM_BASE, 4 * MEM_MIB, 5 * MEM_MIB, &addr), -ENOSPC);
}

/* case 5: long and odd bootargs survive; bad configurations are refused. */
static void test_bootargs_and_errors(void **state)
{
	struct fdt_config cfg = { MEM_RAM_BASE, 128 * MEM_MIB, 10, "" };
	char *big = malloc(20000);
	size_t size;
	void *blob;

	(void)state;
	assert_non_null(big);
	memset(big, 'a', 19999);
	big[19999] = '\0';
	blob = build(big, 128, 10, &size);
	assert_string_equal(prop_str(blob, "/chosen", "bootargs"), big);
	free(blob);
	blob = build("quote\" back\\slash \ttab", 128, 10, &size);
	assert_string_equal(prop_str(blob, "/chosen", "bootargs"), "quote\" back\\slash \ttab");
	free(blob);
	free(big);
	cfg.mtime_div = 0;
	assert_int_equal(fdt_build_blob(&cfg, &blob, &size), -EINVAL);
	assert_null(blob);
	cfg.mtime_div = 10;
	cfg.bootargs = NULL;
	assert_int_equal(fdt_build_blob(&cfg, &blob, &size), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chosen_memory),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_soc),
		cmocka_unit_test(test_placement),
		cmocka_unit_test(test_bootargs_and_errors),
	};

	return cmocka_run_group_tests_name("fdt", tests, NULL, NULL);
}
