/* test_sim.c: cmocka tests of the co-simulation driver (testbench/sim.c) against a scripted SoC, without RTL. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "elfgen.h"
#include "sim.h"

static char elf_path[4096];
static char dir[256];
static const uint32_t TOHOST = 0x80000100u;

static int group_setup(void **state)
{
	static const uint32_t prog[2] = { 0x0000006fu, 0 };
	struct elfgen g;
	const char *d = eg_tempdir(), *p;

	(void)state;
	if (!d)
		return -1;
	snprintf(dir, sizeof(dir), "%s", d);
	eg_init(&g, 0x80000000u, prog, 2, 0x200, TOHOST, TOHOST + 8);
	p = eg_write(&g, g.size, dir, "prog.elf");
	if (!p)
		return -1;
	snprintf(elf_path, sizeof(elf_path), "%s", p);
	return 0;
}

static int group_teardown(void **state)
{
	char path[600];

	(void)state;
	unlink(elf_path);
	snprintf(path, sizeof(path), "%s/trace.fst", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/stats.json", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* Open a run with the given extra options (NULL-terminated), ELF last. */
static struct sim *open_run(const char *first, ...)
{
	char *argv[32];
	const char *a;
	struct sim *s = NULL;
	va_list ap;
	int argc = 0;

	argv[argc++] = (char *)"umbra";
	argv[argc++] = (char *)"--quiet";
	va_start(ap, first);
	for (a = first; a && argc < 30; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc++] = elf_path;
	argv[argc] = NULL;
	assert_int_equal(sim_open(&s, argc, argv), 0);
	assert_non_null(s);
	return s;
}

/* Run the reset cycles: rst_n low, nothing ready, outputs ignored. */
static void do_reset(struct sim *s)
{
	struct sim_in in;
	struct sim_out out;
	unsigned i;

	memset(&out, 0, sizeof(out));
	out.imem_req_valid = 1;   /* ignored during reset */
	out.imem_req_addr = 0x1000;
	for (i = 0; i < SIM_RESET_CYCLES; i++) {
		assert_int_equal(sim_step(s, &out, &in), 0);
		assert_int_equal(in.rst_n, 0);
		assert_int_equal(in.imem_req_ready, 0);
		assert_int_equal(in.imem_rsp_valid, 0);
		assert_int_equal(in.trace, 0);
	}
}

/* One cycle: the SoC shows out; returns what is driven before its edge; *done gets sim_step's result. */
static struct sim_in cycle(struct sim *s, const struct sim_out *out, int *done)
{
	struct sim_in in;
	int d;

	memset(&in, 0xa5, sizeof(in));
	d = sim_step(s, out, &in);
	if (done)
		*done = d;
	return in;
}

/* After reset, cycle 0 cannot handshake (the SoC's ready register is 0): skip it. */
static void idle_cycle0(struct sim *s)
{
	struct sim_out o;
	struct sim_in in;

	memset(&o, 0, sizeof(o));
	o.imem_req_valid = 1;   /* not a handshake: ready_q is still 0 */
	o.imem_req_addr = 0x1000;
	in = cycle(s, &o, NULL);
	assert_int_equal(in.rst_n, 1);
	assert_int_equal(in.imem_req_ready, 1);
	assert_int_equal(in.imem_rsp_valid, 0);
}

/*
 * Handshake in cycle h; with latency n the SoC must see the response in
 * cycle h+n, so it is driven by the step of cycle h+n-1.
 */
static void check_latency(unsigned n)
{
	char lat[16];
	struct sim_out idle, req;
	struct sim_in in;
	struct sim *s;
	unsigned c;

	snprintf(lat, sizeof(lat), "%u", n);
	s = open_run("--mem-latency", lat, "--max-cycles", "100", NULL);
	do_reset(s);
	idle_cycle0(s);
	memset(&idle, 0, sizeof(idle));
	req = idle;
	req.imem_req_valid = 1;
	req.imem_req_addr = 0x1000;

	for (c = 1; c <= n; c++) {      /* handshake in cycle 1 */
		in = cycle(s, c == 1 ? &req : &idle, NULL);
		assert_int_equal(in.imem_rsp_valid, c == n);
	}
	assert_int_equal(in.imem_rsp_err, 0);
	assert_int_equal(in.imem_rsp_rdata, 0x00000297u);
	req.imem_req_addr = 0x1004;     /* cycle n+1: the SoC sees the response and asks again */
	for (c = n + 1; c <= 2 * n; c++) {
		in = cycle(s, c == n + 1 ? &req : &idle, NULL);
		assert_int_equal(in.imem_rsp_valid, c == 2 * n);
	}
	assert_int_equal(in.imem_rsp_rdata, 0xf1402573u);
	in = cycle(s, &idle, NULL);
	assert_int_equal(in.imem_rsp_valid, 0);   /* for exactly one cycle */
	assert_int_equal(sim_close(s), SIM_EXIT_TIMEOUT);
}

