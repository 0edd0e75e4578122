/* elf.h: loads an RV32 ELF executable into RAM and finds its HTIF symbols. */
#ifndef UMBRA_ELF_H
#define UMBRA_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"

#define ELF_MAX_LOAD      64u           /* PT_LOAD segments umbra accepts */
#define ELF_MAX_FILE_SIZE (1u << 30)    /* bigger files cannot fit RAM anyway */

struct elf_range {
	uint32_t start;
	uint32_t end;    /* exclusive; start < end, both inside RAM */
};

struct elf_image {
	uint32_t entry;
	bool has_tohost;
	bool has_fromhost;
	bool has_stats;      /* the boot image's umbra_stats block (model/guest_stats.h) */
	uint32_t stats;
	bool has_iolog;      /* the hypervisor's umbra_iolog event ring (model/iolog.h) */
	uint32_t iolog;
	uint32_t tohost;     /* physical addresses */
	uint32_t fromhost;
	unsigned nload;      /* loaded segments with memsz > 0 */
	struct elf_range load[ELF_MAX_LOAD];
};

/*
 * Check and load the ELF file at path into ram. Returns 0, or a negative
 * errno with one line in err ("cannot open X: ..." or "X: <reason>"), in
 * which case ram is unchanged.
 */
int elf_load_file(const char *path, struct mem *ram, struct elf_image *img, char *err,
		  size_t errlen);

/* The same for an image already in memory; name is used in messages. */
int elf_load_buffer(const char *name, const uint8_t *buf, size_t size, struct mem *ram,
		    struct elf_image *img, char *err, size_t errlen);

/* Sanity check of a loaded image against the RAM it was loaded into: 0 or -EINVAL. */
int elf_check_image(const struct elf_image *img, const struct mem *ram);

/* True when [start, end) overlaps a loaded segment. */
bool elf_overlaps_range(const struct elf_image *img, uint64_t start, uint64_t end);

#endif /* UMBRA_ELF_H */
