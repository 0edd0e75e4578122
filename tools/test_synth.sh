#!/bin/bash
# test_synth.sh: checks of `make synth` (tools/synth.py): the GWB's area is measured, and bad input is refused.
# usage: test_synth.sh [BUILD]; one PASS/FAIL line per case, then "N passed, N failed".
build=${1:-build}
pass=0
fail=0
ok() { echo "PASS synth $1"; pass=$((pass + 1)); }
ko() { echo "FAIL synth $1: $2"; echo "  reproduce: $3"; fail=$((fail + 1)); }

# 1: both builds synthesise; the GWB adds flops and cells, and its share is printed.
out=$(make -s synth BUILD="$build" 2>&1)
add=$(sed -n 's/^GWB (blocks with the Gwb parameter: .*): +\([0-9]*\) cells, +\([0-9]*\) flops$/\1 \2/p' <<<"$out")
if [ $? -eq 0 ] && [ -n "$add" ] && [ "${add% *}" -gt 0 ] && [ "${add#* }" -gt 0 ] &&
	grep -q "^GWB share of the core (Gwb=1): " <<<"$out" && grep -q "^umbra_lsu " <<<"$out"; then
	ok "gwb-area (+${add% *} cells, +${add#* } flops)"
else
	ko gwb-area "$(tail -n1 <<<"$out")" "make synth"
fi
# 2: RTL yosys cannot read gets one clear line and a non-zero exit.
bad=$build/synth-test/bad.sv
mkdir -p "$(dirname "$bad")"
printf 'module umbra_core #(parameter bit Gwb = 1) (input logic a_i);\n  this is not verilog\nendmodule\n' >"$bad"
out=$(python3 tools/synth.py --build "$build/synth-test" "$bad" 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q "^synth: error: yosys failed for Gwb=1" <<<"$out"; then
	ok bad-rtl
else
	ko bad-rtl "exit $rc: $(tail -n1 <<<"$out")" "python3 tools/synth.py $bad"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
