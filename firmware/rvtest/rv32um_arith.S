# rv32um_arith.S: arithmetic self-test in the riscv-tests style; passes.
# expect: exit=0
#include "env.h"

RVTEST_CODE_BEGIN
	TEST_RR(2, add, 0x00000003, 1, 2)
	TEST_RR(3, sub, 0xfffffffe, 1, 3)
	TEST_RR(4, sll, 0x80000000, 1, 31)
	TEST_RR(5, sra, 0xffffffff, 0x80000000, 31)
	TEST_RR(6, slt, 1, -1, 0)
	TEST_RR(7, sltu, 0, -1, 0)
	TEST_RR(8, mul, 0x00000006, 2, 3)
	TEST_RR(9, mulh, 0xffffffff, -1, 1)
	TEST_RR(10, mulhu, 0xfffffffe, -1, -1)
	TEST_RR(11, div, 0xfffffffd, -7, 2)
	TEST_RR(12, rem, 0xffffffff, -7, 2)
	TEST_RR(13, divu, 0xffffffff, 5, 0)
	TEST_RR(14, div, 0x80000000, 0x80000000, -1)
	TEST_IMM(15, xori, 0xfffff00f, 0x0f0f, -256)
	TEST_IMM(16, srli, 0x00000001, 0x80000000, 31)
	# loads and stores through the data section
	li TESTNUM, 17
	la x5, buf
	li x6, 0x11223344
	sw x6, 0(x5)
	lbu x7, 1(x5)
	li x8, 0x33
	bne x7, x8, fail
	li TESTNUM, 18
	sh x0, 2(x5)
	lw x7, 0(x5)
	li x8, 0x00003344
	bne x7, x8, fail
	RVTEST_PASS
fail:
	RVTEST_FAIL

RVTEST_DATA_BEGIN
buf:	.word 0
