/* iss_main.c: build/umbra-iss: runs an ELF on the C reference model with build/umbra's command line and final line. */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "elf.h"
#include "fdt.h"
#include "machine.h"
#include "iolog.h"
#include "iss.h"
#include "mem.h"
#include "mmio.h"
#include "opts.h"
#include "stats.h"
#include "virtio_blk.h"

/*
 * Rules (the same conventions as testbench/sim.c):
 *  1. stdout carries the guest console only; everything else goes to stderr.
 *  2. The last stderr line is PASS|FAIL|TIMEOUT <elf> ... cycles=N instret=N seed=S,
 *     and the exit status matches it (guest code, 124 timeout, 2 bad input).
 *  3. cycles counts ISS steps (iss.h rule 3); instret counts retired instructions.
 */

#define PROG "umbra-iss"
#define EXIT_BAD_INPUT 2
#define EXIT_SIGNAL    130
#define RUN_CHUNK      4096u   /* steps between checks of the cycle budget and signals */
#define IOLOG_CHUNKS   16u     /* chunks between reads of umbra_iolog (65,536 steps: the ring
				* of 256 records cannot fill in that time) */

struct run {
	struct opts opts;
	const char *elf_name;
	struct mem ram;
	struct elf_image img;
	struct mmio bus;
	struct htif htif;
	struct virtio_blk blk;    /* the timed disk in virtio slot 7 */
	struct mmio_halt halt;
	uint32_t fdt_addr;
	size_t fdt_size;
	struct iss iss;
	struct stats_writer stats;
	struct timespec t0;
	bool timed_out;
	struct iolog iolog;       /* the hypervisor's event log, when img.has_iolog */
};

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void say_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say_info(const struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs(PROG ": error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void say_info(const struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->opts.quiet)
		return;
	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int load_program(struct run *r)
{
	char err[512];
	int rc = machine_load_program(&r->opts, &r->ram, &r->img, &r->fdt_addr,
				      &r->fdt_size, err, sizeof(err));

	if (rc)
		say_error("%s", err);
	return rc;
}


static int setup(struct run *r, int argc, char **argv)
{
	char err[512];
	int rc;

	opts_init_defaults(&r->opts);
	rc = opts_parse_args(&r->opts, argc, argv, err, sizeof(err));
	if (rc) {
		say_error("%s", err);
		return rc;
	}
	if (r->opts.help) {
		opts_print_usage(stdout, PROG);
		return 1;
	}
	if (r->opts.trace) {
		say_error("--trace: the instruction-set model has no waveforms (use build/umbra)");
		return -EINVAL;
	}
	if (r->opts.inject_fault) {
		say_error("--inject-fault corrupts the RTL: use build/umbra --lockstep --inject-fault");
		return -EINVAL;
	}
	if (r->opts.lockstep) {
		say_error("--lockstep checks the RTL against this model: use build/umbra --lockstep");
		return -EINVAL;
	}
	r->elf_name = base_name(r->opts.elf);
	rc = mem_init_ram(&r->ram, MEM_RAM_BASE, r->opts.ram_mb * MEM_MIB);
	if (rc) {
		say_error("cannot allocate %u MiB of RAM: %s", r->opts.ram_mb, strerror(-rc));
		return rc;
	}
	rc = load_program(r);
	if (rc)
		return rc;
	rc = machine_attach_devices(&r->opts, &r->ram, &r->img, r->fdt_addr, stdout, &r->bus, &r->htif,
				    &r->halt, &r->blk, err, sizeof(err));
	if (rc) {
		say_error("%s", err);
		return rc;
	}
	if (r->opts.stats && (rc = stats_open_file(&r->stats, r->opts.stats)) != 0) {
		say_error("cannot write stats %s: %s", r->opts.stats, strerror(-rc));
		return rc;
	}
	iss_init(&r->iss, &r->ram, &r->bus, &r->htif, r->opts.mtime_div);
	say_info(r, "%s: entry 0x%08x, %u segment%s, FDT at 0x%08x (%zu bytes)%s%s", r->opts.elf,
		 r->img.entry, r->img.nload, r->img.nload == 1 ? "" : "s", r->fdt_addr, r->fdt_size,
		 r->img.has_tohost ? ", HTIF tohost" : "", r->img.has_fromhost ? "/fromhost" : "");
	return 0;
}

static void run_loop(struct run *r)
{
	struct iss *s = &r->iss;
	unsigned chunks = 0;

	iolog_init(&r->iolog, r->img.iolog);
	while (r->halt.kind == MMIO_RUNNING) {
		uint64_t left = r->opts.max_cycles - s->cycle;

		if (got_signal) {
			mmio_set_halt(&r->halt, MMIO_HALT_FAIL, EXIT_SIGNAL,
				      "stopped by signal %d in cycle %llu", (int)got_signal,
				      (unsigned long long)s->cycle);
			break;
		}
		if (s->cycle >= r->opts.max_cycles) {
			r->timed_out = true;
			break;
		}
		iss_step(s, left < RUN_CHUNK ? left : RUN_CHUNK);
		if (r->img.has_iolog && ++chunks % IOLOG_CHUNKS == 0)
			iolog_poll(&r->iolog, &r->ram, NULL, NULL);   /* an error stays for the stats */
	}
	if (r->img.has_iolog)
		iolog_poll(&r->iolog, &r->ram, NULL, NULL);
}

static double now_seconds(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

static void write_stats(struct run *r, const char *result, int status, double wall)
{
	struct stats_run sr = {
		.result = result,
		.exit_code = (uint32_t)status,
		.elf = r->opts.elf,
		.bootargs = r->opts.bootargs,
		.seed = r->opts.seed,
		.cycles = r->iss.cycle,
		.instret = r->iss.instret,
		.wall_seconds = wall,
		.mem_latency = r->opts.mem_latency,
		.ram_mb = r->opts.ram_mb,
		.mtime_div = r->opts.mtime_div,
		.max_cycles = r->opts.max_cycles,
		.itlb_misses = r->iss.itlb.misses,
		.dtlb_misses = r->iss.dtlb.misses,
		.walker_cycles = r->iss.pte_reads,
		.uart_tx_bytes = r->bus.uart.tx_bytes,
		.mmio_accesses = r->bus.accesses,
		.mmio_errors = r->bus.errors,
	};
	int rc;

	stats_put_run(&r->stats, &sr);
	stats_put_string(&r->stats, "model", "iss");
	stats_put_u64(&r->stats, "traps", r->iss.traps);
	stats_put_u64(&r->stats, "htif_syscalls", r->htif.syscalls);
	machine_put_disk_stats(&r->stats, &r->bus, &r->blk, !r->img.has_iolog);
	if (r->img.has_iolog)
		machine_put_iolog_stats(&r->stats, &r->iolog);
	machine_put_guest_stats(&r->stats, &r->ram, &r->img, stderr, PROG);
	rc = stats_close_file(&r->stats);
	if (rc)
		say_error("cannot write stats %s: %s", r->opts.stats, strerror(-rc));
}

static int finish(struct run *r)
{
	double wall = now_seconds(&r->t0);
	const struct iss *s = &r->iss;
	const char *result;
	int status;

	assert(iss_check(s) == 0);
	fflush(stdout);
	status = machine_outcome(&r->halt, &result);
	if (r->halt.why[0])
		say_error("%s", r->halt.why);
	if (r->halt.kind == MMIO_HALT_FAIL && r->halt.code > 255)
		say_error("guest exit code %u does not fit an exit status: exiting with %d",
			  r->halt.code, status);
	if (r->timed_out)
		say_info(r, "no exit after %llu cycles (--max-cycles); pc 0x%08x",
			 (unsigned long long)s->cycle, s->pc);
	say_info(r, "%llu instructions in %.3f s (%.2f M instructions/s)",
		 (unsigned long long)s->instret, wall,
		 wall > 0 ? (double)s->instret / wall / 1e6 : 0.0);
	if (r->img.has_iolog)
		machine_warn_iolog(&r->iolog, stderr, PROG);
	if (r->stats.f)
		write_stats(r, result, status, wall);
	machine_print_final(stderr, &r->halt, r->elf_name, s->cycle, s->instret, r->opts.seed);
	return status;
}

int main(int argc, char **argv)
{
	static struct run r;
	struct sigaction sa;
	int rc, status;

	rc = setup(&r, argc, argv);
	if (rc) {
		if (r.stats.f)
			fclose(r.stats.f);
		if (r.bus.blk)
			virtio_blk_close(&r.blk);
		mem_free_ram(&r.ram);
		return rc > 0 ? 0 : EXIT_BAD_INPUT;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	assert(iss_check(&r.iss) == 0);
	clock_gettime(CLOCK_MONOTONIC, &r.t0);
	run_loop(&r);
	status = finish(&r);
	iolog_free(&r.iolog);
	if (r.bus.blk)
		virtio_blk_close(&r.blk);
	mem_free_ram(&r.ram);
	return status;
}
