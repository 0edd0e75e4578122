/* machine.h: the umbra-virt machine setup shared by build/umbra and build/umbra-iss. */
#ifndef UMBRA_MACHINE_H
#define UMBRA_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "elf.h"
#include "iolog.h"
#include "mem.h"
#include "mmio.h"
#include "opts.h"
#include "stats.h"
#include "virtio_blk.h"

/*
 * Loads o->elf into ram, builds the FDT from the options and writes it where
 * QEMU's virt machine puts it (end of RAM, 2 MiB aligned). Returns 0, or a
 * negative error code with one line of explanation in err.
 */
int machine_load_program(const struct opts *o, struct mem *ram, struct elf_image *img,
			 uint32_t *fdt_addr, size_t *fdt_size, char *err, size_t errlen);

/* Exit status of a run that timed out (as timeout(1)). */
#define MACHINE_EXIT_TIMEOUT 124

/*
 * Sets up the devices for the loaded program: the MMIO bus (boot ROM jumping
 * to img->entry with a1 = fdt_addr), HTIF if the ELF has tohost, and the disk
 * of the options in slot 7; the UART and HTIF write to console. Returns 0, or a negative error code with one line
 * of explanation in err.
 */
int machine_attach_devices(const struct opts *o, struct mem *ram, const struct elf_image *img,
			   uint32_t fdt_addr, FILE *console, struct mmio *bus, struct htif *htif,
			   struct mmio_halt *halt, struct virtio_blk *blk, char *err, size_t errlen);

/*
 * The outcome of a finished run: returns the exit status (0 pass, the guest's
 * code for a failure, never 0 for one; MACHINE_EXIT_TIMEOUT) and sets *result
 * to "pass", "fail" or "timeout" for the stats.
 */
int machine_outcome(const struct mmio_halt *halt, const char **result);

/* The one final line of every run (SPEC §6): PASS, FAIL or TIMEOUT. */
void machine_print_final(FILE *f, const struct mmio_halt *halt, const char *elf_name,
			 uint64_t cycles, uint64_t instret, uint64_t seed);

/*
 * The disk.* keys of the stats JSON (the host virtio-blk device), when a disk is attached;
 * with mirror_io (no hypervisor's event log in the ELF) io.requests, io.completions and the
 * io.latency_* keys repeat the disk's figures (docs/io.md §5).
 */
void machine_put_disk_stats(struct stats_writer *st, const struct mmio *bus,
			    struct virtio_blk *blk, bool mirror_io);

/*
 * The keys computed from the hypervisor's event log (io.latency_*, io.log_records,
 * io.log.<reason>); none for a log that could not be read.
 */
void machine_put_iolog_stats(struct stats_writer *st, struct iolog *l);

/* A log that could not be read (and no checker to fail the run): one "<prog>: warning: ..." line. */
void machine_warn_iolog(const struct iolog *l, FILE *warn, const char *prog);

/*
 * The guest's own keys (hv.*, work.*) from the ELF's umbra_stats block, if it has one; a
 * malformed block gets one "<prog>: warning: ..." line on warn and adds nothing.
 */
void machine_put_guest_stats(struct stats_writer *st, const struct mem *ram,
			     const struct elf_image *img, FILE *warn, const char *prog);

#endif
