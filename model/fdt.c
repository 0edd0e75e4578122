/* fdt.c: the umbra-virt device tree, written with libfdt's sequential-write API in QEMU virt's layout. */
#include "fdt.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmio.h"

#define PH_CPU0      1u
#define PH_CPU0_INTC 2u
#define PH_PLIC      3u
#define PH_TEST      4u

#define CLINT_BASE   0x02000000u
#define CLINT_SIZE   0x00010000u
#define PLIC_BASE    0x0c000000u
#define PLIC_SIZE    0x00600000u

#define IRQ_S_SOFT   1u
#define IRQ_M_SOFT   3u
#define IRQ_S_TIMER  5u
#define IRQ_M_TIMER  7u
#define IRQ_S_EXT    9u
#define IRQ_M_EXT    11u

#define QEMU_FDT_CAP 0xc0000000u   /* QEMU keeps the FDT below 3 GiB */

/* Any libfdt error ends the build; FDT_ERR_NOSPACE asks for a bigger buffer. */
#define TRY(expr)                        \
	do {                             \
		int try_rc_ = (expr);    \
		if (try_rc_ < 0)         \
			return try_rc_;  \
	} while (0)

static int prop_cells(void *fdt, const char *name, const uint32_t *cells, unsigned n)
{
	fdt32_t be[16];
	unsigned i;

	if (n > 16)
		return -FDT_ERR_BADVALUE;
	for (i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	return fdt_property(fdt, name, be, (int)(n * sizeof(fdt32_t)));
}

static int prop_reg(void *fdt, uint32_t base, uint32_t size)
{
	const uint32_t reg[4] = { 0, base, 0, size };

	return prop_cells(fdt, "reg", reg, 4);
}

/* A string list ("a\0b\0"): len counts every terminating NUL. */
static int prop_strings(void *fdt, const char *name, const char *list, int len)
{
	return fdt_property(fdt, name, list, len);
}

static int node_cpus(void *fdt, uint32_t timebase)
{
	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	TRY(fdt_property_u32(fdt, "timebase-frequency", timebase));
	TRY(fdt_begin_node(fdt, "cpu@0"));
	TRY(fdt_property_u32(fdt, "phandle", PH_CPU0));
	TRY(fdt_property_string(fdt, "device_type", "cpu"));
	TRY(fdt_property_u32(fdt, "reg", 0));
	TRY(fdt_property_string(fdt, "status", "okay"));
	TRY(fdt_property_string(fdt, "compatible", "riscv"));
	TRY(fdt_property_string(fdt, "riscv,isa", FDT_ISA));
	TRY(fdt_property_string(fdt, "mmu-type", "riscv,sv32"));
	TRY(fdt_begin_node(fdt, "interrupt-controller"));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_string(fdt, "compatible", "riscv,cpu-intc"));
	TRY(fdt_property_u32(fdt, "phandle", PH_CPU0_INTC));
	TRY(fdt_end_node(fdt));   /* interrupt-controller */
	TRY(fdt_end_node(fdt));   /* cpu@0 */
	TRY(fdt_begin_node(fdt, "cpu-map"));
	TRY(fdt_begin_node(fdt, "cluster0"));
	TRY(fdt_begin_node(fdt, "core0"));
	TRY(fdt_property_u32(fdt, "cpu", PH_CPU0));
	TRY(fdt_end_node(fdt));
	TRY(fdt_end_node(fdt));
	TRY(fdt_end_node(fdt));   /* cpu-map */
	return fdt_end_node(fdt); /* cpus */
}

static int node_device(void *fdt, const char *name, uint32_t base, uint32_t size,
		       uint32_t irq, const char *compatible)
{
	char node[48];

	snprintf(node, sizeof(node), "%s@%x", name, base);
	TRY(fdt_begin_node(fdt, node));
	TRY(fdt_property_u32(fdt, "interrupts", irq));
	TRY(fdt_property_u32(fdt, "interrupt-parent", PH_PLIC));
	if (strcmp(name, "serial") == 0)
		TRY(fdt_property_u32(fdt, "clock-frequency", UART_CLOCK_HZ));
	TRY(prop_reg(fdt, base, size));
	TRY(fdt_property_string(fdt, "compatible", compatible));
	return fdt_end_node(fdt);
}

