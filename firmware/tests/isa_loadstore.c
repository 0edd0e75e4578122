/* isa_loadstore.c: lb/lh/lw/lbu/lhu and sb/sh/sw at every aligned byte offset, sign extension, offsets. */
#include "test.h"

static uint32_t case_no;

#define T(got, want)                                                                           \
	do {                                                                                   \
		uint32_t c_ = ++case_no;                                                       \
		CHECK_SIG(c_, got, want);                                                      \
	} while (0)

#define LOAD(op, base, off)                                                                    \
	({                                                                                     \
		uint32_t r_;                                                                   \
		__asm__ volatile(op " %0, %2(%1)" : "=r"(r_) : "r"(base), "i"(off) : "memory"); \
		r_;                                                                            \
	})
#define STORE(op, val, base, off)                                                              \
	__asm__ volatile(op " %0, %2(%1)" : : "r"((uint32_t)(val)), "r"(base), "i"(off) : "memory")

/* little-endian words: bytes 80 7f ff 01 | 00 81 fe 7e */
static uint32_t data[2] __attribute__((aligned(8))) = {0x01ff7f80u, 0x7efe8100u};
static uint32_t scratch[4] __attribute__((aligned(16)));
static uint8_t big[4096] __attribute__((aligned(4096)));

static void test_loads(void)
{
	uint8_t *p = (uint8_t *)data;

	T(LOAD("lb", p, 0), 0xffffff80u);
	T(LOAD("lb", p, 1), 0x0000007fu);
	T(LOAD("lb", p, 2), 0xffffffffu);
	T(LOAD("lb", p, 3), 0x00000001u);
	T(LOAD("lbu", p, 0), 0x80u);
	T(LOAD("lbu", p, 1), 0x7fu);
	T(LOAD("lbu", p, 2), 0xffu);
	T(LOAD("lbu", p, 3), 0x01u);
	T(LOAD("lh", p, 0), 0x00007f80u);
	T(LOAD("lh", p, 2), 0x000001ffu);
	T(LOAD("lh", p, 4), 0xffff8100u);
	T(LOAD("lh", p, 6), 0x00007efeu);
	T(LOAD("lhu", p, 0), 0x7f80u);
	T(LOAD("lhu", p, 4), 0x8100u);
	T(LOAD("lhu", p, 6), 0x7efeu);
	T(LOAD("lw", p, 0), 0x01ff7f80u);
	T(LOAD("lw", p, 4), 0x7efe8100u);
	/* negative offsets from the end of the data */
	T(LOAD("lw", p + 8, -8), 0x01ff7f80u);
	T(LOAD("lb", p + 8, -3), 0xffffff81u);
	T(LOAD("lhu", p + 8, -2), 0x7efeu);
	T(LOAD("lbu", p + 8, -1), 0x7eu);
}

static void test_big_offsets(void)
{
	big[0] = 0x11;
	big[2047] = 0x9c;
	big[4092] = 0x44;
	big[4093] = 0x33;
	big[4094] = 0x22;
	big[4095] = 0xa1;
	T(LOAD("lbu", big, 2047), 0x9cu);
	T(LOAD("lb", big, 2047), 0xffffff9cu);
	T(LOAD("lbu", big + 2048, -2048), 0x11u);
	T(LOAD("lw", big + 2048, 2044), 0xa1223344u);
	STORE("sb", 0x5a, big + 4095, -2048);
	T(big[2047], 0x5au);
}

static uint32_t reset_scratch(void)
{
	scratch[0] = 0xa5a5a5a5u;
	scratch[1] = 0xa5a5a5a5u;
	return 0;
}

static void test_stores(void)
{
	uint8_t *p = (uint8_t *)scratch;

	/* each store changes only its own bytes */
	for (int off = 0; off < 4; off++) {
		reset_scratch();
		switch (off) {
		case 0: STORE("sb", 0x123456c3u, p, 0); break;
		case 1: STORE("sb", 0x123456c3u, p, 1); break;
		case 2: STORE("sb", 0x123456c3u, p, 2); break;
		default: STORE("sb", 0x123456c3u, p, 3); break;
		}
		T(scratch[0], (0xa5a5a5a5u & ~(0xffu << (8 * off))) | (0xc3u << (8 * off)));
		T(scratch[1], 0xa5a5a5a5u);
	}
	reset_scratch();
	STORE("sh", 0xdead8001u, p, 0);
	T(scratch[0], 0xa5a58001u);
	reset_scratch();
	STORE("sh", 0xdead8001u, p, 2);
	T(scratch[0], 0x8001a5a5u);
	T(scratch[1], 0xa5a5a5a5u);
	reset_scratch();
	STORE("sw", 0x89abcdefu, p, 4);
	T(scratch[0], 0xa5a5a5a5u);
	T(scratch[1], 0x89abcdefu);
	reset_scratch();
	STORE("sw", 0x01020304u, p + 8, -8);
	T(scratch[0], 0x01020304u);
	/* read back through narrower loads */
	T(LOAD("lbu", p, 1), 0x03u);
	T(LOAD("lh", p, 2), 0x0102u);
	/* store then load the same address back to back, and x0 as store data */
	__asm__ volatile("sw zero, 8(%0)" : : "r"(p) : "memory");
	T(scratch[2], 0u);
	T(({
		  uint32_t r_;
		  __asm__ volatile("li t0, 0x7788\n\tsh t0, 12(%1)\n\tlh %0, 12(%1)"
				   : "=r"(r_)
				   : "r"(p)
				   : "t0", "memory");
		  r_;
	  }),
	  0x7788u);
}

int main(void)
{
	test_loads();
	test_big_offsets();
	test_stores();
	return 0;
}
