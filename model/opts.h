/* opts.h: the command line shared by build/umbra and build/umbra-iss. */
#ifndef UMBRA_OPTS_H
#define UMBRA_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define OPTS_DEFAULT_MAX_CYCLES  200000000ull
#define OPTS_DEFAULT_SEED        1ull
#define OPTS_DEFAULT_MEM_LATENCY 1u
#define OPTS_DEFAULT_RAM_MB      128u
#define OPTS_DEFAULT_MTIME_DIV   10u
#define OPTS_MAX_MEM_LATENCY     1024u
#define OPTS_MIN_RAM_MB          4u      /* room for a program and the FDT's 2 MiB slot */
#define OPTS_MAX_RAM_MB          2048u   /* 0x8000_0000 + 2 GiB = top of the 32-bit space */
#define OPTS_MAX_MTIME_DIV       65535u  /* the SoC's mtime_div_i is 16 bits */
#define OPTS_MAX_BOOTARGS        4095u
#define OPTS_NO_TRACE_END        UINT64_MAX

struct opts {
	const char *elf;
	const char *bootargs;
	uint64_t max_cycles;
	uint64_t seed;
	uint32_t mem_latency;
	uint32_t ram_mb;
	uint32_t mtime_div;
	const char *stats;
	const char *trace;
	uint64_t trace_start;
	uint64_t trace_end;   /* first cycle not traced; OPTS_NO_TRACE_END = end of run */
	bool quiet;
	bool help;            /* --help was given: print opts_print_usage() and exit 0 */
};

void opts_init_defaults(struct opts *o);

/*
 * Parse argv[1..argc-1]. Returns 0 (o->help tells whether --help was asked),
 * or -EINVAL with one line, without the "prog: error: " prefix, in err.
 * o keeps pointers into argv.
 */
int opts_parse_args(struct opts *o, int argc, char **argv, char *err, size_t errlen);

void opts_print_usage(FILE *f, const char *prog);
int opts_check(const struct opts *o);

#endif /* UMBRA_OPTS_H */
