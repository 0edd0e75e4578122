#!/bin/bash
# test_waves.sh: checks of tools/waves.py (make waves): the GWB save file against a real FST, and its refusals.
# usage: test_waves.sh UMBRA BUILD; one PASS/FAIL line per case, then "N passed, N failed".
umbra=${1:-build/umbra}
build=${2:-build}
out=$build/waves-test
mkdir -p "$out"
pass=0
fail=0

check() { # name, expected exit (0 or 1), expected text in the output, command...
	local name=$1 want_rc=$2 want_text=$3
	shift 3
	local log rc
	log=$("$@" 2>&1)
	rc=$?
	if { [ "$want_rc" -eq 0 ] && [ $rc -eq 0 ]; } || { [ "$want_rc" -ne 0 ] && [ $rc -ne 0 ]; }; then
		if grep -q -- "$want_text" <<<"$log"; then
			echo "PASS waves $name"
			pass=$((pass + 1))
			return
		fi
	fi
	echo "FAIL waves $name (exit $rc): $(tail -n1 <<<"$log")"
	echo "  reproduce: $*"
	fail=$((fail + 1))
}

w="python3 tools/waves.py --umbra $umbra --out $out"
# 1: gwb_full has both events; gtkwave loads the save file and reads them at the markers.
check gwb_full 0 "waves: ok: " $w --require-events --save waves/gwb.gtkw "$build/fw/tests/gwb_full.elf"
# 2: a save file naming a signal the FST lacks is refused with the name.
sed 's/^umbra.umbra_soc.rvfi_gwb_valid_o$/umbra.umbra_soc.rvfi_gwb_nonexistent_o/' waves/gwb.gtkw >"$out/bad.gtkw"
check bad-signal 1 "waves: error: 1 signal(s) of .* are not in .*rvfi_gwb_nonexistent_o" \
	$w --save "$out/bad.gtkw" "$build/fw/tests/gwb_full.elf"
# 3: a run without a GWB-full trap cannot serve the save file's marker A.
check no-full-trap 1 "waves: error: gwb_basic: no GWB-full trap" \
	$w --require-events --save waves/gwb.gtkw "$build/fw/tests/gwb_basic.elf"
# 4: a missing program.
check no-elf 1 "waves: error: no such test program" $w --save waves/gwb.gtkw "$build/fw/tests/no_such_test.elf"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
