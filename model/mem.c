/* mem.c: the RAM model: allocation, bulk copies and its sanity check. */
#include "mem.h"

#include <stdlib.h>

int mem_init_ram(struct mem *m, uint32_t base, uint32_t size)
{
	m->data = NULL;
	m->base = base;
	m->size = 0;
	if (size == 0 || (base & 3u) || (size & 3u) || (uint64_t)base + size > 0x100000000ull)
		return -EINVAL;
	/* calloc of a large block maps zero pages lazily: untouched RAM costs nothing. */
	m->data = calloc(size, 1);
	if (!m->data)
		return -ENOMEM;
	m->size = size;
	return 0;
}

void mem_free_ram(struct mem *m)
{
	free(m->data);
	m->data = NULL;
	m->size = 0;
}

int mem_check(const struct mem *m)
{
	if (!m->data || m->size == 0)
		return -EINVAL;
	if ((m->base & 3u) || (m->size & 3u))
		return -EINVAL;
	if ((uint64_t)m->base + m->size > 0x100000000ull)
		return -EINVAL;
	return 0;
}

int mem_write_bytes(struct mem *m, uint32_t addr, const void *src, size_t len)
{
	if (!mem_contains(m, addr, len))
		return -EFAULT;
	if (len)
		memcpy(m->data + (addr - m->base), src, len);
	m->bulk_writes++;
	return 0;
}

int mem_read_bytes(const struct mem *m, uint32_t addr, void *dst, size_t len)
{
	if (!mem_contains(m, addr, len))
		return -EFAULT;
	if (len)
		memcpy(dst, m->data + (addr - m->base), len);
	return 0;
}

int mem_fill_bytes(struct mem *m, uint32_t addr, uint8_t val, size_t len)
{
	if (!mem_contains(m, addr, len))
		return -EFAULT;
	if (len)
		memset(m->data + (addr - m->base), val, len);
	return 0;
}
