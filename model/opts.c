/* opts.c: parses and checks umbra's command line (--opt VAL and --opt=VAL forms). */
#include "opts.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

enum opt_kind { OPT_FLAG, OPT_STR, OPT_U64, OPT_U32 };

struct opt_desc {
	const char *name;      /* without the leading "--" */
	const char *metavar;
	enum opt_kind kind;
	size_t offset;         /* field in struct opts */
	uint64_t min, max;     /* numbers only */
	const char *deflt;     /* shown by --help */
	const char *help;
};

#define FIELD(f) offsetof(struct opts, f)

static const struct opt_desc opt_table[] = {
	{ "bootargs", "STR", OPT_STR, FIELD(bootargs), 0, 0, "empty",
	  "kernel command line, put in the FDT's /chosen/bootargs" },
	{ "max-cycles", "N", OPT_U64, FIELD(max_cycles), 1, UINT64_MAX, "200000000",
	  "stop with TIMEOUT (exit 124) after N cycles" },
	{ "seed", "N", OPT_U64, FIELD(seed), 0, UINT64_MAX, "1",
	  "seed of every pseudo-random choice; printed on the final line" },
	{ "mem-latency", "N", OPT_U32, FIELD(mem_latency), 1, OPTS_MAX_MEM_LATENCY, "1",
	  "cycles from a memory request to its response on imem, dmem and mmio (1..1024)" },
	{ "ram-mb", "N", OPT_U32, FIELD(ram_mb), OPTS_MIN_RAM_MB, OPTS_MAX_RAM_MB, "128",
	  "RAM size in MiB at 0x80000000 (4..2048)" },
	{ "mtime-div", "N", OPT_U32, FIELD(mtime_div), 1, OPTS_MAX_MTIME_DIV, "10",
	  "core cycles per mtime tick (1..65535); 10 = 10 MHz at the nominal 100 MHz" },
	{ "stats", "FILE", OPT_STR, FIELD(stats), 0, 0, "none",
	  "write the run's statistics to FILE as one JSON object" },
	{ "trace", "FILE.fst", OPT_STR, FIELD(trace), 0, 0, "none",
	  "write an FST waveform of the RTL to FILE.fst" },
	{ "trace-start", "N", OPT_U64, FIELD(trace_start), 0, UINT64_MAX, "0",
	  "first cycle written to the waveform" },
	{ "trace-end", "N", OPT_U64, FIELD(trace_end), 1, UINT64_MAX, "end of run",
	  "first cycle no longer written to the waveform" },
	{ "trace-on", "EVENT", OPT_STR, FIELD(trace_on), 0, 0, "none",
	  "write the waveform only around the first EVENT: trap:CAUSE, gwb-full, irq:CAUSE, "
	  "pc:ADDR, lockstep, iocheck, fail (the run is repeated to get the cycles before it)" },
	{ "trace-window", "N", OPT_U64, FIELD(trace_window), 1, UINT64_MAX, "5000",
	  "--trace-on: cycles traced before and after the event" },
	{ "disk", "PATH", OPT_STR, FIELD(disk), 0, 0, "a fresh temporary image",
	  "raw image file behind the virtio-blk disk in slot 7 (size a multiple of 512)" },
	{ "disk-readonly", NULL, OPT_FLAG, FIELD(disk_readonly), 0, 0, "off",
	  "open the disk image read-only: writes complete with IOERR" },
	{ "disk-size-mb", "N", OPT_U32, FIELD(disk_size_mb), 1, 4096, "64",
	  "size in MiB of the temporary image used without --disk (1..4096)" },
	{ "disk-latency", "N", OPT_U32, FIELD(disk_latency), 0, 100000000, "2000",
	  "disk: fixed cycles per request (2000 = 20 us at 100 MHz)" },
	{ "disk-bandwidth", "N", OPT_U32, FIELD(disk_bandwidth), 1, 1000000, "800",
	  "disk: transfer rate in MB/s at the nominal 100 MHz (800: 4 KiB in 512 cycles)" },
	{ "disk-seek", "N", OPT_U32, FIELD(disk_seek), 0, 100000000, "50",
	  "disk: seek cycles per bit of |LBA - end of the previous request| (0 = none)" },
	{ "disk-jitter", "N", OPT_U32, FIELD(disk_jitter), 0, 100000000, "200",
	  "disk: extra 0..N cycles per request, drawn from --seed" },
	{ "disk-qdepth", "N", OPT_U32, FIELD(disk_qdepth), 1, OPTS_MAX_DISK_QDEPTH, "8",
	  "disk: requests in service at once, later ones wait (1..256)" },
	{ "lockstep", NULL, OPT_FLAG, FIELD(lockstep), 0, 0, "off",
	  "check every retirement against the reference model; stop at the first mismatch" },
	{ "no-iocheck", NULL, OPT_FLAG, FIELD(no_iocheck), 0, 0, "on when the ELF has umbra_iolog",
	  "do not check the hypervisor's completion deliveries (docs/io.md §4)" },
	{ "inject-fault", "KIND@N", OPT_STR, FIELD(inject_fault), 0, 0, "none",
	  "verification of the checkers: flip bit 0 of the first register write (reg@N) or "
	  "store (mem@N) retiring at order >= N; iolog@N: the I/O checker sees SEQ N's record "
	  "delivered 1 cycle after its issue" },
	{ "quiet", NULL, OPT_FLAG, FIELD(quiet), 0, 0, "off",
	  "print only the guest's output, errors and the final line" },
	{ "help", NULL, OPT_FLAG, FIELD(help), 0, 0, NULL,
	  "print this text and exit" },
};

