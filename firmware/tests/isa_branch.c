/* isa_branch.c: all conditional branches taken/not taken with signed/unsigned edges, jal and jalr. */
#include "test.h"

static uint32_t case_no;

#define T(got, want)                                                                           \
	do {                                                                                   \
		uint32_t c_ = ++case_no;                                                       \
		CHECK_SIG(c_, got, want);                                                      \
	} while (0)

/* 1 if the forward branch was taken */
#define BR(op, a, b)                                                                           \
	({                                                                                     \
		uint32_t t_;                                                                   \
		__asm__ volatile("li %0, 1\n\t" op " %1, %2, 1f\n\tli %0, 0\n1:"               \
				 : "=&r"(t_)                                                   \
				 : "r"((uint32_t)(a)), "r"((uint32_t)(b)));                    \
		t_;                                                                            \
	})

/* 1 if the backward branch was taken (a taken branch jumps back over the "li 1") */
#define BRB(op, a, b)                                                                          \
	({                                                                                     \
		uint32_t t_;                                                                   \
		__asm__ volatile("li %0, 0\n\tj 2f\n1:\tli %0, 1\n\tj 3f\n2:\t" op " %1, %2, 1b\n3:" \
				 : "=&r"(t_)                                                   \
				 : "r"((uint32_t)(a)), "r"((uint32_t)(b)));                    \
		t_;                                                                            \
	})

#define S32(x) ((int32_t)(uint32_t)(x))
#define E_EQ(a, b)  ((a) == (b))
#define E_NE(a, b)  ((a) != (b))
#define E_LT(a, b)  (S32(a) < S32(b))
#define E_GE(a, b)  (S32(a) >= S32(b))
#define E_LTU(a, b) ltu(a, b)
#define E_GEU(a, b) (!ltu(a, b))

static inline uint32_t ltu(uint32_t a, uint32_t b)
{
	return a < b;
}

#define TBR(op, E, a, b) T(BR(op, a, b), (uint32_t)E(a, b));
#define TBRB(op, E, a, b) T(BRB(op, a, b), (uint32_t)E(a, b));

/* equal, signed vs unsigned disagreement, neighbours */
#define BR_VECTORS(F, op, E)                                                                   \
	F(op, E, 0u, 0u)                                                                       \
	F(op, E, 1u, 2u)                                                                       \
	F(op, E, 2u, 1u)                                                                       \
	F(op, E, 0xffffffffu, 0u)                                                              \
	F(op, E, 0u, 0xffffffffu)                                                              \
	F(op, E, 0x80000000u, 0x7fffffffu)                                                     \
	F(op, E, 0x7fffffffu, 0x80000000u)                                                     \
	F(op, E, 0x80000000u, 0x80000000u)

static void test_branches(void)
{
	BR_VECTORS(TBR, "beq", E_EQ)
	BR_VECTORS(TBR, "bne", E_NE)
	BR_VECTORS(TBR, "blt", E_LT)
	BR_VECTORS(TBR, "bge", E_GE)
	BR_VECTORS(TBR, "bltu", E_LTU)
	BR_VECTORS(TBR, "bgeu", E_GEU)
	/* backward targets */
	TBRB("beq", E_EQ, 5u, 5u)
	TBRB("bne", E_NE, 5u, 5u)
	TBRB("blt", E_LT, 0xffffffffu, 0u)
	TBRB("bge", E_GE, 0xffffffffu, 0u)
	TBRB("bltu", E_LTU, 0xffffffffu, 0u)
	TBRB("bgeu", E_GEU, 0xffffffffu, 0u)
}

static void test_loop(void)
{
	uint32_t n;

	/* a counted backward loop: 100 iterations of bnez */
	__asm__ volatile("li t0, 100\n\tli %0, 0\n1:\taddi %0, %0, 3\n\taddi t0, t0, -1\n\tbnez t0, 1b"
			 : "=&r"(n)
			 :
			 : "t0");
	T(n, 300u);
}

static void test_jal(void)
{
	uint32_t link, at, skipped;

	/* jal forward: link = pc + 4, the instruction after it is skipped */
	__asm__ volatile("li %2, 0\n1:\tjal %0, 2f\n\tli %2, 1\n2:\tla %1, 1b"
			 : "=&r"(link), "=&r"(at), "=&r"(skipped));
	T(link - at, 4u);
	T(skipped, 0u);
	/* jal backward, then jal x0 (j) back out */
	__asm__ volatile("li %2, 0\n\tj 3f\n2:\tli %2, 7\n\tj 4f\n3:\tjal %0, 2b\n4:\tla %1, 3b"
			 : "=&r"(link), "=&r"(at), "=&r"(skipped));
	T(link - at, 4u);
	T(skipped, 7u);
}

static void test_jalr(void)
{
	uint32_t link, at, flag;

	/* jalr with a positive offset: target = rs1 + 4 */
	__asm__ volatile("li %2, 0\n\tla t0, 1f\n2:\tjalr %0, 4(t0)\n1:\tli %2, 1\n\tli %2, 2\n\tla %1, 2b"
			 : "=&r"(link), "=&r"(at), "=&r"(flag)
			 :
			 : "t0");
	T(link - at, 4u);
	T(flag, 2u);
	/* negative offset */
	__asm__ volatile("li %2, 0\n\tla t0, 1f+8\n2:\tjalr %0, -8(t0)\n\tli %2, 9\n1:\tla %1, 2b"
			 : "=&r"(link), "=&r"(at), "=&r"(flag)
			 :
			 : "t0");
	T(link - at, 4u);
	T(flag, 0u);
	/* bit 0 of the target is cleared: rs1 = label + 1 */
	__asm__ volatile("li %2, 0\n\tla t0, 1f+1\n2:\tjalr %0, 0(t0)\n\tli %2, 5\n1:\tla %1, 2b"
			 : "=&r"(link), "=&r"(at), "=&r"(flag)
			 :
			 : "t0");
	T(link - at, 4u);
	T(flag, 0u);
	/* offset odd, rs1 even: (rs1 + 3) & ~1 = label + 2 ... so use label - 1 + 1 */
	__asm__ volatile("li %2, 0\n\tla t0, 1f-1\n2:\tjalr %0, 1(t0)\n\tli %2, 6\n1:\tla %1, 2b"
			 : "=&r"(link), "=&r"(at), "=&r"(flag)
			 :
			 : "t0");
	T(link - at, 4u);
	T(flag, 0u);
	/* rd == rs1: the target is computed from the old value */
	__asm__ volatile("li %2, 0\n\tla %0, 1f\n2:\tjalr %0, 0(%0)\n\tli %2, 3\n1:\tla %1, 2b"
			 : "=&r"(link), "=&r"(at), "=&r"(flag));
	T(link - at, 4u);
	T(flag, 0u);
	/* rd = x0: no link written */
	__asm__ volatile("li %0, 0x55\n\tla t0, 1f\n\tjalr zero, 0(t0)\n\tli %0, 0\n1:"
			 : "=&r"(flag)
			 :
			 : "t0");
	T(flag, 0x55u);
}

static uint32_t __attribute__((noinline)) callee(uint32_t x)
{
	return x * 3 + 1;
}

int main(void)
{
	uint32_t (*volatile fp)(uint32_t) = callee;

	test_branches();
	test_loop();
	test_jal();
	test_jalr();
	/* call and return through a function pointer (jalr ra / ret) */
	T(fp(14), 43u);
	return 0;
}
