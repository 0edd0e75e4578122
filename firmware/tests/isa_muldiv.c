/* isa_muldiv.c: mul, mulh, mulhsu, mulhu, div, divu, rem, remu incl. divide by zero and overflow. */
#include "test.h"

static uint32_t case_no;

#define T(got, want)                                                                           \
	do {                                                                                   \
		uint32_t c_ = ++case_no;                                                       \
		CHECK_SIG(c_, got, want);                                                      \
	} while (0)

#define RR(op, a, b)                                                                           \
	({                                                                                     \
		uint32_t r_;                                                                   \
		__asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"((uint32_t)(a)), "r"((uint32_t)(b))); \
		r_;                                                                            \
	})

#define S32(x) ((int32_t)(uint32_t)(x))
#define S64(x) ((int64_t)S32(x))
#define U64(x) ((uint64_t)(uint32_t)(x))
#define E_MUL(a, b)    ((uint32_t)((uint32_t)(a) * (uint32_t)(b)))
#define E_MULH(a, b)   ((uint32_t)((uint64_t)(S64(a) * S64(b)) >> 32))
#define E_MULHSU(a, b) ((uint32_t)((uint64_t)(S64(a) * (int64_t)U64(b)) >> 32))
#define E_MULHU(a, b)  ((uint32_t)((U64(a) * U64(b)) >> 32))

#define TRR(op, E, a, b) T(RR(op, a, b), E(a, b));

#define MUL_VECTORS(F, op, E)                                                                  \
	F(op, E, 0u, 0u)                                                                       \
	F(op, E, 7u, 6u)                                                                       \
	F(op, E, 0xffffffffu, 0xffffffffu)                                                     \
	F(op, E, 0x80000000u, 0x80000000u)                                                     \
	F(op, E, 0x80000000u, 0xffffffffu)                                                     \
	F(op, E, 0x7fffffffu, 0x7fffffffu)                                                     \
	F(op, E, 0xffffffffu, 2u)                                                              \
	F(op, E, 2u, 0xffffffffu)                                                              \
	F(op, E, 0x12345678u, 0x9abcdef0u)                                                     \
	F(op, E, 0x9abcdef0u, 0x12345678u)

/* Division is checked against literal results (the spec's table for the corner cases). */
#define TD(op, a, b, want) T(RR(op, a, b), want);

static void test_mul(void)
{
	MUL_VECTORS(TRR, "mul", E_MUL)
	MUL_VECTORS(TRR, "mulh", E_MULH)
	MUL_VECTORS(TRR, "mulhsu", E_MULHSU)
	MUL_VECTORS(TRR, "mulhu", E_MULHU)
}

static void test_div(void)
{
	TD("div", 20u, 6u, 3u)
	TD("div", (uint32_t)-20, 6u, (uint32_t)-3)
	TD("div", 20u, (uint32_t)-6, (uint32_t)-3)
	TD("div", (uint32_t)-20, (uint32_t)-6, 3u)
	TD("div", 0x80000000u, 0xffffffffu, 0x80000000u) /* overflow */
	TD("div", 0x80000000u, 1u, 0x80000000u)
	TD("div", 5u, 0u, 0xffffffffu)                  /* by zero */
	TD("div", 0u, 0u, 0xffffffffu)
	TD("div", (uint32_t)-5, 0u, 0xffffffffu)
	TD("divu", 20u, 6u, 3u)
	TD("divu", 0xffffffffu, 2u, 0x7fffffffu)
	TD("divu", 0x80000000u, 0xffffffffu, 0u)
	TD("divu", 0xfffffffeu, 0xffffffffu, 0u)
	TD("divu", 5u, 0u, 0xffffffffu)
	TD("divu", 0u, 0u, 0xffffffffu)
	TD("rem", 20u, 6u, 2u)
	TD("rem", (uint32_t)-20, 6u, (uint32_t)-2)
	TD("rem", 20u, (uint32_t)-6, 2u)
	TD("rem", (uint32_t)-20, (uint32_t)-6, (uint32_t)-2)
	TD("rem", 0x80000000u, 0xffffffffu, 0u)         /* overflow */
	TD("rem", 5u, 0u, 5u)                           /* by zero: the dividend */
	TD("rem", (uint32_t)-5, 0u, (uint32_t)-5)
	TD("remu", 20u, 6u, 2u)
	TD("remu", 0xffffffffu, 2u, 1u)
	TD("remu", 0x80000000u, 0xffffffffu, 0x80000000u)
	TD("remu", 5u, 0u, 5u)
	TD("remu", 0xffffffffu, 0u, 0xffffffffu)
}

static void test_dependent(void)
{
	uint32_t r;

	/* results used immediately, rd == rs1 */
	__asm__ volatile("li %0, 1000\n\tli t0, 7\n\tmul %0, %0, t0\n\tdivu %0, %0, t0\n\tremu t1, %0, t0\n\tadd %0, %0, t1"
			 : "=&r"(r)
			 :
			 : "t0", "t1");
	T(r, 1006u);
	/* a result written to x0 is discarded */
	__asm__ volatile("li t0, 3\n\tmul zero, t0, t0\n\tdiv zero, t0, zero\n\tmv %0, zero" : "=r"(r) : : "t0");
	T(r, 0u);
}

int main(void)
{
	test_mul();
	test_div();
	test_dependent();
	return 0;
}