static int node_soc(void *fdt)
{
	static const char test_compat[] = "sifive,test1\0sifive,test0\0syscon";
	static const char plic_compat[] = "sifive,plic-1.0.0\0riscv,plic0";
	static const char clint_compat[] = "sifive,clint0\0riscv,clint0";
	const uint32_t plic_irqs[4] = { PH_CPU0_INTC, IRQ_M_EXT, PH_CPU0_INTC, IRQ_S_EXT };
	const uint32_t clint_irqs[4] = { PH_CPU0_INTC, IRQ_M_SOFT, PH_CPU0_INTC, IRQ_M_TIMER };
	int i;

	TRY(fdt_begin_node(fdt, "soc"));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property_string(fdt, "compatible", "simple-bus"));
	TRY(fdt_property(fdt, "ranges", NULL, 0));

	TRY(node_device(fdt, "serial", UART_BASE, UART_FDT_SIZE, UART_IRQ, "ns16550a"));

	TRY(fdt_begin_node(fdt, "test@100000"));
	TRY(fdt_property_u32(fdt, "phandle", PH_TEST));
	TRY(prop_reg(fdt, FINISHER_BASE, FINISHER_SIZE));
	TRY(prop_strings(fdt, "compatible", test_compat, (int)sizeof(test_compat)));
	TRY(fdt_end_node(fdt));

	/* Slot 7 first: QEMU's order, so a Linux guest sees slot 7's disk as vda. */
	for (i = (int)VIRTIO_SLOTS - 1; i >= 0; i--)
		TRY(node_device(fdt, "virtio_mmio", VIRTIO_BASE + (uint32_t)i * VIRTIO_STRIDE,
				VIRTIO_STRIDE, VIRTIO_IRQ((uint32_t)i), "virtio,mmio"));

	TRY(fdt_begin_node(fdt, "plic@c000000"));
	TRY(fdt_property_u32(fdt, "phandle", PH_PLIC));
	TRY(fdt_property_u32(fdt, "riscv,ndev", FDT_PLIC_NDEV));
	TRY(prop_reg(fdt, PLIC_BASE, PLIC_SIZE));
	TRY(prop_cells(fdt, "interrupts-extended", plic_irqs, 4));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(prop_strings(fdt, "compatible", plic_compat, (int)sizeof(plic_compat)));
	TRY(fdt_property_u32(fdt, "#address-cells", 0));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
	TRY(fdt_end_node(fdt));

	TRY(fdt_begin_node(fdt, "clint@2000000"));
	TRY(prop_cells(fdt, "interrupts-extended", clint_irqs, 4));
	TRY(prop_reg(fdt, CLINT_BASE, CLINT_SIZE));
	TRY(prop_strings(fdt, "compatible", clint_compat, (int)sizeof(clint_compat)));
	TRY(fdt_end_node(fdt));

	return fdt_end_node(fdt);   /* soc */
}

static int node_syscon(void *fdt, const char *name, uint32_t value)
{
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_u32(fdt, "value", value));
	TRY(fdt_property_u32(fdt, "offset", 0));
	TRY(fdt_property_u32(fdt, "regmap", PH_TEST));
	TRY(fdt_property_string(fdt, "compatible",
				strcmp(name, "poweroff") == 0 ? "syscon-poweroff" : "syscon-reboot"));
	return fdt_end_node(fdt);
}

static int build(void *fdt, int size, const struct fdt_config *cfg)
{
	static const char root_compat[] = "umbra,virt\0riscv-virtio";
	const uint32_t mem_reg[4] = { 0, cfg->ram_base, 0, cfg->ram_size };
	char node[32];

	TRY(fdt_create(fdt, size));
	TRY(fdt_finish_reservemap(fdt));
	TRY(fdt_begin_node(fdt, ""));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(prop_strings(fdt, "compatible", root_compat, (int)sizeof(root_compat)));
	TRY(fdt_property_string(fdt, "model", "umbra-virt"));

	TRY(fdt_begin_node(fdt, "chosen"));
	TRY(fdt_property_string(fdt, "bootargs", cfg->bootargs));
	TRY(fdt_property_string(fdt, "stdout-path", "/soc/serial@10000000"));
	TRY(fdt_end_node(fdt));

	TRY(node_syscon(fdt, "poweroff", FINISHER_PASS));
	TRY(node_syscon(fdt, "reboot", FINISHER_RESET));

	snprintf(node, sizeof(node), "memory@%x", cfg->ram_base);
	TRY(fdt_begin_node(fdt, node));
	TRY(fdt_property_string(fdt, "device_type", "memory"));
	TRY(prop_cells(fdt, "reg", mem_reg, 4));
	TRY(fdt_end_node(fdt));

	TRY(node_cpus(fdt, FDT_CORE_HZ / cfg->mtime_div));
	TRY(node_soc(fdt));
	TRY(fdt_end_node(fdt));   /* root */
	return fdt_finish(fdt);
}

static int libfdt_to_errno(int rc)
{
	switch (rc) {
	case -FDT_ERR_NOSPACE:
		return -ENOSPC;
	default:
		return -EINVAL;
	}
}

int fdt_build_blob(const struct fdt_config *cfg, void **blob, size_t *size)
{
	int cap, rc;
	void *buf;

	*blob = NULL;
	*size = 0;
	if (!cfg->bootargs || cfg->mtime_div == 0 || cfg->ram_size == 0)
		return -EINVAL;
	if (strlen(cfg->bootargs) > 65536)
		return -E2BIG;
	for (cap = 8192 + (int)strlen(cfg->bootargs);; cap *= 2) {
		buf = calloc(1, (size_t)cap);
		if (!buf)
			return -ENOMEM;
		rc = build(buf, cap, cfg);
		if (rc == 0)
			break;
		free(buf);
		if (rc != -FDT_ERR_NOSPACE || cap > (1 << 20))
			return libfdt_to_errno(rc);
	}
	if (fdt_check_header(buf) != 0) {
		free(buf);
		return -EINVAL;
	}
	*blob = buf;
	*size = fdt_totalsize(buf);
	return 0;
}

int fdt_place_blob(uint32_t ram_base, uint32_t ram_size, size_t size, uint32_t *addr)
{
	uint64_t top = (uint64_t)ram_base + ram_size, at;

	if (ram_base < QEMU_FDT_CAP && top > QEMU_FDT_CAP)
		top = QEMU_FDT_CAP;
	if (size > top - ram_base)
		return -ENOSPC;
	at = (top - size) & ~(uint64_t)(FDT_ALIGN - 1);
	if (at < ram_base)
		return -ENOSPC;
	*addr = (uint32_t)at;
	return 0;
}
