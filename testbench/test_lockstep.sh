#!/usr/bin/env bash
# test_lockstep.sh: the lockstep checker can fail: an RTL fault injected at a chosen retirement
# (--inject-fault reg@N / mem@N) is reported at exactly that retirement, and the run exits non-zero.
# usage: testbench/test_lockstep.sh [path/to/umbra]
set -u

UMBRA=${1:-build/umbra}
TESTS=build/fw/tests
pass=0
fail=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/umbra-lockstep-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# case NAME ELF KIND N FIELD: inject, then compare the injected and the reported retirement.
case_fault() {
	local name=$1 elf=$2 kind=$3 n=$4 field=$5 out=$WORK/$1.txt status hit seen final
	"$UMBRA" --quiet --lockstep --inject-fault "$kind@$n" "$elf" >"$out" 2>&1
	status=$?
	hit=$(sed -n 's/.*injected fault: .* of retirement \([0-9]*\) .*/\1/p' "$out")
	seen=$(sed -n "s/^lockstep: mismatch in $field at retirement \([0-9]*\) .*/\1/p" "$out")
	final=$(tail -n 1 "$out")
	if [ "$status" -eq 125 ] && [ -n "$hit" ] && [ "$hit" = "$seen" ] && [ "$hit" -ge "$n" ] &&
	   [ "${final#FAIL }" != "$final" ] && [ "${final#*reason=lockstep}" != "$final" ] &&
	   grep -q "the last 16 retirements" "$out"; then
		echo "PASS $name (injected at $hit, reported at $seen)"
		pass=$((pass + 1))
	else
		echo "FAIL $name: status $status, injected at '${hit}', reported at '${seen}' (want equal, >= $n, exit 125)"
		tail -n 30 "$out" | sed 's/^/    /'
		echo "    reproduce: $UMBRA --lockstep --inject-fault $kind@$n $elf"
		fail=$((fail + 1))
	fi
}

case_fault 1-reg-early   "$TESTS/isa_alu.elf"       reg 100    rd_wdata
case_fault 2-reg-late    "$TESTS/isa_muldiv.elf"    reg 9000   rd_wdata
case_fault 3-mem-ram     "$TESTS/isa_loadstore.elf" mem 2000   mem_wdata
case_fault 4-reg-vm      "$TESTS/vm_sv32_basic.elf" reg 150000 rd_wdata
case_fault 5-mem-vm      "$TESTS/vm_mprv.elf"       mem 60000  mem_wdata

# Without a fault the same runs pass in lockstep (the cases above fail for the fault, not the checker).
for elf in isa_alu isa_loadstore; do
	if "$UMBRA" --quiet --lockstep "$TESTS/$elf.elf" >"$WORK/ok.txt" 2>&1; then
		echo "PASS 6-clean-$elf"
		pass=$((pass + 1))
	else
		echo "FAIL 6-clean-$elf: $(tail -n 1 "$WORK/ok.txt")"
		fail=$((fail + 1))
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
