/* test_opts.c: cmocka tests of the command line: both value forms, defaults, and every refusal. */
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

#include "opts.h"

static struct opts o;
static char err[512];

/* Parse a NULL-terminated list of arguments (argv[0] added). */
static int parse(const char *first, ...)
{
	char *argv[32];
	const char *a;
	va_list ap;
	int argc = 0;

	argv[argc++] = (char *)"umbra";
	va_start(ap, first);
	for (a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	opts_init_defaults(&o);
	return opts_parse_args(&o, argc, argv, err, sizeof(err));
}

static void expect_error(const char *needle)
{
	if (!strstr(err, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err, needle);
	assert_null(strchr(err, '\n'));
}

/* case 1: defaults. */
static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse("prog.elf", NULL), 0);
	assert_string_equal(o.elf, "prog.elf");
	assert_string_equal(o.bootargs, "");
	assert_int_equal(o.max_cycles, 200000000ull);
	assert_int_equal(o.seed, 1);
	assert_int_equal(o.mem_latency, 1);
	assert_int_equal(o.ram_mb, 128);
	assert_int_equal(o.mtime_div, 10);
	assert_null(o.stats);
	assert_null(o.trace);
	assert_int_equal(o.trace_start, 0);
	assert_true(o.trace_end == OPTS_NO_TRACE_END);
	assert_false(o.quiet);
	assert_false(o.help);
	assert_int_equal(opts_check(&o), 0);
}

/* case 2: --opt VAL and --opt=VAL, options before and after the ELF. */
static void test_forms(void **state)
{
	(void)state;
	assert_int_equal(parse("--bootargs", "work=mix pt=gwb", "--max-cycles=1000", "p.elf",
			       "--seed", "0x10", "--mem-latency=3", "--ram-mb", "64",
			       "--mtime-div=1", "--stats", "s.json", "--trace=w.fst",
			       "--trace-start", "5", "--trace-end=9", "--quiet", NULL), 0);
	assert_string_equal(o.bootargs, "work=mix pt=gwb");
	assert_int_equal(o.max_cycles, 1000);
	assert_string_equal(o.elf, "p.elf");
	assert_int_equal(o.seed, 16);
	assert_int_equal(o.mem_latency, 3);
	assert_int_equal(o.ram_mb, 64);
	assert_int_equal(o.mtime_div, 1);
	assert_string_equal(o.stats, "s.json");
	assert_string_equal(o.trace, "w.fst");
	assert_int_equal(o.trace_start, 5);
	assert_int_equal(o.trace_end, 9);
	assert_true(o.quiet);
	assert_int_equal(parse("--bootargs=a=b=c", "--bootargs=", "p.elf", NULL), 0);
	assert_string_equal(o.bootargs, "");
	assert_int_equal(parse("--seed=18446744073709551615", "--", "-odd.elf", NULL), 0);
	assert_true(o.seed == UINT64_MAX);
	assert_string_equal(o.elf, "-odd.elf");
}

/* case 3: --help anywhere (after valid options), -h. */
static void test_help(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	const char *names[] = { "--bootargs", "--max-cycles", "--seed", "--mem-latency", "--ram-mb",
				"--mtime-div", "--stats", "--trace", "--trace-start", "--trace-end",
				"--quiet", "--help" };
	size_t i;

	(void)state;
	assert_int_equal(parse("--help", NULL), 0);
	assert_true(o.help);
	assert_int_equal(parse("--seed", "3", "--help", "x.elf", NULL), 0);
	assert_true(o.help);
	assert_int_equal(parse("-h", NULL), 0);
	assert_true(o.help);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	opts_print_usage(f, "umbra");
	fclose(f);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strstr(text, names[i]))
			fail_msg("usage lacks %s", names[i]);
	assert_non_null(strstr(text, "200000000"));
	assert_non_null(strstr(text, "default"));
	free(text);
}

/* case 4: unknown options, including those later issues will add. */
static void test_unknown(void **state)
{
	(void)state;
	assert_int_equal(parse("--disk-foo", "x.img", "p.elf", NULL), -EINVAL);
	expect_error("unknown option '--disk-foo'");
	assert_int_equal(parse("--lock-step", "p.elf", NULL), -EINVAL);
	expect_error("unknown option '--lock-step'");
	assert_int_equal(parse("--lockstep=yes", "p.elf", NULL), -EINVAL);
	expect_error("--lockstep takes no value");
	assert_int_equal(parse("--inject-fault", "reg", "p.elf", NULL), -EINVAL);
	expect_error("want reg@N or mem@N");
	assert_int_equal(parse("--inject-fault", "mem@12k", "p.elf", NULL), -EINVAL);
	expect_error("N wants a number");
	assert_int_equal(parse("--trace", "w.fst", "--trace-on", "pc:0x80000010", "p.elf", NULL), 0);
	assert_int_equal(o.trace_on_kind, OPTS_EV_PC);
	assert_int_equal(o.trace_on_arg, 0x80000010u);
	assert_int_equal(parse("--trace", "w.fst", "--trace-on=gwb-full", "p.elf", NULL), 0);
	assert_int_equal(o.trace_on_kind, OPTS_EV_TRAP);
	assert_int_equal(o.trace_on_arg, 24);
	assert_int_equal(parse("--trace", "w.fst", "--trace-on", "irq:x", "p.elf", NULL), -EINVAL);
	expect_error("'x' is not a number");
	assert_int_equal(parse("--trace", "w.fst", "--trace-on", "lockstep", "p.elf", NULL), -EINVAL);
	expect_error("needs --lockstep");
	assert_int_equal(parse("--inject-fault=mem@0x10", "p.elf", NULL), 0);
	assert_int_equal(o.fault_kind, OPTS_FAULT_MEM);
	assert_int_equal(o.fault_order, 16);
	assert_int_equal(parse("--inject-fault", "iolog@7", "p.elf", NULL), 0);
	assert_int_equal(o.fault_kind, OPTS_FAULT_IOLOG);
	assert_int_equal(o.fault_order, 7);
	assert_int_equal(parse("--inject-fault", "iolog@0", "p.elf", NULL), -EINVAL);
	expect_error("a SEQ is 1..4294967295");
	assert_int_equal(parse("--no-iocheck", "--inject-fault", "iolog@3", "p.elf", NULL), -EINVAL);
	expect_error("drop --no-iocheck");
	assert_int_equal(parse("--trace", "w.fst", "--trace-on", "iocheck", "p.elf", NULL), 0);
	assert_int_equal(o.trace_on_kind, OPTS_EV_IOCHECK);
	assert_int_equal(parse("--no-iocheck", "p.elf", NULL), 0);
	assert_true(o.no_iocheck);
	assert_int_equal(parse("--disk-readonly=1", "p.elf", NULL), -EINVAL);
	expect_error("--disk-readonly takes no value");
	assert_int_equal(parse("--max", "5", "p.elf", NULL), -EINVAL);   /* no abbreviations */
	expect_error("unknown option '--max'");
	assert_int_equal(parse("-q", "p.elf", NULL), -EINVAL);
	expect_error("unknown option '-q'");
	assert_int_equal(parse("--quiet=1", "p.elf", NULL), -EINVAL);
	expect_error("--quiet takes no value");
}

/* case 5: missing values and missing ELF. */
static void test_missing(void **state)
{
	(void)state;
	assert_int_equal(parse("p.elf", "--seed", NULL), -EINVAL);
	expect_error("--seed needs a value");
	assert_int_equal(parse("p.elf", "--bootargs", NULL), -EINVAL);
	expect_error("--bootargs needs a value");
	assert_int_equal(parse(NULL), -EINVAL);
	expect_error("no ELF file given");
	assert_int_equal(parse("--quiet", NULL), -EINVAL);
	expect_error("no ELF file given");
	assert_int_equal(parse("a.elf", "b.elf", NULL), -EINVAL);
	expect_error("more than one ELF file given");
	assert_int_equal(parse("--stats=", "p.elf", NULL), -EINVAL);
	expect_error("--stats needs a non-empty FILE");
}

/* case 6: numbers: not numbers, out of range, overflow. */
static void test_numbers(void **state)
{
	(void)state;
	assert_int_equal(parse("--max-cycles", "lots", "p.elf", NULL), -EINVAL);
	expect_error("--max-cycles wants a number");
	assert_int_equal(parse("--seed=-1", "p.elf", NULL), -EINVAL);
	expect_error("--seed wants a number");
	assert_int_equal(parse("--seed=", "p.elf", NULL), -EINVAL);
	expect_error("--seed wants a number");
	assert_int_equal(parse("--seed=0x", "p.elf", NULL), -EINVAL);
	assert_int_equal(parse("--seed=12abc", "p.elf", NULL), -EINVAL);
	assert_int_equal(parse("--seed= 12", "p.elf", NULL), -EINVAL);
	assert_int_equal(parse("--seed=1e6", "p.elf", NULL), -EINVAL);
	assert_int_equal(parse("--seed=18446744073709551616", "p.elf", NULL), -EINVAL);
	expect_error("out of range");
	assert_int_equal(parse("--mem-latency=0", "p.elf", NULL), -EINVAL);
	expect_error("--mem-latency 0 is out of range (1..1024)");
	assert_int_equal(parse("--mem-latency=1025", "p.elf", NULL), -EINVAL);
	assert_int_equal(parse("--ram-mb=2049", "p.elf", NULL), -EINVAL);
	expect_error("--ram-mb 2049 is out of range (4..2048)");
	assert_int_equal(parse("--ram-mb=4294967297", "p.elf", NULL), -EINVAL);   /* 2^32 + 1 */
	assert_int_equal(parse("--mtime-div=0", "p.elf", NULL), -EINVAL);
	assert_int_equal(parse("--mtime-div=65536", "p.elf", NULL), -EINVAL);
	assert_int_equal(parse("--max-cycles=0", "p.elf", NULL), -EINVAL);
	expect_error("--max-cycles 0 is out of range (at least 1)");
	assert_int_equal(parse("--mtime-div=0xffff", "p.elf", NULL), 0);
	assert_int_equal(o.mtime_div, 65535);
}

