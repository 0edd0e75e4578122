/* machine.c: loading the program and FDT and attaching the disk, for both simulators. */
#include "machine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdt.h"
#include "guest_stats.h"

int machine_load_program(const struct opts *o, struct mem *ram, struct elf_image *img,
			 uint32_t *fdt_addr, size_t *fdt_size, char *err, size_t errlen)
{
	struct fdt_config fc = {
		.ram_base = MEM_RAM_BASE,
		.ram_size = ram->size,
		.mtime_div = o->mtime_div,
		.bootargs = o->bootargs,
	};
	void *blob;
	int rc;

	rc = elf_load_file(o->elf, ram, img, err, errlen);
	if (rc)
		return rc;
	rc = fdt_build_blob(&fc, &blob, fdt_size);
	if (rc) {
		snprintf(err, errlen, "cannot build the device tree: %s", strerror(-rc));
		return rc;
	}
	rc = fdt_place_blob(MEM_RAM_BASE, ram->size, *fdt_size, fdt_addr);
	if (rc == 0 && elf_overlaps_range(img, *fdt_addr, (uint64_t)*fdt_addr + *fdt_size))
		rc = -EBUSY;
	if (rc == 0)
		rc = mem_write_bytes(ram, *fdt_addr, blob, *fdt_size);
	free(blob);
	if (rc == -EBUSY)
		snprintf(err, errlen,
			 "%s: the device tree's place 0x%08x-0x%08x (where QEMU puts it) overlaps a "
			 "loaded segment; give more RAM with --ram-mb", o->elf, *fdt_addr,
			 *fdt_addr + (uint32_t)*fdt_size - 1);
	else if (rc)
		snprintf(err, errlen, "no room for the %zu-byte device tree in %u MiB of RAM",
			 *fdt_size, o->ram_mb);
	return rc;
}

static int attach_disk(const struct opts *o, struct mem *ram, struct mmio *bus,
		       struct virtio_blk *blk, char *err, size_t errlen)
{
	const struct virtio_blk_timing t = {
		.latency = o->disk_latency,
		.bandwidth_mbs = o->disk_bandwidth,
		.seek = o->disk_seek,
		.jitter = o->disk_jitter,
		.qdepth = o->disk_qdepth,
	};
	int rc;

	rc = virtio_blk_open(blk, ram, o->disk, o->disk_readonly, o->disk_size_mb, &t, o->seed,
			     err, errlen);
	if (rc)
		return rc;
	mmio_attach_blk(bus, blk);
	return 0;
}

int machine_attach_devices(const struct opts *o, struct mem *ram, const struct elf_image *img,
			   uint32_t fdt_addr, FILE *console, struct mmio *bus, struct htif *htif,
			   struct mmio_halt *halt, struct virtio_blk *blk, char *err, size_t errlen)
{
	int rc;

	rc = mmio_init(bus, console, halt, img->entry, fdt_addr);
	if (rc) {
		snprintf(err, errlen, "cannot set up the devices: %s", strerror(-rc));
		return rc;
	}
	rc = htif_init(htif, ram, console, halt, img->has_tohost, img->tohost, img->has_fromhost,
		       img->fromhost);
	if (rc) {
		snprintf(err, errlen,
			 "%s: HTIF symbol tohost 0x%08x / fromhost 0x%08x must be word aligned "
			 "and in RAM", o->elf, img->tohost, img->fromhost);
		return rc;
	}
	return attach_disk(o, ram, bus, blk, err, errlen);
}

int machine_outcome(const struct mmio_halt *halt, const char **result)
{
	if (halt->kind == MMIO_HALT_PASS) {
		*result = "pass";
		return 0;
	}
	if (halt->kind == MMIO_HALT_FAIL) {
		*result = "fail";
		return halt->code >= 1 && halt->code <= 255 ? (int)halt->code : 1;
	}
	*result = "timeout";
	return MACHINE_EXIT_TIMEOUT;
}

