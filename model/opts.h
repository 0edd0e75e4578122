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
/* The timed disk (SPEC §4, model/virtio_blk.c); cycles at the nominal 100 MHz. */
#define OPTS_DEFAULT_DISK_SIZE_MB   64u    /* the temporary image made without --disk */
#define OPTS_DEFAULT_DISK_LATENCY   2000u  /* 20 us: an NVMe-class command overhead */
#define OPTS_DEFAULT_DISK_BANDWIDTH 800u   /* MB/s: 4 KiB moves in 512 cycles */
#define OPTS_DEFAULT_DISK_SEEK      50u    /* cycles per bit of the LBA distance */
#define OPTS_DEFAULT_DISK_JITTER    200u   /* uniform 0..N extra cycles */
#define OPTS_DEFAULT_DISK_QDEPTH    8u
#define OPTS_MAX_DISK_QDEPTH        256u   /* the virtqueue's size */

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
	const char *trace_on; /* --trace-on EVENT as given, NULL = none */
	uint32_t trace_on_kind;     /* OPTS_EV_*, from trace_on */
	uint64_t trace_on_arg;      /* the cause or pc */
	uint64_t trace_window;
	bool quiet;
	bool lockstep;        /* build/umbra: run the reference model beside the RTL (SPEC §7) */
	bool no_iocheck;      /* build/umbra: do not check umbra_iolog's deliveries (docs/io.md §4) */
	const char *inject_fault;   /* --inject-fault KIND@N as given, NULL = none */
	uint32_t fault_kind;        /* OPTS_FAULT_*, from inject_fault */
	uint64_t fault_order;
	const char *disk;     /* image file, NULL = a fresh temporary one */
	bool disk_readonly;
	uint32_t disk_size_mb;
	uint32_t disk_latency;
	uint32_t disk_bandwidth;
	uint32_t disk_seek;
	uint32_t disk_jitter;
	uint32_t disk_qdepth;
	bool help;            /* --help was given: print opts_print_usage() and exit 0 */
};

/* --trace-on events. */
#define OPTS_EV_TRAP     1u   /* an exception with cause arg (gwb-full = 24) */
#define OPTS_EV_IRQ      2u   /* an interrupt with cause arg is taken */
#define OPTS_EV_PC       3u   /* an instruction at pc arg retires or traps */
#define OPTS_EV_LOCKSTEP 4u   /* the lockstep checker finds a mismatch */
#define OPTS_EV_FAIL     5u   /* the run ends other than PASS */
#define OPTS_EV_IOCHECK  6u   /* the completion-delivery checker finds a violation */
#define OPTS_DEFAULT_TRACE_WINDOW 5000u

/* --inject-fault kinds, as umbra_soc.sv's fault_kind_i. */
#define OPTS_FAULT_NONE 0u
#define OPTS_FAULT_REG  1u
#define OPTS_FAULT_MEM  2u
#define OPTS_FAULT_IOLOG 3u   /* harness only: the record of SEQ N, as read, delivered at issue + 1 */

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
