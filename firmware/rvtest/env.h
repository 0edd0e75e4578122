/* env.h: a minimal test environment following the public RISC-V test-suite
 * conventions (riscv-tests "p" environment): entry _start at 0x80000000 in
 * M-mode, result reported through the `tohost` symbol: (TESTNUM << 1) | 1,
 * i.e. 1 = pass, 2n+1 = failure of test n. Written for umbra, not copied. */
#ifndef RVTEST_ENV_H
#define RVTEST_ENV_H

#define TESTNUM gp

#define RVTEST_CODE_BEGIN                                                     \
	.section .text.init, "ax";                                            \
	.globl _start;                                                        \
_start:                                                                       \
	la t0, rvtest_trap;                                                   \
	csrw mtvec, t0;                                                       \
	li TESTNUM, 0;                                                        \
	j rvtest_main;                                                        \
	.align 2;                                                             \
rvtest_trap:                                                                  \
	/* ecall from M = end of test; anything else = failure 1337 */         \
	csrr t5, mcause;                                                      \
	li t6, 11;                                                            \
	beq t5, t6, rvtest_write_tohost;                                      \
	li TESTNUM, 1337;                                                     \
	slli TESTNUM, TESTNUM, 1;                                             \
	ori TESTNUM, TESTNUM, 1;                                              \
rvtest_write_tohost:                                                          \
	la t5, tohost;                                                        \
	sw TESTNUM, 0(t5);                                                    \
	sw zero, 4(t5);                                                       \
	j rvtest_write_tohost;                                                \
rvtest_main:

#define RVTEST_PASS                                                           \
	fence;                                                                \
	li TESTNUM, 1;                                                        \
	ecall

#define RVTEST_FAIL                                                           \
	fence;                                                                \
	slli TESTNUM, TESTNUM, 1;                                             \
	ori TESTNUM, TESTNUM, 1;                                              \
	ecall

#define RVTEST_DATA_BEGIN                                                     \
	.pushsection .tohost, "aw", @progbits;                                \
	.align 6; .globl tohost; tohost: .dword 0;                            \
	.align 6; .globl fromhost; fromhost: .dword 0;                        \
	.popsection;                                                          \
	.data

/* Test n: rd = op(a, b) must equal want. */
#define TEST_RR(n, op, want, a, b)                                            \
	li TESTNUM, n;                                                        \
	li x11, a;                                                            \
	li x12, b;                                                            \
	op x13, x11, x12;                                                     \
	li x7, want;                                                          \
	bne x13, x7, fail

#define TEST_IMM(n, op, want, a, imm)                                         \
	li TESTNUM, n;                                                        \
	li x11, a;                                                            \
	op x13, x11, imm;                                                     \
	li x7, want;                                                          \
	bne x13, x7, fail

#endif
