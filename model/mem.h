/* mem.h: the RAM model: a flat byte array at 0x8000_0000 with inline word access. */
#ifndef UMBRA_MEM_H
#define UMBRA_MEM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "umbra's memory model stores guest words in host order: it needs a little-endian host"
#endif

#define MEM_RAM_BASE 0x80000000u
#define MEM_MIB      (1024u * 1024u)

/*
 * Rules:
 *  1. base and size are multiples of 4, size > 0, base + size <= 2^32.
 *  2. data holds size bytes in guest (little-endian) byte order.
 *  3. An address is in RAM iff addr - base < size (unsigned arithmetic).
 */
struct mem {
	uint8_t *data;
	uint32_t base;
	uint32_t size;
	uint64_t bulk_writes;   /* mem_write_bytes calls: loaders and device DMA (not the CPU's ports) */
};

int mem_init_ram(struct mem *m, uint32_t base, uint32_t size);
void mem_free_ram(struct mem *m);
int mem_check(const struct mem *m);

/* Copy len bytes in or out of RAM; -EFAULT unless all of [addr, addr+len) is RAM. */
int mem_write_bytes(struct mem *m, uint32_t addr, const void *src, size_t len);
int mem_read_bytes(const struct mem *m, uint32_t addr, void *dst, size_t len);
int mem_fill_bytes(struct mem *m, uint32_t addr, uint8_t val, size_t len);

static inline bool mem_contains(const struct mem *m, uint32_t addr, uint64_t len)
{
	uint32_t off = addr - m->base;

	return addr >= m->base && off < m->size && len <= (uint64_t)m->size - off;
}

/* Byte-enable bits 0..3 expanded to a mask of the byte lanes they select. */
static inline uint32_t mem_be_mask(uint32_t be)
{
	static const uint32_t lanes[16] = {
		0x00000000u, 0x000000ffu, 0x0000ff00u, 0x0000ffffu,
		0x00ff0000u, 0x00ff00ffu, 0x00ffff00u, 0x00ffffffu,
		0xff000000u, 0xff0000ffu, 0xff00ff00u, 0xff00ffffu,
		0xffff0000u, 0xffff00ffu, 0xffffff00u, 0xffffffffu,
	};

	return lanes[be & 0xfu];
}

/* Read the aligned word at addr (bits [1:0] ignored); -EFAULT outside RAM. */
static inline int mem_read_word(const struct mem *m, uint32_t addr, uint32_t *val)
{
	uint32_t off = (addr & ~3u) - m->base;

	if (off >= m->size)
		return -EFAULT;
	memcpy(val, m->data + off, 4);
	return 0;
}

/* Write the byte lanes of val selected by be to the aligned word at addr; -EFAULT outside RAM. */
static inline int mem_write_word(struct mem *m, uint32_t addr, uint32_t be, uint32_t val)
{
	uint32_t off = (addr & ~3u) - m->base;
	uint32_t mask = mem_be_mask(be);
	uint32_t old;

	if (off >= m->size)
		return -EFAULT;
	memcpy(&old, m->data + off, 4);
	old = (old & ~mask) | (val & mask);
	memcpy(m->data + off, &old, 4);
	return 0;
}

#endif /* UMBRA_MEM_H */
