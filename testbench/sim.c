/* sim.c: the co-simulation driver: memory-port timing, devices, run/stop logic, counters, final line. */
#define _POSIX_C_SOURCE 200809L
#include "sim.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "elf.h"
#include "fdt.h"
#include "iocheck.h"
#include "iolog.h"
#include "lockstep.h"
#include "machine.h"
#include "mem.h"
#include "mmio.h"
#include "opts.h"
#include "stats.h"
#include "virtio_blk.h"

/*
 * Rules (docs/architecture.md, "The boundary with C"):
 *  1. The SoC registers every input but rst_ni at the rising edge: what
 *     sim_step() drives before edge k is what the SoC sees in cycle k+1.
 *  2. req_ready is driven 1 after reset. A handshake at edge k is req_valid in
 *     cycle k while the SoC holds ready (ready_q: driven before edge k-1; the
 *     SoC resets it to 0, so cycle 0 never handshakes).
 *  3. The access is done at the handshake. With latency N its response is
 *     seen by the SoC in cycle k+N exactly, for one cycle: it is driven
 *     before edge k+N-1 (N = 1: in the handshake cycle itself).
 *  4. One request per port in flight: a handshake while the previous response
 *     is not yet driven is an RTL protocol violation and fails the run. A new
 *     request may handshake in the cycle the SoC sees the response.
 *  5. cycle counts rising edges after reset; instret counts rvfi_valid && !rvfi_trap.
 *  6. The run stops at the first halt request (finisher, HTIF, protocol
 *     error, RTL failure, lockstep mismatch, signal) or when cycle reaches
 *     max_cycles.
 *  7. With --lockstep every RVFI retirement is checked by the reference model
 *     (model/lockstep.c) in the cycle the RTL reports it.
 *  8. --trace-on runs twice. Pass 1 traces nothing, keeps the console in a
 *     temporary file and works on a copy of a --disk image; at the event
 *     (cycle C) it stops and re-executes the same command with
 *     --trace-start/--trace-end around C instead of --trace-on (pass 2, an
 *     ordinary run: the simulation is deterministic). Without the event,
 *     pass 1 is the run: its console is printed and its image copied back.
 *  9. When the ELF has umbra_iolog, the event log is read online (at each guest SEI trap
 *     and every SIM_IOLOG_PERIOD cycles, so the ring never overflows, and at the end) and,
 *     unless --no-iocheck, every record is checked against the host completions and the
 *     retirements of this run (model/iocheck.h); mcycle equals cycle here (a csrr mcycle
 *     retiring in cycle k reads k). A violation ends the run FAIL ... reason=iocheck.
 */

#define SIM_IOLOG_PERIOD 0xffffu   /* mask: a poll every 65,536 cycles */

#define PROG "umbra"

struct port {
	bool busy;          /* accepted; response not driven yet */
	bool err;
	uint32_t rdata;
	uint64_t drive;     /* cycle whose sim_step() drives the response */
	uint64_t requests;
};

struct sim {
	struct opts opts;
	const char *elf_name;     /* basename for the final line */
	struct mem ram;
	struct elf_image img;
	struct mmio bus;
	struct virtio_blk blk;    /* the timed disk in virtio slot 7 */
	struct htif htif;
	struct mmio_halt halt;
	struct lockstep *ls;      /* --lockstep: the reference model beside the RTL */
	struct iolog iolog;       /* rule 9: the hypervisor's event log (img.has_iolog) */
	struct iocheck *ck;       /* rule 9: the delivery checker, NULL with --no-iocheck */
	uint32_t fdt_addr;
	size_t fdt_size;

	struct port imem, dmem, mmio;
	uint32_t latency;
	unsigned reset_left;
	bool ready_q;             /* the req_ready the SoC holds this cycle */

	uint64_t cycle;
	uint64_t instret;
	uint64_t traps;
	uint64_t perf[5];         /* itlb misses, dtlb misses, walker cycles, GWB appends, GWB-full traps */
	uint32_t last_pc;
	uint64_t last_order;
	bool retired_any;
	bool timed_out;
	bool interrupted;
	bool fault_seen;          /* --inject-fault: the corrupted retirement went by */

	uint64_t trace_start;
	uint64_t trace_len;       /* 0 = no waveform */

	/* --trace-on, pass 1 (rule 8) */
	int argc;
	char **argv;
	FILE *console;            /* stdout, or pass 1's temporary console */
	const char *disk_orig;    /* the user's image while pass 1 works on a copy */
	char disk_copy[512];
	bool event_hit;
	uint64_t event_cycle;
	struct stats_writer stats;
	struct timespec t0;
};

_Static_assert(SIM_EXIT_TIMEOUT == MACHINE_EXIT_TIMEOUT, "one timeout exit status");

static volatile sig_atomic_t sim_signal;

static void on_signal(int sig)
{
	sim_signal = sig;
}

static void say_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say_info(const struct sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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

static void say_info(const struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (s->opts.quiet)
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

static double now_seconds(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* The trace file is opened lazily by the harness: prove now that it can be written, leaving no file behind. */
static int check_writable(const char *path, const char *what)
{
	bool existed = access(path, F_OK) == 0;
	FILE *f = fopen(path, "a");
	int e;

	if (!f) {
		e = errno;
		say_error("cannot write %s %s: %s", what, path, strerror(e));
		return -e;
	}
	fclose(f);
	if (!existed)
		unlink(path);
	return 0;
}

static int load_program(struct sim *s)
{
	char err[512];
	int rc = machine_load_program(&s->opts, &s->ram, &s->img, &s->fdt_addr,
				      &s->fdt_size, err, sizeof(err));

	if (rc)
		say_error("%s", err);
	return rc;
}

static int setup_devices(struct sim *s)
{
	char err[512];
	int rc = machine_attach_devices(&s->opts, &s->ram, &s->img, s->fdt_addr, s->console,
					&s->bus, &s->htif, &s->halt, &s->blk, err, sizeof(err));

	if (rc)
		say_error("%s", err);
	return rc;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Rules 2-4 and the parts' own checks; used by the asserts at the start and end of a run. */
static int sim_check(const struct sim *s)
{
	const struct port *ports[3] = { &s->imem, &s->dmem, &s->mmio };
	unsigned i;

	if (mem_check(&s->ram) || elf_check_image(&s->img, &s->ram) || mmio_check(&s->bus) ||
	    htif_check(&s->htif) || opts_check(&s->opts))
		return -EINVAL;
	if (s->latency < 1 || s->latency != s->opts.mem_latency)
		return -EINVAL;
	for (i = 0; i < 3; i++)
		if (ports[i]->busy && ports[i]->drive + 1 < s->cycle)
			return -EINVAL;   /* a response was never driven */
	if (s->reset_left && (s->cycle || s->ready_q))
		return -EINVAL;
	if (s->ls && lockstep_check_state(s->ls))
		return -EINVAL;
	return 0;
}

static void sim_free(struct sim *s)
{
	free(s->ls);
	if (s->ck)
		iocheck_free(s->ck);
	free(s->ck);
	iolog_free(&s->iolog);
	if (s->console && s->console != stdout)
		fclose(s->console);
	if (s->disk_copy[0])
		unlink(s->disk_copy);
	if (s->stats.f)
		fclose(s->stats.f);
	if (s->bus.blk)
		virtio_blk_close(&s->blk);
	mem_free_ram(&s->ram);
	free(s);
}

/* Copy the bytes of fd in to fd out; only blocks that differ are written (out stays sparse). */
static int copy_image(int in, int out)
{
	static uint8_t a[1u << 16], b[1u << 16];
	off_t off = 0;
	ssize_t n, m;

	while ((n = pread(in, a, sizeof(a), off)) > 0) {
		m = pread(out, b, (size_t)n, off);
		if (m != n || memcmp(a, b, (size_t)n) != 0)
			if (pwrite(out, a, (size_t)n, off) != n)
				return -errno;
		off += n;
	}
	return n < 0 ? -errno : 0;
}

static int copy_image_path(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out, rc;
	struct stat st;

	if (in < 0)
		return -errno;
	out = open(to, O_RDWR | O_CLOEXEC);
	if (out < 0 || fstat(in, &st) || ftruncate(out, st.st_size)) {
		rc = -errno;
		close(in);
		if (out >= 0)
			close(out);
		return rc;
	}
	rc = copy_image(in, out);
	close(in);
	close(out);
	return rc;
}

/* Rule 8, pass 1: console to a temporary file, a writable --disk image copied. */
static int trace_on_prepare(struct sim *s)
{
	int fd, rc;

	s->console = tmpfile();
	if (!s->console) {
		say_error("--trace-on: cannot create a temporary console file: %s", strerror(errno));
		return -errno;
	}
	if (!s->opts.disk || s->opts.disk_readonly)
		return 0;
	const char *dir = getenv("TMPDIR");

	if ((size_t)snprintf(s->disk_copy, sizeof(s->disk_copy), "%s/umbra-trace-on-XXXXXX",
			     dir && *dir ? dir : "/tmp") >= sizeof(s->disk_copy))
		s->disk_copy[0] = 0;
	fd = s->disk_copy[0] ? mkstemp(s->disk_copy) : -1;
	if (fd < 0) {
		s->disk_copy[0] = 0;
		say_error("--trace-on: cannot create a copy of %s: %s", s->opts.disk, strerror(errno));
		return -errno;
	}
	close(fd);
	rc = copy_image_path(s->opts.disk, s->disk_copy);
	if (rc) {
		say_error("--trace-on: cannot copy %s: %s", s->opts.disk, strerror(-rc));
		return rc;
	}
	s->disk_orig = s->opts.disk;
	s->opts.disk = s->disk_copy;
	return 0;
}

static void on_host_done(void *ctx, uint64_t cycle)
{
	struct sim *s = ctx;

	iocheck_host_done(s->ck, cycle);
}

/* Rule 9. */
static int iocheck_setup(struct sim *s)
{
	iolog_init(&s->iolog, s->img.iolog);
	if (s->opts.no_iocheck)
		return 0;
	s->ck = malloc(sizeof(*s->ck));
	if (!s->ck || iocheck_init(s->ck, iocheck_bound(s->opts.mem_latency))) {
		say_error("out of memory for the I/O checker");
		return -ENOMEM;
	}
	s->blk.done_hook = on_host_done;
	s->blk.done_ctx = s;
	return 0;
}

int sim_open(struct sim **sp, int argc, char **argv)
{
	char err[512];
	struct sim *s;
	int rc;

	*sp = NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		say_error("out of memory");
		return -ENOMEM;
	}
	opts_init_defaults(&s->opts);
	rc = opts_parse_args(&s->opts, argc, argv, err, sizeof(err));
	if (rc) {
		say_error("%s", err);
		free(s);
		return rc;
	}
	if (s->opts.help) {
		opts_print_usage(stdout, PROG);
		free(s);
		return SIM_OPEN_DONE;
	}
	s->elf_name = base_name(s->opts.elf);
	s->argc = argc;
	s->argv = argv;
	s->console = stdout;
	if (s->opts.trace_on && (rc = trace_on_prepare(s)) != 0) {
		sim_free(s);
		return rc;
	}
	rc = mem_init_ram(&s->ram, MEM_RAM_BASE, s->opts.ram_mb * MEM_MIB);
	if (rc) {
		say_error("cannot allocate %u MiB of RAM: %s", s->opts.ram_mb, strerror(-rc));
		free(s);
		return rc;
	}
	rc = load_program(s);
	if (!rc)
		rc = setup_devices(s);
	if (!rc && s->opts.trace)
		rc = check_writable(s->opts.trace, "waveform");
	if (!rc && s->opts.stats && (rc = stats_open_file(&s->stats, s->opts.stats)) != 0)
		say_error("cannot write stats %s: %s", s->opts.stats, strerror(-rc));
	if (!rc && s->opts.lockstep) {
		s->ls = malloc(sizeof(*s->ls));
		if (!s->ls) {
			say_error("out of memory for the --lockstep model");
			rc = -ENOMEM;
		} else {
			lockstep_init(s->ls, &s->ram, &s->bus, s->opts.mtime_div);
		}
	}
	if (!rc && s->img.has_iolog)
		rc = iocheck_setup(s);
	if (!rc && s->opts.fault_kind == OPTS_FAULT_IOLOG && !s->img.has_iolog) {
		say_error("--inject-fault %s: %s has no umbra_iolog, nothing to perturb",
			  s->opts.inject_fault, s->opts.elf);
		rc = -EINVAL;
	}
	if (!rc && s->opts.trace_on_kind == OPTS_EV_IOCHECK && !s->img.has_iolog) {
		say_error("--trace-on iocheck: %s has no umbra_iolog, there is nothing to check",
			  s->opts.elf);
		rc = -EINVAL;
	}
	if (rc) {
		sim_free(s);
		return rc;
	}
	s->latency = s->opts.mem_latency;
	s->reset_left = SIM_RESET_CYCLES;
	if (s->opts.trace && !s->opts.trace_on) {
		s->trace_start = s->opts.trace_start;
		s->trace_len = s->opts.trace_end - s->opts.trace_start;
	}
	say_info(s, "%s: entry 0x%08x, %u segment%s, FDT at 0x%08x (%zu bytes)%s%s", s->opts.elf,
		 s->img.entry, s->img.nload, s->img.nload == 1 ? "" : "s", s->fdt_addr, s->fdt_size,
		 s->img.has_tohost ? ", HTIF tohost" : "", s->img.has_fromhost ? "/fromhost" : "");
	if (s->opts.trace_on)
		say_info(s, "waveform %s: +-%llu cycles around the first %s (pass 1 looks for it)",
			 s->opts.trace, (unsigned long long)s->opts.trace_window, s->opts.trace_on);
	else if (s->opts.trace)
		say_info(s, "waveform %s from cycle %llu", s->opts.trace,
			 (unsigned long long)s->opts.trace_start);
	if (s->ls)
		say_info(s, "lockstep: every retirement is checked against the reference model");
	if (s->ck)
		say_info(s, "iocheck: every umbra_iolog record is checked against this run (B = %llu "
			 "cycles)", (unsigned long long)s->ck->bound);
	if (s->opts.fault_kind == OPTS_FAULT_IOLOG)
		say_info(s, "fault injection: the I/O checker will see SEQ %llu delivered 1 cycle after "
			 "its issue", (unsigned long long)s->opts.fault_order);
	else if (s->opts.fault_kind)
		say_info(s, "fault injection: the first %s retiring at order >= %llu will be corrupted",
			 s->opts.fault_kind == OPTS_FAULT_REG ? "register write" : "store",
			 (unsigned long long)s->opts.fault_order);
	assert(sim_check(s) == 0);
	install_signals();
	clock_gettime(CLOCK_MONOTONIC, &s->t0);
	*sp = s;
	return 0;
}

const char *sim_trace_path(const struct sim *s)
{
	return s->opts.trace;
}

/* Rules 3-4: the response, if its cycle has come, goes on the inputs. */
static inline void port_drive(struct port *p, uint64_t cycle, uint8_t *valid, uint8_t *err,
			      uint32_t *rdata)
{
	if (p->busy && p->drive == cycle) {
		p->busy = false;
		*valid = 1;
		*err = p->err;
		*rdata = p->rdata;
	} else {
		*valid = 0;
		*err = 0;
		*rdata = 0;
	}
}

/* Checks a handshake against rule 4; returns false (and halts) on a violation. */
static bool port_accept(struct sim *s, struct port *p, const char *name, uint32_t addr)
{
	if (p->busy) {
		mmio_set_halt(&s->halt, MMIO_HALT_FAIL, 1,
			      "RTL protocol violation: %s request to 0x%08x in cycle %llu while the "
			      "previous one is still in flight (its response is due in cycle %llu)",
			      name, addr, (unsigned long long)s->cycle,
			      (unsigned long long)p->drive + 1);
		return false;
	}
	if (addr & 3u) {
		mmio_set_halt(&s->halt, MMIO_HALT_FAIL, 1,
			      "RTL protocol violation: %s request address 0x%08x in cycle %llu is not "
			      "word aligned", name, addr, (unsigned long long)s->cycle);
		return false;
	}
	p->busy = true;
	p->drive = s->cycle + s->latency - 1;
	p->requests++;
	return true;
}

static void do_imem(struct sim *s, const struct sim_out *o)
{
	struct port *p = &s->imem;

	if (!port_accept(s, p, "imem", o->imem_req_addr))
		return;
	p->err = mem_read_word(&s->ram, o->imem_req_addr, &p->rdata) != 0 &&
		 bootrom_read_word(&s->bus.rom, o->imem_req_addr, &p->rdata) != 0;
	if (p->err)
		p->rdata = 0;
}

static void do_dmem(struct sim *s, const struct sim_out *o)
{
	struct port *p = &s->dmem;

	if (!port_accept(s, p, "dmem", o->dmem_req_addr))
		return;
	p->rdata = 0;
	if (o->dmem_req_we) {
		p->err = mem_write_word(&s->ram, o->dmem_req_addr, o->dmem_req_be,
					o->dmem_req_wdata) != 0;
		if (!p->err)
			htif_notice_write(&s->htif, o->dmem_req_addr);
	} else {
		p->err = mem_read_word(&s->ram, o->dmem_req_addr, &p->rdata) != 0;
	}
}

static void do_mmio(struct sim *s, const struct sim_out *o)
{
	struct port *p = &s->mmio;

	if (!port_accept(s, p, "mmio", o->mmio_req_addr))
		return;
	p->err = mmio_access_word(&s->bus, o->mmio_req_addr, o->mmio_req_we, o->mmio_req_be,
				  o->mmio_req_wdata, &p->rdata) != 0;
}

/* Rule 7: the RTL's retirement as the model's record type. */
static void rvfi_from_out(const struct sim_out *o, struct iss_rvfi *r)
{
	memset(r, 0, sizeof(*r));
	r->order = o->rvfi_order;
	r->insn = o->rvfi_insn;
	r->pc_rdata = o->rvfi_pc_rdata;
	r->pc_wdata = o->rvfi_pc_wdata;
	r->trap = o->rvfi_trap;
	r->intr = o->rvfi_intr;
	r->mode = o->rvfi_mode;
	/* an interrupt's cause comes as mcause writes it (bit 31 set) */
	r->cause = o->rvfi_trap || !o->rvfi_intr ? o->rvfi_trap_cause :
		   o->rvfi_trap_cause & 0x7fffffffu;
	r->rd_addr = o->rvfi_rd_addr;
	r->rd_wdata = o->rvfi_rd_wdata;
	r->mem_addr = o->rvfi_mem_addr;
	r->mem_rmask = o->rvfi_mem_rmask;
	r->mem_wmask = o->rvfi_mem_wmask;
	r->mem_rdata = o->rvfi_mem_rdata;
	r->mem_wdata = o->rvfi_mem_wdata;
	r->gwb_valid = o->rvfi_gwb_valid;
	r->gwb_addr = o->rvfi_gwb_addr;
	r->gwb_word0 = o->rvfi_gwb_word0;
	r->gwb_word1 = o->rvfi_gwb_word1;
}

/* --inject-fault: name the retirement the RTL corrupted (umbra_core.sv's g_fault rule). */
static void note_fault(struct sim *s, const struct sim_out *o)
{
	bool hit = o->rvfi_order >= s->opts.fault_order && !o->rvfi_trap &&
		   (s->opts.fault_kind == OPTS_FAULT_REG ? o->rvfi_rd_addr != 0 :
							 o->rvfi_mem_wmask != 0);

	if (!hit)
		return;
	s->fault_seen = true;
	fflush(stdout);
	fprintf(stderr, PROG ": injected fault: bit 0 of the %s of retirement %llu (pc 0x%08x) "
		"was flipped\n", s->opts.fault_kind == OPTS_FAULT_REG ? "register write" : "store data",
		(unsigned long long)o->rvfi_order, o->rvfi_pc_rdata);
}

static void lockstep_retire(struct sim *s, const struct sim_out *o)
{
	struct iss_rvfi r;

	rvfi_from_out(o, &r);
	fflush(stdout);
	if (lockstep_step(s->ls, &r, s->cycle, stderr) == 0)
		return;
	mmio_set_halt(&s->halt, MMIO_HALT_FAIL, SIM_EXIT_LOCKSTEP,
		      "lockstep mismatch at retirement %llu (cycle %llu): the RTL and the "
		      "reference model disagree (report above)",
		      (unsigned long long)o->rvfi_order, (unsigned long long)s->cycle);
	s->halt.reason = "lockstep";
}

/* Rule 9: the record as the checker sees it; --inject-fault iolog@N moves SEQ N's delivery. */
static int on_record(void *ctx, const struct iolog_event *e)
{
	struct sim *s = ctx;
	struct iolog_event x = *e;

	s->ck->policy = s->iolog.policy;
	s->ck->safepoints = s->iolog.safepoints;
	if (s->opts.fault_kind == OPTS_FAULT_IOLOG && e->seq == s->opts.fault_order) {
		x.delivered = x.issue + 1;
		fflush(stdout);
		fprintf(stderr, PROG ": injected fault: the checker sees seq %u delivered at %llu "
			"(logged %llu)\n", e->seq, (unsigned long long)x.delivered,
			(unsigned long long)e->delivered);
	}
	return iocheck_record(s->ck, &x);
}

/* Rule 9: a violation (or a log the checker cannot read) ends the run. */
static void iocheck_halt(struct sim *s)
{
	fflush(stdout);
	fprintf(stderr, PROG ": iocheck: %s\n", s->ck->why);
	if (s->halt.kind == MMIO_HALT_PASS)
		s->halt.kind = MMIO_RUNNING;   /* a pass does not hide a violation */
	if (s->halt.kind == MMIO_RUNNING)
		s->halt.reason = "iocheck";
	mmio_set_halt(&s->halt, MMIO_HALT_FAIL, SIM_EXIT_IOCHECK,
		      "iocheck: a completion delivery breaks the %s policy's rules (docs/io.md §4; "
		      "record above), found in cycle %llu", iolog_policy_name(s->iolog.policy),
		      (unsigned long long)s->cycle);
	if (s->opts.trace_on_kind == OPTS_EV_IOCHECK && !s->event_hit) {
		s->event_hit = true;
		s->event_cycle = s->ck->at;
	}
}

/* Rule 9: read what the hypervisor logged since the last time. */
static void iolog_read(struct sim *s)
{
	int rc;

	if (s->ck && s->ck->err)
		return;
	rc = iolog_poll(&s->iolog, &s->ram, s->ck ? on_record : NULL, s);
	if (rc >= 0)
		return;
	if (s->ck) {
		if (!s->ck->err)
			iocheck_log_error(s->ck, &s->iolog, s->cycle);
		iocheck_halt(s);
	}
}

/* Rule 9: this retirement for the checker; the guest taking SEI is a moment to read the log. */
static void iocheck_observe(struct sim *s, const struct sim_out *o)
{
	struct iocheck_ret r = {
		.cycle = s->cycle,
		.insn = o->rvfi_insn,
		.cause = o->rvfi_intr && !o->rvfi_trap ? o->rvfi_trap_cause & 0x7fffffffu :
							 o->rvfi_trap_cause,
		.rs1_rdata = o->rvfi_rs1_rdata,
		.trap = o->rvfi_trap,
		.intr = o->rvfi_intr,
		.mode = o->rvfi_mode,
	};

	iocheck_retire(s->ck, &r);
	if (r.intr && r.cause == 9 && r.mode == 1)
		iolog_read(s);
	else if (s->ck->err && s->halt.kind == MMIO_RUNNING)
		iocheck_halt(s);   /* out of memory for the observations */
}

/* Rule 8: is this retirement the --trace-on event? */
static bool is_event(const struct sim *s, const struct sim_out *o)
{
	switch (s->opts.trace_on_kind) {
	case OPTS_EV_TRAP:
		return o->rvfi_trap && o->rvfi_trap_cause == s->opts.trace_on_arg;
	case OPTS_EV_IRQ:
		return o->rvfi_intr && (o->rvfi_trap_cause & 0x7fffffffu) == s->opts.trace_on_arg;
	case OPTS_EV_PC:
		return o->rvfi_pc_rdata == s->opts.trace_on_arg;
	case OPTS_EV_LOCKSTEP:
		return s->halt.reason && strcmp(s->halt.reason, "lockstep") == 0;
	case OPTS_EV_IOCHECK:
		return s->ck && s->ck->err;
	default:
		return false;
	}
}

static int check_stop(struct sim *s)
{
	if (s->event_hit)
		return 1;
	if (s->halt.kind != MMIO_RUNNING)
		return 1;
	if (sim_signal) {
		s->interrupted = true;
		mmio_set_halt(&s->halt, MMIO_HALT_FAIL, SIM_EXIT_SIGNAL,
			      "stopped by signal %d in cycle %llu", (int)sim_signal,
			      (unsigned long long)s->cycle);
		return 1;
	}
	if (s->cycle >= s->opts.max_cycles) {
		s->timed_out = true;
		return 1;
	}
	return 0;
}

static void drive_reset(const struct sim *s, struct sim_in *in)
{
	memset(in, 0, sizeof(*in));
	in->mtime_div = (uint16_t)s->opts.mtime_div;
}

int sim_step(struct sim *s, const struct sim_out *o, struct sim_in *in)
{
	if (s->reset_left) {
		s->reset_left--;
		drive_reset(s, in);
		return 0;
	}
	if (s->ready_q) {
		if (o->imem_req_valid)
			do_imem(s, o);
		if (o->dmem_req_valid)
			do_dmem(s, o);
		if (o->mmio_req_valid)
			do_mmio(s, o);
	}
	mmio_tick(&s->bus, s->cycle);
	if (o->rvfi_valid) {
		if (o->rvfi_trap)
			s->traps++;
		else
			s->instret++;
		s->last_pc = o->rvfi_pc_rdata;
		s->last_order = o->rvfi_order;
		s->retired_any = true;
		if (s->opts.fault_kind && s->opts.fault_kind <= OPTS_FAULT_MEM && !s->fault_seen)
			note_fault(s, o);
		if (s->ls)
			lockstep_retire(s, o);
		if (s->ck)
			iocheck_observe(s, o);
		if (s->opts.trace_on && !s->event_hit && is_event(s, o)) {
			s->event_hit = true;
			s->event_cycle = s->cycle;
		}
	}
	if (o->perf_event) {
		s->perf[0] += o->perf_event & 1u;
		s->perf[1] += (o->perf_event >> 1) & 1u;
		s->perf[2] += (o->perf_event >> 2) & 1u;
		s->perf[3] += (o->perf_event >> 3) & 1u;
		s->perf[4] += (o->perf_event >> 4) & 1u;
	}

	in->rst_n = 1;
	in->trace = s->cycle - s->trace_start < s->trace_len;
	in->imem_req_ready = 1;
	in->dmem_req_ready = 1;
	in->mmio_req_ready = 1;
	port_drive(&s->imem, s->cycle, &in->imem_rsp_valid, &in->imem_rsp_err, &in->imem_rsp_rdata);
	port_drive(&s->dmem, s->cycle, &in->dmem_rsp_valid, &in->dmem_rsp_err, &in->dmem_rsp_rdata);
	port_drive(&s->mmio, s->cycle, &in->mmio_rsp_valid, &in->mmio_rsp_err, &in->mmio_rsp_rdata);
	in->irq_src = s->bus.irq_lines;
	in->mtime_div = (uint16_t)s->opts.mtime_div;
	in->fault_kind = s->opts.fault_kind <= OPTS_FAULT_MEM ? (uint8_t)s->opts.fault_kind : 0;
	in->fault_order = s->opts.fault_order;
	s->ready_q = true;

	if (s->img.has_iolog && (s->cycle & SIM_IOLOG_PERIOD) == 0)
		iolog_read(s);
	s->cycle++;
	if (s->halt.kind != MMIO_RUNNING || sim_signal || s->cycle >= s->opts.max_cycles ||
	    s->event_hit)
		return check_stop(s);
	return 0;
}

void sim_fail_rtl(struct sim *s, const char *why)
{
	mmio_set_halt(&s->halt, MMIO_HALT_FAIL, 1, "RTL stopped the run in cycle %llu: %s",
		      (unsigned long long)s->cycle, why);
}

static void write_stats(struct sim *s, const char *result, int status, double wall)
{
	struct stats_run r = {
		.result = result,
		.exit_code = (uint32_t)status,
		.elf = s->opts.elf,
		.bootargs = s->opts.bootargs,
		.seed = s->opts.seed,
		.cycles = s->cycle,
		.instret = s->instret,
		.wall_seconds = wall,
		.mem_latency = s->opts.mem_latency,
		.ram_mb = s->opts.ram_mb,
		.mtime_div = s->opts.mtime_div,
		.max_cycles = s->opts.max_cycles,
		.itlb_misses = s->perf[0],
		.dtlb_misses = s->perf[1],
		.walker_cycles = s->perf[2],
		.uart_tx_bytes = s->bus.uart.tx_bytes,
		.mmio_accesses = s->bus.accesses,
		.mmio_errors = s->bus.errors,
	};
	int rc;

	stats_put_run(&s->stats, &r);
	stats_put_u64(&s->stats, "traps", s->traps);
	stats_put_u64(&s->stats, "htif_syscalls", s->htif.syscalls);
	stats_put_u64(&s->stats, "rtl.gwb_appends", s->perf[3]);   /* perf_event bits 3, 4 */
	stats_put_u64(&s->stats, "rtl.gwb_full", s->perf[4]);
	if (s->ls) {
		stats_put_u64(&s->stats, "lockstep.retirements_checked", s->ls->checked);
		stats_put_u64(&s->stats, "lockstep.gwb_records_checked", s->ls->gwb_records);
	}
	machine_put_disk_stats(&s->stats, &s->bus, &s->blk, !s->img.has_iolog);
	if (s->img.has_iolog)
		machine_put_iolog_stats(&s->stats, &s->iolog);
	if (s->ck) {
		stats_put_u64(&s->stats, "iocheck.records_checked", s->ck->records);
		stats_put_u64(&s->stats, "iocheck.bound_cycles", s->ck->bound);
		stats_put_u64(&s->stats, "iocheck.host_completions", s->ck->nhost);
		stats_put_u64(&s->stats, "iocheck.guest_sei_traps", s->ck->sei_traps);
		stats_put_u64(&s->stats, "iocheck.violations", s->ck->err ? 1 : 0);
		stats_put_u64(&s->stats, "iocheck.delay_max_cycles", s->ck->delay_max);
		stats_put_u64(&s->stats, "iocheck.delay_busy_max_cycles", s->ck->delay_busy_max);
		stats_put_u64(&s->stats, "iocheck.delay_busy_trap_cause", s->ck->busy_cause);
		stats_put_u64(&s->stats, "iocheck.delay_busy_trap_insn", s->ck->busy_insn);
	}
	machine_put_guest_stats(&s->stats, &s->ram, &s->img, stderr, PROG);
	rc = stats_close_file(&s->stats);
	if (rc)
		say_error("cannot write stats %s: %s", s->opts.stats, strerror(-rc));
}

/* Rule 8: pass 1 found the event at cycle C: run again with the window [C - W, C + W]. */
static int rerun_traced(struct sim *s, uint64_t c)
{
	uint64_t w = s->opts.trace_window, start = c > w ? c - w : 0;
	char a_start[48], a_end[48];
	char **argv = calloc((size_t)s->argc + 3, sizeof(*argv));
	int i, n = 0;

	if (!argv) {
		say_error("out of memory");
		return 1;
	}
	snprintf(a_start, sizeof(a_start), "--trace-start=%llu", (unsigned long long)start);
	snprintf(a_end, sizeof(a_end), "--trace-end=%llu", (unsigned long long)(c + w + 1));
	argv[n++] = s->argv[0];
	argv[n++] = a_start;
	argv[n++] = a_end;
	for (i = 1; i < s->argc; i++) {
		const char *a = s->argv[i];

		if (strcmp(a, "--trace-on") == 0 || strcmp(a, "--trace-window") == 0) {
			i++;   /* and its value */
			continue;
		}
		if (strncmp(a, "--trace-on=", 11) == 0 || strncmp(a, "--trace-window=", 15) == 0)
			continue;
		argv[n++] = s->argv[i];
	}
	argv[n] = NULL;
	say_info(s, "trace-on: %s in cycle %llu; running again to write cycles %llu..%llu to %s",
		 s->opts.trace_on, (unsigned long long)c, (unsigned long long)start,
		 (unsigned long long)(c + w), s->opts.trace);
	fflush(stdout);
	fflush(stderr);
	sim_free(s);
	execv("/proc/self/exe", argv);
	say_error("--trace-on: cannot run again: %s", strerror(errno));
	free(argv);
	return 1;
}

/* Rule 8: pass 1 is the run after all: show its console, keep its image. */
static void trace_on_keep(struct sim *s)
{
	char buf[4096];
	size_t n;
	int rc;

	rewind(s->console);
	while ((n = fread(buf, 1, sizeof(buf), s->console)) > 0)
		fwrite(buf, 1, n, stdout);
	if (s->disk_orig) {
		virtio_blk_close(&s->blk);
		s->bus.blk = NULL;
		rc = copy_image_path(s->disk_copy, s->disk_orig);
		if (rc)
			say_error("--trace-on: cannot copy the image back to %s: %s", s->disk_orig,
				  strerror(-rc));
	}
	say_info(s, "trace-on: no %s in this run: no waveform written", s->opts.trace_on);
}

int sim_close(struct sim *s)
{
	double wall = now_seconds(&s->t0);
	const char *result;
	int status;

	assert(sim_check(s) == 0);
	if (s->img.has_iolog && !s->event_hit) {
		iolog_read(s);
		if (s->ck && !s->ck->err &&
		    iocheck_finish(s->ck, s->halt.kind == MMIO_HALT_PASS, s->cycle) < 0)
			iocheck_halt(s);
	}
	if (s->opts.trace_on && !s->event_hit && s->opts.trace_on_kind == OPTS_EV_FAIL &&
	    s->halt.kind != MMIO_HALT_PASS) {
		s->event_hit = true;
		s->event_cycle = s->cycle;
	}
	if (s->event_hit)
		return rerun_traced(s, s->event_cycle);
	if (s->opts.trace_on)
		trace_on_keep(s);
	fflush(stdout);
	status = machine_outcome(&s->halt, &result);
	if (s->halt.why[0])
		say_error("%s", s->halt.why);
	if (s->halt.kind == MMIO_HALT_FAIL && s->halt.code > 255)
		say_error("guest exit code %u does not fit an exit status: exiting with %d",
			  s->halt.code, status);
	if (s->timed_out || s->halt.kind == MMIO_RUNNING) {
		if (s->retired_any)
			say_info(s, "no exit after %llu cycles (--max-cycles); last retired pc 0x%08x, order %llu",
				 (unsigned long long)s->cycle, s->last_pc,
				 (unsigned long long)s->last_order);
		else
			say_info(s, "no exit after %llu cycles (--max-cycles); no instruction retired",
				 (unsigned long long)s->cycle);
	}
	say_info(s, "%llu cycles in %.3f s (%.2f M cycles/s)", (unsigned long long)s->cycle, wall,
		 wall > 0 ? (double)s->cycle / wall / 1e6 : 0.0);
	if (s->img.has_iolog && !s->ck)
		machine_warn_iolog(&s->iolog, stderr, PROG);
	if (s->ck)
		say_info(s, "iocheck: %llu event records checked (%llu delivered), %zu host completions, "
			 "%llu guest SEI traps%s", (unsigned long long)s->ck->records,
			 (unsigned long long)s->ck->delivered, s->ck->nhost,
			 (unsigned long long)s->ck->sei_traps,
			 s->ck->err ? " before the violation" : ", all within the rules");
	if (s->ls)
		say_info(s, "lockstep: %llu retirements and %llu GWB records checked%s",
			 (unsigned long long)s->ls->checked, (unsigned long long)s->ls->gwb_records,
			 s->ls->failed ? " before the mismatch" : ", all matched");
	say_info(s, "IPC %.3f; I-TLB misses %llu, D-TLB misses %llu, walker busy %llu cycles",
		 s->cycle ? (double)s->instret / (double)s->cycle : 0.0,
		 (unsigned long long)s->perf[0], (unsigned long long)s->perf[1],
		 (unsigned long long)s->perf[2]);
	if (s->stats.f)
		write_stats(s, result, status, wall);

	machine_print_final(stderr, &s->halt, s->elf_name, s->cycle, s->instret, s->opts.seed);
	sim_free(s);
	return status;
}
