# rv32ui_fail.S: a riscv-tests style program whose test 3 fails on purpose,
# to show that a failure reaches the exit status (3).
# expect: exit=3
#include "env.h"

RVTEST_CODE_BEGIN
	TEST_RR(2, add, 4, 2, 2)
	TEST_RR(3, add, 5, 2, 2)
	RVTEST_PASS
fail:
	RVTEST_FAIL

RVTEST_DATA_BEGIN
