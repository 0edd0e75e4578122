/* test_devices.c: cmocka tests of RAM, the mmio bus map, UART, finisher, boot ROM, virtio slots, HTIF and stats JSON. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mem.h"
#include "mmio.h"
#include "stats.h"

struct fixture {
	FILE *console;
	struct mmio_halt halt;
	struct mmio bus;
	struct mem ram;
	struct htif htif;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->console = tmpfile();
	if (!fx->console || mmio_init(&fx->bus, fx->console, &fx->halt, 0x80000000u, 0x87e00000u))
		return -1;
	if (mem_init_ram(&fx->ram, MEM_RAM_BASE, 4 * MEM_MIB))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	fclose(fx->console);
	mem_free_ram(&fx->ram);
	free(fx);
	return 0;
}

/* Everything written to the console so far. */
static const char *console_text(struct fixture *fx)
{
	static char text[4096];
	size_t n;

	fflush(fx->console);
	rewind(fx->console);
	n = fread(text, 1, sizeof(text) - 1, fx->console);
	text[n] = '\0';
	return text;
}

static uint32_t rd(struct fixture *fx, uint32_t addr, uint32_t be, int expect_rc)
{
	uint32_t v = 0xdeadbeefu;

	assert_int_equal(mmio_access_word(&fx->bus, addr, false, be, 0, &v), expect_rc);
	assert_int_equal(mmio_check(&fx->bus), 0);
	return v;
}

static void wr(struct fixture *fx, uint32_t addr, uint32_t be, uint32_t val, int expect_rc)
{
	uint32_t v;

	assert_int_equal(mmio_access_word(&fx->bus, addr, true, be, val, &v), expect_rc);
	assert_int_equal(mmio_check(&fx->bus), 0);
}

/* case 1: RAM word access with byte enables and range checks. */
static void test_mem(void **state)
{
	struct fixture *fx = *state;
	uint32_t v;

	assert_int_equal(mem_check(&fx->ram), 0);
	assert_int_equal(mem_write_word(&fx->ram, MEM_RAM_BASE + 8, 0xf, 0x11223344u), 0);
	assert_int_equal(mem_write_word(&fx->ram, MEM_RAM_BASE + 8, 0x2, 0xaabbccddu), 0);
	assert_int_equal(mem_read_word(&fx->ram, MEM_RAM_BASE + 8, &v), 0);
	assert_int_equal(v, 0x1122cc44u);
	assert_int_equal(mem_write_word(&fx->ram, MEM_RAM_BASE + 8, 0x9, 0xaabbccddu), 0);
	assert_int_equal(mem_read_word(&fx->ram, MEM_RAM_BASE + 8, &v), 0);
	assert_int_equal(v, 0xaa22ccddu);
	assert_int_equal(mem_read_word(&fx->ram, MEM_RAM_BASE + 4 * MEM_MIB - 4, &v), 0);
	assert_int_equal(mem_read_word(&fx->ram, MEM_RAM_BASE + 4 * MEM_MIB, &v), -EFAULT);
	assert_int_equal(mem_write_word(&fx->ram, MEM_RAM_BASE - 4, 0xf, 0), -EFAULT);
	assert_int_equal(mem_read_word(&fx->ram, 0x10000000u, &v), -EFAULT);
	assert_int_equal(mem_read_word(&fx->ram, 0xfffffffcu, &v), -EFAULT);
	assert_int_equal(mem_write_bytes(&fx->ram, MEM_RAM_BASE + 4 * MEM_MIB - 2, "abcd", 4), -EFAULT);
	assert_int_equal(mem_init_ram(&(struct mem){ 0 }, 0x80000000u, 0), -EINVAL);
	assert_int_equal(mem_init_ram(&(struct mem){ 0 }, 0xfffff000u, 0x2000), -EINVAL);
}

/* case 2: the bus answers err exactly where QEMU's virt has nothing. */
static void test_bus_map(void **state)
{
	struct fixture *fx = *state;
	static const uint32_t holes[] = {
		0x00000000u, 0x00000ffcu, 0x00010000u, 0x000ffffcu, 0x00101000u, 0x0ffffffcu,
		0x10000008u, 0x100000fcu, 0x10000ffcu, 0x10001200u, 0x10001ffcu, 0x10008200u,
		0x10009000u, 0x1000f000u, 0x20000000u, 0x7ffffffcu,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
		rd(fx, holes[i], 0xf, -EFAULT);
		wr(fx, holes[i], 0xf, 0, -EFAULT);
	}
	rd(fx, 0x1000f000u, 0x1, -EFAULT);   /* the legacy disk page: nothing there */
	assert_int_equal(fx->bus.errors, 2 * (sizeof(holes) / sizeof(holes[0])) + 1);
	assert_int_equal(fx->halt.kind, MMIO_RUNNING);
}

/* case 3: UART transmit, LSR, byte lanes, scratch, divisor latch. */
static void test_uart(void **state)
{
	struct fixture *fx = *state;

	wr(fx, UART_BASE, 0x1, 'h', 0);
	wr(fx, UART_BASE, 0x1, 'i', 0);
	assert_string_equal(console_text(fx), "hi");
	assert_int_equal(fx->bus.uart.tx_bytes, 2);
	/* LSR is offset 5: word 4, lane 1 */
	assert_int_equal(rd(fx, UART_BASE + 4, 0x2, 0) & 0xff00u, 0x6000u);
	assert_int_equal(rd(fx, UART_BASE + 4, 0x0, 0) >> 8 & 0xffu, 0x60u);   /* be 0 = whole word */
	/* SCR (7) is read/write; writing lane 3 only leaves MCR (4) alone */
	wr(fx, UART_BASE + 4, 0x8, 0x5a000000u, 0);
	assert_int_equal(rd(fx, UART_BASE + 4, 0x8, 0) >> 24, 0x5au);
	assert_int_equal(rd(fx, UART_BASE + 4, 0x1, 0) & 0xffu, 0);
	/* DLAB: offsets 0/1 become DLL/DLM and THR writes do not transmit */
	wr(fx, UART_BASE, 0x8, 0x83000000u, 0);   /* LCR = 0x83 */
	wr(fx, UART_BASE, 0x3, 0x0201u, 0);       /* DLL = 1, DLM = 2 */
	assert_int_equal(rd(fx, UART_BASE, 0x3, 0) & 0xffffu, 0x0201u);
	wr(fx, UART_BASE, 0x8, 0x03000000u, 0);   /* LCR = 0x03 */
	assert_string_equal(console_text(fx), "hi");
	assert_int_equal(rd(fx, UART_BASE, 0x1, 0) & 0xffu, 0);   /* no receiver: RBR 0 */
	assert_int_equal(rd(fx, UART_BASE + 4, 0x4, 0) >> 16 & 0xffu, 0xb0u);   /* MSR */
}

/* case 4: the THR-empty interrupt follows the 16550 rules and drives source 10. */
static void test_uart_irq(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(fx->bus.irq_lines, 0);
	assert_int_equal(rd(fx, UART_BASE, 0x4, 0) >> 16 & 0xffu, 0x01u);   /* IIR: none */
	wr(fx, UART_BASE, 0x2, 0x0200u, 0);                                  /* IER = ETBEI */
	assert_int_equal(fx->bus.irq_lines, 1u << 10);
	assert_int_equal(rd(fx, UART_BASE, 0x4, 0) >> 16 & 0xffu, 0x02u);   /* IIR: THRI, clears it */
	assert_int_equal(fx->bus.irq_lines, 0);
	assert_int_equal(rd(fx, UART_BASE, 0x4, 0) >> 16 & 0xffu, 0x01u);
	wr(fx, UART_BASE, 0x1, 'x', 0);                                      /* THR: empty again */
	assert_int_equal(fx->bus.irq_lines, 1u << 10);
	wr(fx, UART_BASE, 0x4, 0x010000u, 0);                                /* FCR: FIFO on */
	assert_int_equal(rd(fx, UART_BASE, 0x4, 0) >> 16 & 0xffu, 0xc2u);
	wr(fx, UART_BASE, 0x1, 'y', 0);
	wr(fx, UART_BASE, 0x2, 0x0000u, 0);                                  /* IER = 0 */
	assert_int_equal(fx->bus.irq_lines, 0);
	assert_int_equal(fx->halt.kind, MMIO_RUNNING);
}

