/* isa_fence.c: fence variants and fence.i with self-modifying code (in a buffer and in line). */
#include "test.h"

#define INSN_ADDI_A0(imm) (((uint32_t)(imm) << 20) | (10u << 7) | 0x13u) /* addi a0, zero, imm */
#define INSN_RET          0x00008067u                                    /* jalr zero, 0(ra) */

static uint32_t code[4] __attribute__((aligned(16)));

static uint32_t call_code(void)
{
	uint32_t (*volatile fn)(void) = (uint32_t (*)(void))(uintptr_t)code;

	return fn();
}

static void test_fences(void)
{
	static volatile uint32_t word;
	uint32_t r;

	/* every fence form is a legal instruction and keeps program order */
	word = 1;
	__asm__ volatile("fence" : : : "memory");
	__asm__ volatile("fence rw, rw" : : : "memory");
	__asm__ volatile("fence r, r" : : : "memory");
	__asm__ volatile("fence w, w" : : : "memory");
	__asm__ volatile("fence iorw, iorw" : : : "memory");
	__asm__ volatile("fence io, io" : : : "memory");
	__asm__ volatile(".word 0x8330000f" : : : "memory"); /* fence.tso */
	__asm__ volatile(".word 0x0100000f" : : : "memory"); /* pause (fence w, 0) */
	__asm__ volatile(".word 0x0000000f" : : : "memory"); /* fence 0, 0 */
	word = word + 1;
	CHECK_SIG(1, word, 2u);
	__asm__ volatile("li t0, 77\n\tsw t0, 0(%1)\n\tfence w, r\n\tlw %0, 0(%1)"
			 : "=r"(r)
			 : "r"(&word)
			 : "t0", "memory");
	CHECK_SIG(2, r, 77u);
}

static void test_fence_i_buffer(void)
{
	code[0] = INSN_ADDI_A0(1);
	code[1] = INSN_RET;
	__asm__ volatile("fence.i" : : : "memory");
	CHECK_SIG(3, call_code(), 1u);
	/* run it again so it is cached/decoded, then change it */
	CHECK_SIG(4, call_code(), 1u);
	code[0] = INSN_ADDI_A0(2);
	__asm__ volatile("fence.i" : : : "memory");
	CHECK_SIG(5, call_code(), 2u);
	/* change the return into a second addi followed by a ret */
	code[1] = INSN_ADDI_A0(0x7ff);
	code[2] = INSN_RET;
	__asm__ volatile("fence.i" : : : "memory");
	CHECK_SIG(6, call_code(), 0x7ffu);
	/* back to the first version */
	code[1] = INSN_RET;
	__asm__ volatile("fence rw, rw\n\tfence.i" : : : "memory");
	CHECK_SIG(7, call_code(), 2u);
}

/* Overwrite an instruction a few words ahead of the pc, fence.i, fall into it. */
static void test_fence_i_inline_checked(void)
{
	uint32_t r = 0;

	__asm__ volatile("mv t2, zero\n\t"
			 "la t0, 1f\n\t"
			 "li t1, %1\n\t"
			 "sw t1, 0(t0)\n\t"
			 "fence.i\n"
			 "1:\taddi t2, zero, 3\n\t"
			 "mv %0, t2"
			 : "=r"(r)
			 : "i"(((9u << 20) | (7u << 7) | 0x13u)) /* addi t2, zero, 9 */
			 : "t0", "t1", "t2", "memory");
	CHECK_SIG(8, r, 9u);
}

int main(void)
{
	test_fences();
	test_fence_i_buffer();
	test_fence_i_inline_checked();
	return 0;
}