#define OPT_COUNT (sizeof(opt_table) / sizeof(opt_table[0]))

void opts_init_defaults(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->bootargs = "";
	o->max_cycles = OPTS_DEFAULT_MAX_CYCLES;
	o->seed = OPTS_DEFAULT_SEED;
	o->mem_latency = OPTS_DEFAULT_MEM_LATENCY;
	o->ram_mb = OPTS_DEFAULT_RAM_MB;
	o->mtime_div = OPTS_DEFAULT_MTIME_DIV;
	o->trace_end = OPTS_NO_TRACE_END;
	o->trace_window = OPTS_DEFAULT_TRACE_WINDOW;
	o->disk_size_mb = OPTS_DEFAULT_DISK_SIZE_MB;
	o->disk_latency = OPTS_DEFAULT_DISK_LATENCY;
	o->disk_bandwidth = OPTS_DEFAULT_DISK_BANDWIDTH;
	o->disk_seek = OPTS_DEFAULT_DISK_SEEK;
	o->disk_jitter = OPTS_DEFAULT_DISK_JITTER;
	o->disk_qdepth = OPTS_DEFAULT_DISK_QDEPTH;
}

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Decimal, or hexadecimal after 0x; no sign, no spaces, no suffix. */
static int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10, d;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (*p == '\0')
		return -EINVAL;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

static const struct opt_desc *find_opt(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < OPT_COUNT; i++)
		if (strlen(opt_table[i].name) == len && strncmp(opt_table[i].name, name, len) == 0)
			return &opt_table[i];
	return NULL;
}

static int set_value(struct opts *o, const struct opt_desc *d, const char *val, char *err,
		     size_t errlen)
{
	char *base = (char *)o;
	uint64_t v;
	int rc;

	switch (d->kind) {
	case OPT_STR:
		if (*val == '\0' && d->offset != FIELD(bootargs))
			return fail(err, errlen, "--%s needs a non-empty %s", d->name, d->metavar);
		memcpy(base + d->offset, &val, sizeof(val));
		return 0;
	case OPT_U64:
	case OPT_U32:
		rc = parse_u64(val, &v);
		if (rc == -EINVAL)
			return fail(err, errlen, "--%s wants a number (decimal or 0x-hex), not '%s'",
				    d->name, val);
		if (rc || v < d->min || v > d->max) {
			if (d->max == UINT64_MAX)
				return fail(err, errlen, "--%s %s is out of range (at least %llu)",
					    d->name, val, (unsigned long long)d->min);
			return fail(err, errlen, "--%s %s is out of range (%llu..%llu)", d->name, val,
				    (unsigned long long)d->min, (unsigned long long)d->max);
		}
		if (d->kind == OPT_U32) {
			uint32_t v32 = (uint32_t)v;

			memcpy(base + d->offset, &v32, sizeof(v32));
		} else {
			memcpy(base + d->offset, &v, sizeof(v));
		}
		return 0;
	case OPT_FLAG:
	default:
		return fail(err, errlen, "internal: --%s is not a valued option", d->name);
	}
}

