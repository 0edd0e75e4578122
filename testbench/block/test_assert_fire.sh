#!/bin/bash
# test_assert_fire.sh: the RTL assertions fire. Each case runs assert_fire
# (testbench/block/assert_fire.sv) with one block driven against its protocol
# and passes when the run stops with a non-zero status and the simulator names
# that assertion ("Assertion failed in <hier>.<Name>"). Case 0 breaks nothing:
# the bench must then report NOFIRE and exit 0, so a bench that stops for
# another reason is not taken for a firing assertion.
# usage: test_assert_fire.sh SIM
set -u
SIM=${1:?usage: test_assert_fire.sh SIM}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
pass=0
fail=0

n=0
for name in UmbraPtwStartOnlyIdle UmbraPtwRspOnlyWaiting UmbraIfetchRspOnlyWaiting \
            UmbraIfetchDoneNeedsInsn UmbraMuldivNoStartWhileBusy UmbraTlbOneHit \
            UmbraLsuRspOnlyWaiting UmbraCsrOneEvent; do
	n=$((n + 1))
	("$SIM" +case=$name; exit $?) >"$out" 2>&1   # a subshell: it, not this script, reports the abort
	status=$?
	if [ $status -ne 0 ] && grep -q "Assertion failed in [^ ]*\.$name:" "$out"; then
		echo "PASS $n $name fires"
		pass=$((pass + 1))
	else
		echo "FAIL $n $name: status $status, $(grep -m1 'Assertion failed\|NOFIRE\|Error' "$out" || echo 'no message')"
		echo "    reproduce: $SIM +case=$name"
		fail=$((fail + 1))
	fi
done

"$SIM" +case=none >"$out" 2>&1
status=$?
if [ $status -eq 0 ] && grep -q "^NOFIRE none" "$out" && ! grep -q "Assertion failed" "$out"; then
	echo "PASS 0 no violation, no assertion"
	pass=$((pass + 1))
else
	echo "FAIL 0 no violation: status $status, $(head -n1 "$out")"
	echo "    reproduce: $SIM +case=none"
	fail=$((fail + 1))
fi

echo "assert-fire: $pass passed, $fail failed"
[ $fail -eq 0 ]