/* case 1: the SoC sees the response exactly N cycles after the handshake, N = 1, 2, 5. */
static void test_latency(void **state)
{
	(void)state;
	check_latency(1);
	check_latency(2);
	check_latency(5);
}

/* case 2: a second request while one is outstanding is a protocol violation. */
static void test_one_outstanding(void **state)
{
	struct sim_out req;
	struct sim *s;
	int done;

	(void)state;
	s = open_run("--mem-latency", "3", NULL);
	do_reset(s);
	idle_cycle0(s);
	memset(&req, 0, sizeof(req));
	req.dmem_req_valid = 1;
	req.dmem_req_addr = 0x80000000u;
	cycle(s, &req, &done);
	assert_int_equal(done, 0);
	cycle(s, &req, &done);
	assert_int_equal(done, 1);
	assert_int_equal(sim_close(s), 1);
}

/* case 3: err where nothing answers, on each port; RAM and devices answer. */
static void test_errors(void **state)
{
	struct sim_out o;
	struct sim_in in;
	struct sim *s;

	(void)state;
	s = open_run(NULL);
	do_reset(s);
	idle_cycle0(s);
	memset(&o, 0, sizeof(o));
	o.imem_req_valid = 1;
	o.imem_req_addr = 0x10000000u;     /* UART: not executable from imem */
	o.dmem_req_valid = 1;
	o.dmem_req_addr = 0x88000000u;     /* past 128 MiB */
	o.mmio_req_valid = 1;
	o.mmio_req_addr = 0x1000f000u;     /* nothing there */
	in = cycle(s, &o, NULL);           /* latency 1: answered before the same edge */
	assert_int_equal(in.imem_rsp_valid, 1);
	assert_int_equal(in.imem_rsp_err, 1);
	assert_int_equal(in.dmem_rsp_valid, 1);
	assert_int_equal(in.dmem_rsp_err, 1);
	assert_int_equal(in.mmio_rsp_valid, 1);
	assert_int_equal(in.mmio_rsp_err, 1);

	o.imem_req_valid = 1;
	o.imem_req_addr = 0x80000000u;
	o.dmem_req_valid = 1;
	o.dmem_req_addr = 0x80000000u;
	o.mmio_req_valid = 1;
	o.mmio_req_addr = 0x10001000u;
	in = cycle(s, &o, NULL);
	assert_int_equal(in.imem_rsp_valid, 1);
	assert_int_equal(in.imem_rsp_err, 0);
	assert_int_equal(in.imem_rsp_rdata, 0x0000006fu);
	assert_int_equal(in.dmem_rsp_err, 0);
	assert_int_equal(in.dmem_rsp_rdata, 0x0000006fu);
	assert_int_equal(in.mmio_rsp_err, 0);
	assert_int_equal(in.mmio_rsp_rdata, 0x74726976u);
	assert_int_equal(in.mtime_div, 10);
	assert_int_equal(sim_close(s), SIM_EXIT_TIMEOUT);
}

/* case 4: dmem write then read back with byte enables; the boot ROM's data words on mmio. */
static void test_dmem_rw(void **state)
{
	struct sim_out o;
	struct sim_in in;
	struct sim *s;

	(void)state;
	s = open_run(NULL);
	do_reset(s);
	idle_cycle0(s);
	memset(&o, 0, sizeof(o));
	o.dmem_req_valid = 1;
	o.dmem_req_we = 1;
	o.dmem_req_be = 0x6;
	o.dmem_req_addr = 0x80001000u;
	o.dmem_req_wdata = 0xaabbccddu;
	o.mmio_req_valid = 1;
	o.mmio_req_addr = 0x1014;
	in = cycle(s, &o, NULL);
	assert_int_equal(in.dmem_rsp_valid, 1);   /* the write's acknowledgement */
	assert_int_equal(in.mmio_rsp_rdata, 0x80000000u);   /* entry */
	memset(&o, 0, sizeof(o));
	o.dmem_req_valid = 1;
	o.dmem_req_addr = 0x80001000u;
	o.mmio_req_valid = 1;
	o.mmio_req_addr = 0x1018;
	in = cycle(s, &o, NULL);
	assert_int_equal(in.dmem_rsp_rdata, 0x00bbcc00u);
	assert_int_equal(in.mmio_rsp_rdata, 0x87e00000u);   /* FDT */
	assert_int_equal(sim_close(s), SIM_EXIT_TIMEOUT);
}

/* case 5: the finisher ends the run in the handshake cycle; fail codes reach the exit status. */
static void test_finisher(void **state)
{
	struct sim_out o;
	struct sim *s;
	int done;

	(void)state;
	s = open_run(NULL);
	do_reset(s);
	idle_cycle0(s);
	memset(&o, 0, sizeof(o));
	o.mmio_req_valid = 1;
	o.mmio_req_we = 1;
	o.mmio_req_be = 0xf;
	o.mmio_req_addr = 0x00100000u;
	o.mmio_req_wdata = 0x5555u;
	cycle(s, &o, &done);
	assert_int_equal(done, 1);
	assert_int_equal(sim_close(s), 0);

	s = open_run(NULL);
	do_reset(s);
	idle_cycle0(s);
	o.mmio_req_wdata = (9u << 16) | 0x3333u;
	cycle(s, &o, &done);
	assert_int_equal(done, 1);
	assert_int_equal(sim_close(s), 9);

	s = open_run(NULL);
	do_reset(s);
	idle_cycle0(s);
	o.mmio_req_wdata = (256u << 16) | 0x3333u;   /* would read as 0 in 8 bits */
	cycle(s, &o, &done);
	assert_int_equal(sim_close(s), 1);
}

/* case 6: HTIF through a dmem write to tohost. */
static void test_htif(void **state)
{
	struct sim_out o;
	struct sim *s;
	int done;

	(void)state;
	s = open_run(NULL);
	do_reset(s);
	idle_cycle0(s);
	memset(&o, 0, sizeof(o));
	o.dmem_req_valid = 1;
	o.dmem_req_we = 1;
	o.dmem_req_be = 0xf;
	o.dmem_req_addr = TOHOST + 4;   /* high word: nothing happens */
	o.dmem_req_wdata = 7;
	cycle(s, &o, &done);
	assert_int_equal(done, 0);
	o.dmem_req_valid = 1;
	o.dmem_req_we = 1;
	o.dmem_req_be = 0xf;
	o.dmem_req_addr = TOHOST;
	o.dmem_req_wdata = (5u << 1) | 1u;
	cycle(s, &o, &done);
	assert_int_equal(done, 1);
	assert_int_equal(sim_close(s), 5);
}

static char *read_file(const char *path)
{
	static char text[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* case 7: timeout, instret from rvfi (traps excluded), perf events, stats JSON. */
static void test_counters_and_stats(void **state)
{
	char stats[600];
	struct sim_out o;
	struct sim *s;
	const char *text;
	int done = 0, n = 0;

	(void)state;
	snprintf(stats, sizeof(stats), "%s/stats.json", dir);
	s = open_run("--max-cycles", "10", "--seed", "77", "--stats", stats, "--bootargs",
		     "a \"quoted\" arg", NULL);
	do_reset(s);
	memset(&o, 0, sizeof(o));
	while (!done) {
		o.rvfi_valid = 1;
		o.rvfi_trap = (n % 5) == 4;   /* cycles 4 and 9 trap */
		o.rvfi_pc_rdata = 0x80000000u + 4u * (uint32_t)n;
		o.perf_event = (uint8_t)(n < 3 ? 0x7 : 0x4);
		cycle(s, &o, &done);
		n++;
	}
	assert_int_equal(n, 10);
	assert_int_equal(sim_close(s), SIM_EXIT_TIMEOUT);
	text = read_file(stats);
	assert_non_null(strstr(text, "\"result\": \"timeout\""));
	assert_non_null(strstr(text, "\"exit_code\": 124"));
	assert_non_null(strstr(text, "\"cycles\": 10,"));
	assert_non_null(strstr(text, "\"instret\": 8,"));
	assert_non_null(strstr(text, "\"seed\": 77,"));
	assert_non_null(strstr(text, "\"bootargs\": \"a \\\"quoted\\\" arg\""));
	assert_non_null(strstr(text, "\"itlb_misses\": 3,"));
	assert_non_null(strstr(text, "\"dtlb_misses\": 3,"));
	assert_non_null(strstr(text, "\"walker_cycles\": 10,"));
	assert_non_null(strstr(text, "\"mem_latency\": 1,"));
	assert_non_null(strstr(text, "\"ram_mb\": 128,"));
}

/* case 8: the trace window, in post-reset cycles. */
static void test_trace_window(void **state)
{
	char trace[600];
	struct sim_out o;
	struct sim_in in;
	struct sim *s;
	int c;

	(void)state;
	snprintf(trace, sizeof(trace), "%s/trace.fst", dir);
	s = open_run("--trace", trace, "--trace-start", "2", "--trace-end", "4", "--max-cycles",
		     "6", NULL);
	assert_string_equal(sim_trace_path(s), trace);
	do_reset(s);
	memset(&o, 0, sizeof(o));
	for (c = 0; c < 6; c++) {
		in = cycle(s, &o, NULL);
		assert_int_equal(in.trace, c >= 2 && c < 4);
	}
	assert_int_equal(sim_close(s), SIM_EXIT_TIMEOUT);
}

/* case 9: UART interrupt reaches irq_src bit 10. */
static void test_irq(void **state)
{
	struct sim_out o;
	struct sim_in in;
	struct sim *s;

	(void)state;
	s = open_run(NULL);
	do_reset(s);
	idle_cycle0(s);
	memset(&o, 0, sizeof(o));
	o.mmio_req_valid = 1;
	o.mmio_req_we = 1;
	o.mmio_req_be = 0x2;
	o.mmio_req_addr = 0x10000000u;
	o.mmio_req_wdata = 0x0200u;   /* IER = ETBEI */
	in = cycle(s, &o, NULL);      /* the line rises with the write, seen next cycle */
	assert_int_equal(in.irq_src, 1u << 10);
	o.mmio_req_we = 0;
	o.mmio_req_be = 0x4;
	o.mmio_req_addr = 0x10000000u;  /* IIR read reports THRI and clears it */
	in = cycle(s, &o, NULL);
	assert_int_equal(in.mmio_rsp_rdata >> 16 & 0xffu, 0x02u);
	assert_int_equal(in.irq_src, 0);
	assert_int_equal(sim_close(s), SIM_EXIT_TIMEOUT);
}

/* case 10: bad input and --help end before any simulation. */
static void test_open_refusals(void **state)
{
	char missing[600];
	char *argv_help[] = { (char *)"umbra", (char *)"--help", NULL };
	char *argv_bad[] = { (char *)"umbra", (char *)"--lock-step", elf_path, NULL };
	char *argv_missing[] = { (char *)"umbra", missing, NULL };
	char *argv_small[] = { (char *)"umbra", (char *)"--ram-mb", (char *)"4", (char *)"--stats",
			       (char *)"/nonexistent-dir/s.json", elf_path, NULL };
	struct sim *s = (struct sim *)&s;
	FILE *saved;

	(void)state;
	snprintf(missing, sizeof(missing), "%s/missing.elf", dir);
	saved = stdout;
	stdout = fopen("/dev/null", "w");   /* the usage text */
	assert_int_equal(sim_open(&s, 2, argv_help), SIM_OPEN_DONE);
	fclose(stdout);
	stdout = saved;
	assert_null(s);
	assert_int_equal(sim_open(&s, 3, argv_bad), -EINVAL);
	assert_null(s);
	assert_int_equal(sim_open(&s, 2, argv_missing), -ENOENT);
	assert_int_equal(sim_open(&s, 6, argv_small), -ENOENT);
	assert_null(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latency),
		cmocka_unit_test(test_one_outstanding),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_dmem_rw),
		cmocka_unit_test(test_finisher),
		cmocka_unit_test(test_htif),
		cmocka_unit_test(test_counters_and_stats),
		cmocka_unit_test(test_trace_window),
		cmocka_unit_test(test_irq),
		cmocka_unit_test(test_open_refusals),
	};

	return cmocka_run_group_tests_name("sim", tests, group_setup, group_teardown);
}
