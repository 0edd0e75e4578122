/* fdt_chosen.c: walks the FDT structure block to find /chosen properties. */
#include "fdt_chosen.h"

#include "test.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static uint32_t str_len(const char *s)
{
	uint32_t n = 0;
	while (s[n])
		n++;
	return n;
}

const char *fdt_chosen_string(const void *fdt, const char *name)
{
	const uint8_t *base = fdt;
	if (!fdt || be32(base) != FDT_MAGIC)
		return 0;
	uint32_t total = be32(base + 4);
	const uint8_t *p = base + be32(base + 8);
	const char *strings = (const char *)base + be32(base + 12);
	const uint8_t *end = base + total;
	int depth = 0, in_chosen = 0;

	while (p + 4 <= end) {
		uint32_t tok = be32(p);
		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *node = (const char *)p;
			depth++;
			if (depth == 2)
				in_chosen = str_eq(node, "chosen");
			p += (str_len(node) + 4) & ~3u;
		} else if (tok == FDT_END_NODE) {
			if (depth == 2)
				in_chosen = 0;
			depth--;
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(p);
			const char *pname = strings + be32(p + 4);
			const char *val = (const char *)p + 8;
			if (in_chosen && depth == 2 && str_eq(pname, name))
				return len ? val : "";
			p += 8 + ((len + 3) & ~3u);
		} else if (tok == FDT_NOP) {
			continue;
		} else {
			break;
		}
	}
	return 0;
}
