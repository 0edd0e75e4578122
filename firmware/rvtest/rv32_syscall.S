# rv32_syscall.S: prints through the HTIF proxied write syscall (magic_mem,
# as riscv-tests' benchmarks do), then passes.
# expect: exit=0
# expect-stdout: hello from tohost
#include "env.h"

RVTEST_CODE_BEGIN
	li TESTNUM, 2
	la t0, magic_mem
	li t1, 64               # SYS_write
	sw t1, 0(t0)
	sw zero, 4(t0)
	li t1, 1                # fd = stdout
	sw t1, 8(t0)
	sw zero, 12(t0)
	la t1, msg
	sw t1, 16(t0)
	sw zero, 20(t0)
	la t1, msg_end
	la t6, msg
	sub t1, t1, t6
	sw t1, 24(t0)
	sw zero, 28(t0)
	fence
	la t2, tohost
	sw t0, 0(t2)
	sw zero, 4(t2)
	la t3, fromhost
1:	lw t4, 0(t3)
	beqz t4, 1b
	sw zero, 0(t3)
	RVTEST_PASS
fail:
	RVTEST_FAIL

RVTEST_DATA_BEGIN
	.align 3
magic_mem: .zero 64
msg:	.ascii "hello from tohost\n"
msg_end:
