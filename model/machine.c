/* machine.c: loading the program and FDT and attaching the disk, for both simulators. */
#include "machine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdt.h"

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

int machine_attach_disk(const struct opts *o, struct mem *ram, struct mmio *bus,
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
