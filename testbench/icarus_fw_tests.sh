#!/bin/bash
# icarus_fw_tests.sh: runs ELFs on the Icarus build and cross-checks each against build/umbra --ram-mb 4.
#
# usage: testbench/icarus_fw_tests.sh ELF...      (BUILD, ICARUS_WALL from the environment)
# Per test one line: "PASS name (same as build/umbra)" when Icarus passes and,
# if $BUILD/umbra exists, its final line and console output are identical to
# build/umbra's; otherwise "FAIL name: ..." and the command that reproduces it.
# A run is stopped after ICARUS_WALL seconds of wall time (default 3600): a
# zero-delay loop in the RTL never reaches +max_cycles. Ends with
# "icarus: N passed, N failed"; exit status 0 only if all passed.
set -u

build=${BUILD:-build}
wall=${ICARUS_WALL:-3600}
dir=$build/icarus/fw
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"
pass=0
fail=0

# Runs one test; its verdict lines go to $dir/<stem>.verdict (first word PASS/FAIL).
run_one() {
	local elf=$1 name stem repro rc final why ufinal
	name=$(basename "$elf")
	stem=${name%.elf}
	repro="BUILD=$build testbench/run_icarus.sh $elf"
	timeout "$wall" "$here/testbench/run_icarus.sh" "$elf" >"$dir/$stem.out" 2>"$dir/$stem.err"
	rc=$?
	final=$(tail -n1 "$dir/$stem.err")
	why=""
	if [ $rc -ne 0 ]; then
		why="exit $rc: $final"
		[ $rc -eq 124 ] && ! grep -q "^TIMEOUT " "$dir/$stem.err" &&
			why="no end after ${wall}s of wall time (zero-delay loop?)"
	elif [ -x "$build/umbra" ]; then
		"$build/umbra" --ram-mb 4 "$elf" >"$dir/$stem.umbra.out" 2>"$dir/$stem.umbra.err"
		ufinal=$(tail -n1 "$dir/$stem.umbra.err")
		if [ "$ufinal" != "$final" ]; then
			why="differs from build/umbra --ram-mb 4: '$ufinal'"
		elif ! cmp -s "$dir/$stem.out" "$dir/$stem.umbra.out"; then
			why="console output differs from build/umbra --ram-mb 4 ($dir/$stem.out)"
		fi
	fi
	if [ -z "$why" ]; then
		echo "PASS $stem ($final$([ -x "$build/umbra" ] && echo ', same as build/umbra'))"
	else
		echo "FAIL $stem: $why"
		echo "  reproduce: $repro"
	fi
}

# JOBS tests at a time (default 2, the machine's cores); verdicts in argument order.
# The caller (make icarus-fw-tests) has built the Icarus model.
export ICARUS_BUILT=1
jobs=${JOBS:-2}
running=0
for elf in "$@"; do
	stem=$(basename "$elf" .elf)
	run_one "$elf" >"$dir/$stem.verdict" &
	running=$((running + 1))
	if [ $running -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
for elf in "$@"; do
	stem=$(basename "$elf" .elf)
	cat "$dir/$stem.verdict"
	case $(head -c4 "$dir/$stem.verdict") in
	PASS) pass=$((pass + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
done
echo "icarus: $pass passed, $fail failed"
[ $fail -eq 0 ]