/* case 7: trace option combinations. */
static void test_trace(void **state)
{
	(void)state;
	assert_int_equal(parse("--trace-start=5", "p.elf", NULL), -EINVAL);
	expect_error("need --trace");
	assert_int_equal(parse("--trace=w.vcd", "p.elf", NULL), -EINVAL);
	expect_error("*.fst");
	assert_int_equal(parse("--trace=.fst", "p.elf", NULL), -EINVAL);
	assert_int_equal(parse("--trace=w.fst", "--trace-start=10", "--trace-end=10", "p.elf", NULL),
			 -EINVAL);
	expect_error("--trace-end 10 must be after --trace-start 10");
	assert_int_equal(parse("--trace=w.fst", "--trace-end=0", "p.elf", NULL), -EINVAL);
}

/* case 8: a very long --bootargs is refused, the limit accepted. */
static void test_bootargs_limit(void **state)
{
	char *big = malloc(OPTS_MAX_BOOTARGS + 2);

	(void)state;
	assert_non_null(big);
	memset(big, 'x', OPTS_MAX_BOOTARGS + 1);
	big[OPTS_MAX_BOOTARGS + 1] = '\0';
	assert_int_equal(parse("--bootargs", big, "p.elf", NULL), -EINVAL);
	expect_error("--bootargs is 4096 bytes long");
	big[OPTS_MAX_BOOTARGS] = '\0';
	assert_int_equal(parse("--bootargs", big, "p.elf", NULL), 0);
	free(big);
}

/* case 9: the disk options: defaults, values, combinations. */
static void test_disk(void **state)
{
	(void)state;
	assert_int_equal(parse("p.elf", NULL), 0);
	assert_null(o.disk);
	assert_false(o.disk_readonly);
	assert_int_equal(o.disk_size_mb, OPTS_DEFAULT_DISK_SIZE_MB);
	assert_int_equal(o.disk_latency, OPTS_DEFAULT_DISK_LATENCY);
	assert_int_equal(o.disk_bandwidth, OPTS_DEFAULT_DISK_BANDWIDTH);
	assert_int_equal(o.disk_seek, OPTS_DEFAULT_DISK_SEEK);
	assert_int_equal(o.disk_jitter, OPTS_DEFAULT_DISK_JITTER);
	assert_int_equal(o.disk_qdepth, OPTS_DEFAULT_DISK_QDEPTH);
	assert_int_equal(parse("--disk", "d.img", "--disk-readonly", "--disk-latency=0",
			       "--disk-bandwidth", "3", "--disk-seek", "7", "--disk-jitter", "0x10",
			       "--disk-qdepth", "256", "p.elf", NULL), 0);
	assert_string_equal(o.disk, "d.img");
	assert_true(o.disk_readonly);
	assert_int_equal(o.disk_latency, 0);
	assert_int_equal(o.disk_bandwidth, 3);
	assert_int_equal(o.disk_seek, 7);
	assert_int_equal(o.disk_jitter, 16);
	assert_int_equal(o.disk_qdepth, 256);
	assert_int_equal(opts_check(&o), 0);
	assert_int_equal(parse("--disk-size-mb", "2", "p.elf", NULL), 0);
	assert_int_equal(o.disk_size_mb, 2);
	assert_int_equal(parse("--disk", "d.img", "--disk-size-mb", "2", "p.elf", NULL), -EINVAL);
	expect_error("--disk-size-mb sizes the temporary image");
	assert_int_equal(parse("--disk-qdepth", "257", "p.elf", NULL), -EINVAL);
	expect_error("out of range (1..256)");
	assert_int_equal(parse("--disk-bandwidth", "0", "p.elf", NULL), -EINVAL);
	assert_int_equal(parse("--disk", "", "p.elf", NULL), -EINVAL);
	expect_error("--disk needs a non-empty PATH");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_trace),
		cmocka_unit_test(test_bootargs_limit),
		cmocka_unit_test(test_disk),
	};

	return cmocka_run_group_tests_name("opts", tests, NULL, NULL);
}
