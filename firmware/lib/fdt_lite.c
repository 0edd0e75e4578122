/* fdt_lite.c: read one property of a depth-1 node, build the guest's small device tree, parse bootargs. */
#include "fdt_lite.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u
#define FDT_HDR_SIZE 40u
#define FDT_RSV_SIZE 16u

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static uint32_t str_len(const char *s)
{
	uint32_t n = 0;

	while (s[n])
		n++;
	return n;
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* node name "memory@80000000" matches "memory" */
static int name_matches(const char *name, const char *want)
{
	while (*want && *name == *want) {
		name++;
		want++;
	}
	return *want == 0 && (*name == 0 || *name == '@');
}

const void *fdt_lite_prop(const void *fdt, const char *node, const char *prop, uint32_t *len)
{
	const uint8_t *base = fdt, *p, *end;
	const char *strings;
	int depth = 0, in_node = 0;

	if (!fdt || be32(base) != FDT_MAGIC)
		return 0;
	end = base + be32(base + 4);
	p = base + be32(base + 8);
	strings = (const char *)base + be32(base + 12);
	while (p + 4 <= end) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;

			depth++;
			if (depth == 2)
				in_node = name_matches(name, node);
			p += (str_len(name) + 4) & ~3u;
		} else if (tok == FDT_END_NODE) {
			if (depth == 2)
				in_node = 0;
			depth--;
		} else if (tok == FDT_PROP) {
			uint32_t n = be32(p);

			if (in_node && depth == 2 && str_eq(strings + be32(p + 4), prop)) {
				*len = n;
				return p + 8;
			}
			p += 8 + ((n + 3) & ~3u);
		} else if (tok != FDT_NOP) {
			break;
		}
	}
	return 0;
}

const char *fdt_lite_bootargs(const void *fdt)
{
	uint32_t len;
	const char *v = fdt_lite_prop(fdt, "chosen", "bootargs", &len);

	if (!v)
		return 0;
	return len ? v : "";
}

int fdt_lite_memory(const void *fdt, uint32_t *base, uint32_t *size)
{
	uint32_t len;
	const uint8_t *v = fdt_lite_prop(fdt, "memory", "reg", &len);

	if (!v)
		return -1;
	if (len == 16 && be32(v) == 0 && be32(v + 8) == 0) {
		/* two address and two size cells, as QEMU and umbra write it */
		*base = be32(v + 4);
		*size = be32(v + 12);
		return 0;
	}
	if (len != 8)
		return -1;
	*base = be32(v);
	*size = be32(v + 4);
	return 0;
}

/* ---- builder ---- */

struct fdt_buf {
	uint8_t *p;
	uint32_t cap, off, ok;
};

static void put32(struct fdt_buf *b, uint32_t v)
{
	if (b->off + 4 > b->cap) {
		b->ok = 0;
		return;
	}
	b->p[b->off++] = (uint8_t)(v >> 24);
	b->p[b->off++] = (uint8_t)(v >> 16);
	b->p[b->off++] = (uint8_t)(v >> 8);
	b->p[b->off++] = (uint8_t)v;
}

