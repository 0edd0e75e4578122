/* isa_alu.c: every RV32I register-register and register-immediate ALU instruction, lui and auipc. */
#include "test.h"

static uint32_t case_no;

/* Expected values are C expressions on constants, folded by the compiler. */
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
#define RI(op, a, imm)                                                                         \
	({                                                                                     \
		uint32_t r_;                                                                   \
		__asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"((uint32_t)(a)), "i"(imm));  \
		r_;                                                                            \
	})

#define S32(x) ((int32_t)(uint32_t)(x))
#define E_ADD(a, b)  ((uint32_t)(a) + (uint32_t)(b))
#define E_SUB(a, b)  ((uint32_t)(a) - (uint32_t)(b))
#define E_SLT(a, b)  ((uint32_t)(S32(a) < S32(b)))
#define E_SLTU(a, b) ((uint32_t)((uint32_t)(a) < (uint32_t)(b)))
#define E_XOR(a, b)  ((uint32_t)(a) ^ (uint32_t)(b))
#define E_OR(a, b)   ((uint32_t)(a) | (uint32_t)(b))
#define E_AND(a, b)  ((uint32_t)(a) & (uint32_t)(b))
#define E_SLL(a, b)  ((uint32_t)(a) << ((b) & 31))
#define E_SRL(a, b)  ((uint32_t)(a) >> ((b) & 31))
#define E_SRA(a, b)  ((uint32_t)(S32(a) >> ((b) & 31)))

#define TRR(op, E, a, b) T(RR(op, a, b), E(a, b));
#define TRI(op, E, a, imm) T(RI(op, a, imm), E(a, (uint32_t)(int32_t)(imm)));

/* operand pairs: zero, sign boundaries, carries, all ones */
#define ARITH_VECTORS(F, op, E)                                                                \
	F(op, E, 0u, 0u)                                                                       \
	F(op, E, 1u, 0xffffffffu)                                                              \
	F(op, E, 0x7fffffffu, 1u)                                                              \
	F(op, E, 0x80000000u, 1u)                                                              \
	F(op, E, 0x80000000u, 0x7fffffffu)                                                     \
	F(op, E, 0x12345678u, 0x9abcdef0u)                                                     \
	F(op, E, 0xffffffffu, 0xffffffffu)

/* shift amounts 0, 1, 31 and ones whose bits above [4:0] must be ignored */
#define SHIFT_VECTORS(F, op, E)                                                                \
	F(op, E, 0x80000001u, 0u)                                                              \
	F(op, E, 0x80000001u, 1u)                                                              \
	F(op, E, 0x80000001u, 31u)                                                             \
	F(op, E, 0x80000001u, 32u)                                                             \
	F(op, E, 0x12345678u, 0xffffffe4u)                                                     \
	F(op, E, 0x7fffffffu, 31u)

/* immediates: 0, +-1, the 12-bit extremes */
#define IMM_VECTORS(F, op, E)                                                                  \
	F(op, E, 0x00000000u, 0)                                                               \
	F(op, E, 0x7fffffffu, 1)                                                               \
	F(op, E, 0x00000000u, -1)                                                              \
	F(op, E, 0x80000000u, 2047)                                                            \
	F(op, E, 0x80000000u, -2048)                                                           \
	F(op, E, 0xfffff800u, -2048)

#define SHAMT_VECTORS(F, op, E)                                                                \
	F(op, E, 0x80000001u, 0)                                                               \
	F(op, E, 0x80000001u, 1)                                                               \
	F(op, E, 0x80000001u, 31)                                                              \
	F(op, E, 0x7ffffffeu, 31)                                                              \
	F(op, E, 0x12345678u, 4)

static void test_reg_reg(void)
{
	ARITH_VECTORS(TRR, "add", E_ADD)
	ARITH_VECTORS(TRR, "sub", E_SUB)
	ARITH_VECTORS(TRR, "slt", E_SLT)
	ARITH_VECTORS(TRR, "sltu", E_SLTU)
	ARITH_VECTORS(TRR, "xor", E_XOR)
	ARITH_VECTORS(TRR, "or", E_OR)
	ARITH_VECTORS(TRR, "and", E_AND)
	SHIFT_VECTORS(TRR, "sll", E_SLL)
	SHIFT_VECTORS(TRR, "srl", E_SRL)
	SHIFT_VECTORS(TRR, "sra", E_SRA)
}

static void test_reg_imm(void)
{
	IMM_VECTORS(TRI, "addi", E_ADD)
	IMM_VECTORS(TRI, "slti", E_SLT)
	IMM_VECTORS(TRI, "sltiu", E_SLTU)
	IMM_VECTORS(TRI, "xori", E_XOR)
	IMM_VECTORS(TRI, "ori", E_OR)
	IMM_VECTORS(TRI, "andi", E_AND)
	SHAMT_VECTORS(TRI, "slli", E_SLL)
	SHAMT_VECTORS(TRI, "srli", E_SRL)
	SHAMT_VECTORS(TRI, "srai", E_SRA)
}

#define LUI(imm)                                                                               \
	({                                                                                     \
		uint32_t r_;                                                                   \
		__asm__ volatile("lui %0, %1" : "=r"(r_) : "i"(imm));                          \
		r_;                                                                            \
	})

/* auipc's result minus the address of the auipc itself (taken with a label). */
#define AUIPC_DELTA(imm)                                                                       \
	({                                                                                     \
		uint32_t r_, pc_;                                                              \
		__asm__ volatile("1: auipc %0, %2\n\tla %1, 1b" : "=r"(r_), "=r"(pc_) : "i"(imm)); \
		r_ - pc_;                                                                      \
	})

static void test_upper(void)
{
	T(LUI(0), 0u);
	T(LUI(1), 0x1000u);
	T(LUI(0x80000), 0x80000000u);
	T(LUI(0xfffff), 0xfffff000u);
	T(AUIPC_DELTA(0), 0u);
	T(AUIPC_DELTA(1), 0x1000u);
	T(AUIPC_DELTA(0xfffff), 0xfffff000u);
	T(AUIPC_DELTA(0x80000), 0x80000000u);
}

static void test_x0(void)
{
	uint32_t r;

	/* writes to x0 are discarded, reads give 0 */
	__asm__ volatile("li t0, 5\n\taddi zero, t0, 1\n\tadd %0, zero, zero" : "=r"(r) : : "t0");
	T(r, 0u);
	__asm__ volatile("lui zero, 0x12345\n\tsub %0, zero, zero" : "=r"(r));
	T(r, 0u);
	/* rd == rs1 == rs2 */
	__asm__ volatile("li %0, 0x40000001\n\tadd %0, %0, %0" : "=&r"(r));
	T(r, 0x80000002u);
}

int main(void)
{
	test_reg_reg();
	test_reg_imm();
	test_upper();
	test_x0();
	return 0;
}
