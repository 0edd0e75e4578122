/* machine.h: the umbra-virt machine setup shared by build/umbra and build/umbra-iss. */
#ifndef UMBRA_MACHINE_H
#define UMBRA_MACHINE_H

#include <stddef.h>
#include <stdint.h>

#include "elf.h"
#include "mem.h"
#include "mmio.h"
#include "opts.h"
#include "virtio_blk.h"

/*
 * Loads o->elf into ram, builds the FDT from the options and writes it where
 * QEMU's virt machine puts it (end of RAM, 2 MiB aligned). Returns 0, or a
 * negative error code with one line of explanation in err.
 */
int machine_load_program(const struct opts *o, struct mem *ram, struct elf_image *img,
			 uint32_t *fdt_addr, size_t *fdt_size, char *err, size_t errlen);

/* Opens the disk image of the options and attaches it to slot 7 of bus. */
int machine_attach_disk(const struct opts *o, struct mem *ram, struct mmio *bus,
			struct virtio_blk *blk, char *err, size_t errlen);

#endif