static void put_bytes(struct fdt_buf *b, const void *src, uint32_t n)
{
	const uint8_t *s = src;

	if (b->off + ((n + 3) & ~3u) > b->cap) {
		b->ok = 0;
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		b->p[b->off++] = s[i];
	while (b->off & 3u)
		b->p[b->off++] = 0;
}

/* Property names, in the order of this strings block. */
static const char fdt_strings[] = "#address-cells\0#size-cells\0compatible\0bootargs\0device_type\0reg";
enum { S_ADDR = 0, S_SIZE = 15, S_COMPAT = 27, S_BOOTARGS = 38, S_DEVTYPE = 47, S_REG = 59 };
_Static_assert(sizeof(fdt_strings) == 63, "fdt_strings offsets");

static void prop(struct fdt_buf *b, uint32_t name, const void *val, uint32_t len)
{
	put32(b, FDT_PROP);
	put32(b, len);
	put32(b, name);
	put_bytes(b, val, len);
}

static void prop_u32(struct fdt_buf *b, uint32_t name, uint32_t v)
{
	uint8_t be[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	prop(b, name, be, 4);
}

static void begin_node(struct fdt_buf *b, const char *name)
{
	put32(b, FDT_BEGIN_NODE);
	put_bytes(b, name, str_len(name) + 1);
}

static void hex_name(char *dst, const char *prefix, uint32_t v)
{
	while (*prefix)
		*dst++ = *prefix++;
	for (int i = 28; i >= 0; i -= 4)
		*dst++ = "0123456789abcdef"[(v >> i) & 0xfu];
	*dst = 0;
}

uint32_t fdt_lite_build(void *buf, uint32_t cap, const char *bootargs, uint32_t mem_base, uint32_t mem_size)
{
	struct fdt_buf b = { buf, cap, 0, 1 };
	uint8_t reg[8] = { (uint8_t)(mem_base >> 24), (uint8_t)(mem_base >> 16), (uint8_t)(mem_base >> 8),
			   (uint8_t)mem_base, (uint8_t)(mem_size >> 24), (uint8_t)(mem_size >> 16),
			   (uint8_t)(mem_size >> 8), (uint8_t)mem_size };
	char memname[24];
	uint32_t struct_off = FDT_HDR_SIZE + FDT_RSV_SIZE, struct_size, strings_off, total;

	if (cap < struct_off)
		return 0;
	b.off = struct_off;
	begin_node(&b, "");
	prop_u32(&b, S_ADDR, 1);
	prop_u32(&b, S_SIZE, 1);
	prop(&b, S_COMPAT, "umbra,guest", 12);
	begin_node(&b, "chosen");
	prop(&b, S_BOOTARGS, bootargs, str_len(bootargs) + 1);
	put32(&b, FDT_END_NODE);
	hex_name(memname, "memory@", mem_base);
	begin_node(&b, memname);
	prop(&b, S_DEVTYPE, "memory", 7);
	prop(&b, S_REG, reg, 8);
	put32(&b, FDT_END_NODE);
	put32(&b, FDT_END_NODE);
	put32(&b, FDT_END);
	struct_size = b.off - struct_off;
	strings_off = b.off;
	put_bytes(&b, fdt_strings, sizeof(fdt_strings));
	total = b.off;
	if (!b.ok)
		return 0;
	b.off = 0;
	put32(&b, FDT_MAGIC);
	put32(&b, total);
	put32(&b, struct_off);
	put32(&b, strings_off);
	put32(&b, FDT_HDR_SIZE); /* memory reservation map */
	put32(&b, 17);           /* version */
	put32(&b, 16);           /* last compatible version */
	put32(&b, 0);            /* boot cpu */
	put32(&b, sizeof(fdt_strings));
	put32(&b, struct_size);
	for (uint32_t i = 0; i < FDT_RSV_SIZE; i++)
		b.p[FDT_HDR_SIZE + i] = 0;
	return total;
}

/* ---- bootargs ---- */

int bootarg_get(const char *args, const char *key, char *val, uint32_t cap)
{
	uint32_t klen = str_len(key);

	if (!args)
		return -1;
	while (*args) {
		const char *k = args, *v;
		uint32_t i;

		while (*args && *args != ' ')
			args++;
		for (i = 0; i < klen && k + i < args && k[i] == key[i]; i++)
			;
		if (i == klen && k + klen < args && k[klen] == '=') {
			v = k + klen + 1;
			for (i = 0; v + i < args; i++) {
				if (i + 1 >= cap)
					return -2;
				val[i] = v[i];
			}
			val[i] = 0;
			return 0;
		}
		while (*args == ' ')
			args++;
	}
	return -1;
}

int bootarg_get_u32(const char *args, const char *key, uint32_t *val)
{
	char buf[16];
	uint32_t v = 0;

	if (bootarg_get(args, key, buf, sizeof(buf)))
		return -1; /* absent, or too long: as before, not a number it can read */
	if (!buf[0])
		return -2;
	for (const char *p = buf; *p; p++) {
		if (*p < '0' || *p > '9' || v > 429496728u)
			return -2;
		v = v * 10u + (uint32_t)(*p - '0');
	}
	*val = v;
	return 0;
}