/* case 5: finisher pass. */
static void test_finisher_pass(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(rd(fx, FINISHER_BASE, 0xf, 0), 0);
	wr(fx, FINISHER_BASE, 0xf, 0x1234u, 0);          /* unknown command: ignored */
	wr(fx, FINISHER_BASE + 4, 0xf, 0x5555u, 0);      /* other offset: ignored */
	wr(fx, FINISHER_BASE, 0x3, 0x5555u, 0);          /* partial write: ignored */
	assert_int_equal(fx->halt.kind, MMIO_RUNNING);
	wr(fx, FINISHER_BASE, 0xf, 0x5555u, 0);
	assert_int_equal(fx->halt.kind, MMIO_HALT_PASS);
	assert_int_equal(fx->halt.code, 0);
	wr(fx, FINISHER_BASE, 0xf, (7u << 16) | 0x3333u, 0);   /* the first request wins */
	assert_int_equal(fx->halt.kind, MMIO_HALT_PASS);
}

/* case 6: finisher fail with a code, with code 0, and reset. */
static void test_finisher_fail(void **state)
{
	struct fixture *fx = *state;

	wr(fx, FINISHER_BASE, 0xf, (42u << 16) | 0x3333u, 0);
	assert_int_equal(fx->halt.kind, MMIO_HALT_FAIL);
	assert_int_equal(fx->halt.code, 42);
	assert_string_equal(fx->halt.why, "");

	memset(&fx->halt, 0, sizeof(fx->halt));
	wr(fx, FINISHER_BASE, 0xf, 0x3333u, 0);
	assert_int_equal(fx->halt.kind, MMIO_HALT_FAIL);
	assert_int_equal(fx->halt.code, 1);
	assert_non_null(strstr(fx->halt.why, "code 0"));

	memset(&fx->halt, 0, sizeof(fx->halt));
	wr(fx, FINISHER_BASE, 0xf, 0x7777u, 0);
	assert_int_equal(fx->halt.kind, MMIO_HALT_FAIL);
	assert_int_equal(fx->halt.code, 1);
	assert_non_null(strstr(fx->halt.why, "reset"));
}

/* case 7: boot ROM code matches QEMU's reset vector encodings; served on the bus and to imem. */
static void test_bootrom(void **state)
{
	struct fixture *fx = *state;
	uint32_t v;

	assert_int_equal(rd(fx, 0x1000, 0xf, 0), 0x00000297u);   /* auipc t0, 0 */
	assert_int_equal(rd(fx, 0x1004, 0xf, 0), 0xf1402573u);   /* csrr a0, mhartid */
	assert_int_equal(rd(fx, 0x1008, 0xf, 0), 0x0182a583u);   /* lw a1, 24(t0) */
	assert_int_equal(rd(fx, 0x100c, 0xf, 0), 0x0142a283u);   /* lw t0, 20(t0) */
	assert_int_equal(rd(fx, 0x1010, 0xf, 0), 0x00028067u);   /* jr t0 */
	assert_int_equal(rd(fx, 0x1014, 0xf, 0), 0x80000000u);   /* entry */
	assert_int_equal(rd(fx, 0x1018, 0xf, 0), 0x87e00000u);   /* FDT */
	assert_int_equal(rd(fx, 0x101c, 0xf, 0), 0);
	assert_int_equal(rd(fx, 0xfffc, 0xf, 0), 0);
	wr(fx, 0x1000, 0xf, 0, 0);                               /* ROM: write dropped */
	assert_int_equal(rd(fx, 0x1000, 0xf, 0), 0x00000297u);
	assert_int_equal(bootrom_read_word(&fx->bus.rom, 0x1014, &v), 0);
	assert_int_equal(v, 0x80000000u);
	assert_int_equal(bootrom_read_word(&fx->bus.rom, 0x0ffc, &v), -EFAULT);
	assert_int_equal(bootrom_read_word(&fx->bus.rom, 0x10000, &v), -EFAULT);
}

/* case 8: empty virtio-mmio slots identify as QEMU's. */
static void test_virtio_empty(void **state)
{
	struct fixture *fx = *state;
	uint32_t i, base;

	for (i = 0; i < 8; i++) {
		base = 0x10001000u + 0x1000u * i;
		assert_int_equal(rd(fx, base + 0x0, 0xf, 0), 0x74726976u);
		assert_int_equal(rd(fx, base + 0x4, 0xf, 0), 2);
		assert_int_equal(rd(fx, base + 0x8, 0xf, 0), 0);
		assert_int_equal(rd(fx, base + 0xc, 0xf, 0), 0x554d4551u);
		assert_int_equal(rd(fx, base + 0x70, 0xf, 0), 0);
		assert_int_equal(rd(fx, base + 0x1fc, 0xf, 0), 0);
		wr(fx, base + 0x70, 0xf, 0xffu, 0);
		assert_int_equal(rd(fx, base + 0x70, 0xf, 0), 0);
	}
}