void machine_print_final(FILE *f, const struct mmio_halt *halt, const char *elf_name,
			 uint64_t cycles, uint64_t instret, uint64_t seed)
{
	if (halt->kind == MMIO_HALT_PASS)
		fprintf(f, "PASS %s cycles=%llu instret=%llu seed=%llu\n", elf_name,
			(unsigned long long)cycles, (unsigned long long)instret,
			(unsigned long long)seed);
	else if (halt->kind == MMIO_HALT_FAIL)
		fprintf(f, "FAIL %s exit=%u%s%s cycles=%llu instret=%llu seed=%llu\n", elf_name,
			halt->code, halt->reason ? " reason=" : "", halt->reason ? halt->reason : "",
			(unsigned long long)cycles, (unsigned long long)instret,
			(unsigned long long)seed);
	else
		fprintf(f, "TIMEOUT %s cycles=%llu instret=%llu seed=%llu\n", elf_name,
			(unsigned long long)cycles, (unsigned long long)instret,
			(unsigned long long)seed);
	fflush(f);
}

static void put_key_u64(struct stats_writer *st, const char *pre, const char *name, uint64_t v)
{
	char key[64];

	snprintf(key, sizeof(key), "%s.%s", pre, name);
	stats_put_u64(st, key, v);
}

void machine_put_disk_stats(struct stats_writer *st, const struct mmio *bus,
			    struct virtio_blk *blk, bool mirror_io)
{
	const struct virtio_blk_stats *d = &blk->st;
	struct virtio_blk_latency lat;
	char key[64];
	int k, lo = VBLK_LAT_BUCKETS + 1, hi = -1;

	if (!bus->blk)
		return;
	virtio_blk_latency_summary(blk, &lat);
	for (k = mirror_io ? 0 : 1; k < 2; k++) {
		const char *pre = k ? "disk" : "io";   /* docs/io.md §5: io.* mirrors disk.* without a hypervisor */

		put_key_u64(st, pre, "requests", d->requests);
		put_key_u64(st, pre, "completions", d->completions);
		put_key_u64(st, pre, "latency_p50_cycles", virtio_blk_latency_pct(blk, 50));
		put_key_u64(st, pre, "latency_p99_cycles", virtio_blk_latency_pct(blk, 99));
		put_key_u64(st, pre, "latency_min_cycles", lat.min);
		snprintf(key, sizeof(key), "%s.latency_mean_cycles", pre);
		stats_put_double(st, key, lat.n ? (double)lat.sum / (double)lat.n : 0.0);
		put_key_u64(st, pre, "latency_max_cycles", lat.max);
	}
	/* Histogram: requests per power-of-two latency range, every range from the first to the last used. */
	for (k = 0; k <= VBLK_LAT_BUCKETS; k++)
		if (lat.bucket[k]) {
			lo = k < lo ? k : lo;
			hi = k;
		}
	for (k = lo; k <= hi; k++) {
		snprintf(key, sizeof(key), "disk.latency_hist.%llu_%llu",
			 k ? 1ull << (k - 1) : 0ull, k ? (1ull << (k - 1)) * 2 - 1 : 0ull);
		stats_put_u64(st, key, lat.bucket[k]);
	}
	stats_put_u64(st, "disk.bytes_read", d->bytes_read);
	stats_put_u64(st, "disk.bytes_written", d->bytes_written);
	stats_put_u64(st, "disk.flushes", d->flushes);
	stats_put_u64(st, "disk.ioerr", d->ioerr);
	stats_put_u64(st, "disk.unsupp", d->unsupp);
	stats_put_u64(st, "disk.needs_reset", d->resets);
	stats_put_u64(st, "disk.capacity_sectors", blk->capacity);
}

void machine_warn_iolog(const struct iolog *l, FILE *warn, const char *prog)
{
	if (l->err && l->why[0])
		fprintf(warn, "%s: warning: %s: the event log is refused, no io.latency_* keys\n", prog,
			l->why);
}

void machine_put_iolog_stats(struct stats_writer *st, struct iolog *l)
{
	char key[64];
	unsigned r;

	if (l->err)
		return;
	iolog_put_stats(l, st);
	for (r = 0; r < IOLOG_NREASONS; r++) {
		snprintf(key, sizeof(key), "io.log.%s", iolog_reason_name(r));
		stats_put_u64(st, key, l->by_reason[r]);
	}
}

void machine_put_guest_stats(struct stats_writer *st, const struct mem *ram,
			     const struct elf_image *img, FILE *warn, const char *prog)
{
	char err[200];

	if (!img->has_stats)
		return;
	if (guest_stats_put(st, ram, img->stats, err, sizeof(err)) < 0)
		fprintf(warn, "%s: warning: %s\n", prog, err);
}
