/* icarus_fdt.c: writes build/umbra's device tree (model/fdt.c) as a $readmemh image for tb_icarus. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdt.h"
#include "mem.h"

/*
 * usage: icarus_fdt RAM_MB MTIME_DIV OUT.hex [BOOTARGS]
 * Builds the blob exactly as build/umbra does for --ram-mb RAM_MB
 * --mtime-div MTIME_DIV --bootargs BOOTARGS, places it where QEMU (and
 * build/umbra) put it, writes it to OUT.hex as 32-bit little-endian words
 * ("@<word index>" relative to 0x80000000, then one word per line) and prints
 * its address in hex on stdout, for +fdt=.
 */

static int parse_u32(const char *s, unsigned long max, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *s == '\0' || *end != '\0' || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int write_hex(const char *path, uint32_t addr, const unsigned char *blob, size_t size)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f)
		return -errno;
	fprintf(f, "@%x\n", (unsigned)((addr - MEM_RAM_BASE) / 4u));
	for (i = 0; i < size; i += 4) {
		uint32_t w = 0;
		size_t k;

		for (k = 0; k < 4 && i + k < size; k++)
			w |= (uint32_t)blob[i + k] << (8u * k);
		fprintf(f, "%08x\n", (unsigned)w);
	}
	if (fclose(f))
		return -errno;
	return 0;
}

int main(int argc, char **argv)
{
	struct fdt_config fc = { .ram_base = MEM_RAM_BASE };
	uint32_t ram_mb, addr;
	size_t size;
	void *blob;
	int rc;

	if (argc < 4 || argc > 5 || parse_u32(argv[1], 2048, &ram_mb) || ram_mb == 0 ||
	    parse_u32(argv[2], 65535, &fc.mtime_div) || fc.mtime_div == 0) {
		fprintf(stderr, "usage: %s RAM_MB MTIME_DIV OUT.hex [BOOTARGS]\n", argv[0]);
		return 2;
	}
	fc.ram_size = ram_mb * MEM_MIB;
	fc.bootargs = argc == 5 ? argv[4] : "";
	rc = fdt_build_blob(&fc, &blob, &size);
	if (rc == 0) {
		rc = fdt_place_blob(fc.ram_base, fc.ram_size, size, &addr);
		if (rc == 0)
			rc = write_hex(argv[3], addr, blob, size);
		free(blob);
	}
	if (rc) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[3], strerror(-rc));
		return 1;
	}
	printf("%08x\n", (unsigned)addr);
	return 0;
}
