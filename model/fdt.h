/* fdt.h: builds the umbra-virt flattened device tree handed to the guest in a1. */
#ifndef UMBRA_FDT_H
#define UMBRA_FDT_H

#include <stddef.h>
#include <stdint.h>

#define FDT_CORE_HZ      100000000u   /* nominal core clock */
#define FDT_ALIGN        (2u * 1024u * 1024u)
#define FDT_PLIC_NDEV    31u          /* sources 1..31 on irq_src_i[31:1] */
#define FDT_ISA          "rv32im_zicsr_zifencei"

struct fdt_config {
	uint32_t ram_base;
	uint32_t ram_size;
	uint32_t mtime_div;     /* timebase-frequency = FDT_CORE_HZ / mtime_div */
	const char *bootargs;
};

/* Build the blob into a malloc'd buffer (*blob, *size). 0 or a negative errno. */
int fdt_build_blob(const struct fdt_config *cfg, void **blob, size_t *size);

/*
 * Where QEMU 7.2's virt machine puts a blob of this size: the end of RAM,
 * capped at 3 GiB, minus the size, aligned down to 2 MiB. 0, or -ENOSPC
 * when that is below ram_base.
 */
int fdt_place_blob(uint32_t ram_base, uint32_t ram_size, size_t size, uint32_t *addr);

#endif /* UMBRA_FDT_H */