/* case 9: HTIF exit codes. */
static void test_htif_exit(void **state)
{
	struct fixture *fx = *state;
	const uint32_t tohost = MEM_RAM_BASE + 0x1000;

	assert_int_equal(htif_init(&fx->htif, &fx->ram, fx->console, &fx->halt, true, tohost, true,
				   tohost + 8), 0);
	htif_notice_write(&fx->htif, tohost + 4);   /* the high word: ignored */
	assert_int_equal(mem_write_word(&fx->ram, tohost, 0xf, 0), 0);
	htif_notice_write(&fx->htif, tohost);       /* zero: ignored */
	assert_int_equal(fx->halt.kind, MMIO_RUNNING);
	assert_int_equal(mem_write_word(&fx->ram, tohost, 0xf, (3u << 1) | 1u), 0);
	htif_notice_write(&fx->htif, tohost);
	assert_int_equal(fx->halt.kind, MMIO_HALT_FAIL);
	assert_int_equal(fx->halt.code, 3);

	memset(&fx->halt, 0, sizeof(fx->halt));
	assert_int_equal(mem_write_word(&fx->ram, tohost, 0xf, 1u), 0);
	htif_notice_write(&fx->htif, tohost);
	assert_int_equal(fx->halt.kind, MMIO_HALT_PASS);

	assert_int_equal(htif_init(&fx->htif, &fx->ram, fx->console, &fx->halt, true, 0x1000, false,
				   0), -ERANGE);
	assert_int_equal(htif_init(&fx->htif, &fx->ram, fx->console, &fx->halt, true, tohost + 2,
				   false, 0), -ERANGE);
	assert_int_equal(htif_init(&fx->htif, &fx->ram, fx->console, &fx->halt, false, 0, false, 0), 0);
	htif_notice_write(&fx->htif, HTIF_NO_ADDR & ~3u);   /* disabled: never matches */
}

/* case 10: HTIF proxied write syscall, then an unknown one. */
static void test_htif_syscall(void **state)
{
	struct fixture *fx = *state;
	const uint32_t tohost = MEM_RAM_BASE + 0x1000, fromhost = tohost + 8;
	const uint32_t mm = MEM_RAM_BASE + 0x2000, buf = MEM_RAM_BASE + 0x3000;
	uint64_t magic[8] = { 64, 1, buf, 6, 0, 0, 0, 0 }, r = 0;
	uint32_t v;

	assert_int_equal(htif_init(&fx->htif, &fx->ram, fx->console, &fx->halt, true, tohost, true,
				   fromhost), 0);
	assert_int_equal(mem_write_bytes(&fx->ram, buf, "hello\n", 6), 0);
	assert_int_equal(mem_write_bytes(&fx->ram, mm, magic, sizeof(magic)), 0);
	assert_int_equal(mem_write_word(&fx->ram, tohost, 0xf, mm), 0);
	htif_notice_write(&fx->htif, tohost);
	assert_int_equal(fx->halt.kind, MMIO_RUNNING);
	assert_string_equal(console_text(fx), "hello\n");
	assert_int_equal(mem_read_bytes(&fx->ram, mm, &r, 8), 0);
	assert_int_equal(r, 6);                                  /* result in magic_mem[0] */
	assert_int_equal(mem_read_word(&fx->ram, tohost, &v), 0);
	assert_int_equal(v, 0);                                  /* tohost cleared */
	assert_int_equal(mem_read_word(&fx->ram, fromhost, &v), 0);
	assert_int_equal(v, 1);                                  /* fromhost = 1 */

	magic[1] = 7;                                            /* bad fd: -EBADF, run goes on */
	assert_int_equal(mem_write_bytes(&fx->ram, mm, magic, sizeof(magic)), 0);
	assert_int_equal(mem_write_word(&fx->ram, tohost, 0xf, mm), 0);
	htif_notice_write(&fx->htif, tohost);
	assert_int_equal(fx->halt.kind, MMIO_RUNNING);
	assert_int_equal(mem_read_bytes(&fx->ram, mm, &r, 8), 0);
	assert_true((int64_t)r == -9);

	magic[0] = 64;                                           /* buffer outside RAM: fail */
	magic[1] = 1;
	magic[2] = 0x10000000u;
	assert_int_equal(mem_write_bytes(&fx->ram, mm, magic, sizeof(magic)), 0);
	assert_int_equal(mem_write_word(&fx->ram, tohost, 0xf, mm), 0);
	htif_notice_write(&fx->htif, tohost);
	assert_int_equal(fx->halt.kind, MMIO_HALT_FAIL);
	assert_non_null(strstr(fx->halt.why, "outside RAM"));

	memset(&fx->halt, 0, sizeof(fx->halt));
	magic[0] = 1234;                                         /* unknown syscall: fail */
	assert_int_equal(mem_write_bytes(&fx->ram, mm, magic, sizeof(magic)), 0);
	assert_int_equal(mem_write_word(&fx->ram, tohost, 0xf, mm), 0);
	htif_notice_write(&fx->htif, tohost);
	assert_int_equal(fx->halt.kind, MMIO_HALT_FAIL);
	assert_non_null(strstr(fx->halt.why, "unsupported syscall 1234"));

	memset(&fx->halt, 0, sizeof(fx->halt));
	assert_int_equal(mem_write_word(&fx->ram, tohost, 0xf, 0x100000u), 0);   /* pointer outside RAM */
	htif_notice_write(&fx->htif, tohost);
	assert_int_equal(fx->halt.kind, MMIO_HALT_FAIL);
	assert_non_null(strstr(fx->halt.why, "outside RAM"));
}

/* case 11: stats JSON: escaping and layout. */
static void test_stats_json(void **state)
{
	struct stats_writer w;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	f = open_memstream(&text, &len);
	assert_non_null(f);
	stats_attach_file(&w, f);
	stats_put_string(&w, "bootargs", "a\"b\\c\nd\te\x01" "f\xc3\xa9g\xff" "h\xed\xa0\x80");
	stats_put_u64(&w, "cycles", 18446744073709551615ull);
	stats_put_double(&w, "wall_seconds", 1.5);
	stats_put_double(&w, "nan", 0.0 / 0.0);
	assert_int_equal(stats_close_file(&w), 0);
	fclose(f);
	assert_string_equal(text,
			    "{\n"
			    "  \"bootargs\": \"a\\\"b\\\\c\\nd\\te\\u0001f\xc3\xa9g\\ufffdh\\ufffd\\ufffd\\ufffd\",\n"
			    "  \"cycles\": 18446744073709551615,\n"
			    "  \"wall_seconds\": 1.500000,\n"
			    "  \"nan\": 0.000000\n"
			    "}\n");
	free(text);
}

/* case 12: stats_put_run writes every SPEC §6 key; an unwritable file is reported. */
static void test_stats_run(void **state)
{
	static const char *keys[] = { "\"result\"", "\"exit_code\"", "\"bootargs\"", "\"seed\"",
				      "\"cycles\"", "\"instret\"", "\"wall_seconds\"",
				      "\"cycles_per_second\"", "\"mem_latency\"", "\"ram_mb\"",
				      "\"elf\"", "\"itlb_misses\"", "\"dtlb_misses\"",
				      "\"walker_cycles\"" };
	struct stats_run r = { .result = "pass", .elf = "x.elf", .bootargs = "", .cycles = 100,
			       .wall_seconds = 2.0 };
	struct stats_writer w;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f;

	(void)state;
	f = open_memstream(&text, &len);
	assert_non_null(f);
	stats_attach_file(&w, f);
	stats_put_run(&w, &r);
	assert_int_equal(stats_close_file(&w), 0);
	fclose(f);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strstr(text, keys[i]))
			fail_msg("stats lack %s", keys[i]);
	assert_non_null(strstr(text, "\"cycles_per_second\": 50.000000"));
	free(text);
	assert_true(stats_open_file(&w, "/nonexistent-dir/x.json") < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bus_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uart_irq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_finisher_pass, setup, teardown),
		cmocka_unit_test_setup_teardown(test_finisher_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bootrom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virtio_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_htif_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_htif_syscall, setup, teardown),
		cmocka_unit_test(test_stats_json),
		cmocka_unit_test(test_stats_run),
	};

	return cmocka_run_group_tests_name("devices", tests, NULL, NULL);
}