/* --trace-on EVENT (the grammar of --help) */
static int parse_trace_on(struct opts *o, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		uint32_t kind;
		bool has_arg;
	} ev[] = {
		{ "trap:", OPTS_EV_TRAP, true }, { "irq:", OPTS_EV_IRQ, true },
		{ "pc:", OPTS_EV_PC, true }, { "gwb-full", OPTS_EV_TRAP, false },
		{ "lockstep", OPTS_EV_LOCKSTEP, false }, { "fail", OPTS_EV_FAIL, false },
		{ "iocheck", OPTS_EV_IOCHECK, false },
	};
	const char *e = o->trace_on;
	size_t i, n;

	for (i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
		n = strlen(ev[i].name);
		if (ev[i].has_arg ? strncmp(e, ev[i].name, n) != 0 : strcmp(e, ev[i].name) != 0)
			continue;
		o->trace_on_kind = ev[i].kind;
		o->trace_on_arg = 24;   /* gwb-full = trap:24 (SPEC §3) */
		if (ev[i].has_arg && parse_u64(e + n, &o->trace_on_arg))
			return fail(err, errlen, "--trace-on %s: '%s' is not a number", e, e + n);
		if (ev[i].has_arg && o->trace_on_kind != OPTS_EV_PC && o->trace_on_arg > 31)
			return fail(err, errlen, "--trace-on %s: a cause is 0..31", e);
		if (o->trace_on_kind == OPTS_EV_LOCKSTEP && !o->lockstep)
			return fail(err, errlen, "--trace-on lockstep needs --lockstep");
		if (o->trace_on_kind == OPTS_EV_IOCHECK && o->no_iocheck)
			return fail(err, errlen, "--trace-on iocheck needs the I/O checker: drop --no-iocheck");
		return 0;
	}
	return fail(err, errlen, "--trace-on %s: want trap:CAUSE, gwb-full, irq:CAUSE, pc:ADDR, "
		    "lockstep, iocheck or fail", e);
}

/* --inject-fault reg@N | mem@N | iolog@N */
static int parse_fault(struct opts *o, char *err, size_t errlen)
{
	const char *f = o->inject_fault, *at = strchr(f, '@');
	size_t kl = at ? (size_t)(at - f) : 0;

	if (at && kl == 3 && strncmp(f, "reg", 3) == 0)
		o->fault_kind = OPTS_FAULT_REG;
	else if (at && kl == 3 && strncmp(f, "mem", 3) == 0)
		o->fault_kind = OPTS_FAULT_MEM;
	else if (at && kl == 5 && strncmp(f, "iolog", 5) == 0)
		o->fault_kind = OPTS_FAULT_IOLOG;
	else
		return fail(err, errlen, "--inject-fault %s: want reg@N or mem@N (N = retirement order), "
			    "or iolog@N (N = a SEQ)", f);
	if (parse_u64(at + 1, &o->fault_order))
		return fail(err, errlen, "--inject-fault %s: N wants a number (decimal or 0x-hex), not '%s'",
			    f, at + 1);
	if (o->fault_kind == OPTS_FAULT_IOLOG && (o->fault_order == 0 || o->fault_order > UINT32_MAX))
		return fail(err, errlen, "--inject-fault %s: a SEQ is 1..4294967295", f);
	if (o->fault_kind == OPTS_FAULT_IOLOG && o->no_iocheck)
		return fail(err, errlen, "--inject-fault %s perturbs the I/O checker: drop --no-iocheck", f);
	return 0;
}

static int check_combination(struct opts *o, char *err, size_t errlen, bool start_set,
			     bool end_set)
{
	size_t n;

	if (!o->elf)
		return fail(err, errlen, "no ELF file given (usage: [options] ELF; --help lists the options)");
	if (strlen(o->bootargs) > OPTS_MAX_BOOTARGS)
		return fail(err, errlen, "--bootargs is %zu bytes long, at most %u are allowed",
			    strlen(o->bootargs), OPTS_MAX_BOOTARGS);
	if (o->trace_window != OPTS_DEFAULT_TRACE_WINDOW && !o->trace_on)
		return fail(err, errlen, "--trace-window sizes the window of --trace-on");
	if ((start_set || end_set) && !o->trace)
		return fail(err, errlen, "--trace-start/--trace-end need --trace FILE.fst");
	if (o->trace) {
		n = strlen(o->trace);
		if (n < 5 || strcmp(o->trace + n - 4, ".fst") != 0)
			return fail(err, errlen, "--trace %s: the waveform is written as FST, name it *.fst",
				    o->trace);
	}
	if (o->disk && o->disk_size_mb != OPTS_DEFAULT_DISK_SIZE_MB)
		return fail(err, errlen, "--disk-size-mb sizes the temporary image; with --disk %s the "
			    "file's own size counts", o->disk);
	if (o->trace_end <= o->trace_start)
		return fail(err, errlen, "--trace-end %llu must be after --trace-start %llu",
			    (unsigned long long)o->trace_end, (unsigned long long)o->trace_start);
	if (o->trace_on && !o->trace)
		return fail(err, errlen, "--trace-on needs --trace FILE.fst (where the window goes)");
	if (o->trace_on && (start_set || end_set))
		return fail(err, errlen, "--trace-on chooses the window itself: drop --trace-start/--trace-end");
	if (o->trace_on && parse_trace_on(o, err, errlen))
		return -EINVAL;
	if (o->inject_fault)
		return parse_fault(o, err, errlen);
	return 0;
}

int opts_parse_args(struct opts *o, int argc, char **argv, char *err, size_t errlen)
{
	bool only_files = false, start_set = false, end_set = false;
	const struct opt_desc *d;
	const char *arg, *eq, *val;
	size_t namelen;
	int i, rc;

	if (err && errlen)
		err[0] = '\0';
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (only_files || arg[0] != '-' || strcmp(arg, "-") == 0) {
			if (o->elf)
				return fail(err, errlen, "more than one ELF file given ('%s' and '%s')",
					    o->elf, arg);
			o->elf = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_files = true;
			continue;
		}
		if (strcmp(arg, "-h") == 0) {
			o->help = true;
			return 0;
		}
		if (arg[1] != '-')
			return fail(err, errlen, "unknown option '%s' (--help lists the options)", arg);
		eq = strchr(arg + 2, '=');
		namelen = eq ? (size_t)(eq - (arg + 2)) : strlen(arg + 2);
		d = find_opt(arg + 2, namelen);
		if (!d)
			return fail(err, errlen, "unknown option '%.*s' (--help lists the options)",
				    (int)(namelen + 2), arg);
		if (d->kind == OPT_FLAG) {
			if (eq)
				return fail(err, errlen, "--%s takes no value", d->name);
			*(bool *)((char *)o + d->offset) = true;
			if (o->help)
				return 0;
			continue;
		}
		if (eq) {
			val = eq + 1;
		} else {
			if (i + 1 >= argc)
				return fail(err, errlen, "--%s needs a value (%s)", d->name, d->metavar);
			val = argv[++i];
		}
		rc = set_value(o, d, val, err, errlen);
		if (rc)
			return rc;
		if (d->offset == FIELD(trace_start))
			start_set = true;
		if (d->offset == FIELD(trace_end))
			end_set = true;
	}
	return check_combination(o, err, errlen, start_set, end_set);
}

void opts_print_usage(FILE *f, const char *prog)
{
	char left[40];
	size_t i;

	fprintf(f, "usage: %s [options] ELF\n"
		   "Runs the RV32 program ELF on the umbra-virt machine: it starts in the boot ROM\n"
		   "at 0x1000 and enters the ELF in M-mode with a0 = hart id, a1 = FDT address.\n\n"
		   "options (--opt VAL or --opt=VAL; numbers are decimal or 0x-hex):\n", prog);
	for (i = 0; i < OPT_COUNT; i++) {
		const struct opt_desc *d = &opt_table[i];

		snprintf(left, sizeof(left), "--%s%s%s", d->name, d->metavar ? " " : "",
			 d->metavar ? d->metavar : "");
		if (d->deflt)
			fprintf(f, "  %-20s %s (default: %s)\n", left, d->help, d->deflt);
		else
			fprintf(f, "  %-20s %s\n", left, d->help);
	}
	fprintf(f, "\nThe guest's console (UART, HTIF writes) is on stdout; %s's own messages are on\n"
		   "stderr and end with one line: PASS, FAIL or TIMEOUT, cycles, instret, seed.\n"
		   "Exit status: the guest's exit code (0 = pass), 124 on timeout, 2 on bad input.\n",
		prog);
}

int opts_check(const struct opts *o)
{
	if (!o->elf || !o->bootargs)
		return -EINVAL;
	if (o->max_cycles == 0 || o->mem_latency < 1 || o->mem_latency > OPTS_MAX_MEM_LATENCY)
		return -EINVAL;
	if (o->ram_mb < OPTS_MIN_RAM_MB || o->ram_mb > OPTS_MAX_RAM_MB)
		return -EINVAL;
	if (o->mtime_div < 1 || o->mtime_div > OPTS_MAX_MTIME_DIV)
		return -EINVAL;
	if (o->trace_end <= o->trace_start)
		return -EINVAL;
	if (o->disk_size_mb < 1 || o->disk_bandwidth < 1 || o->disk_qdepth < 1 ||
	    o->disk_qdepth > OPTS_MAX_DISK_QDEPTH)
		return -EINVAL;
	return 0;
}
