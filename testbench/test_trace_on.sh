#!/usr/bin/env bash
# test_trace_on.sh: --trace-on EVENT writes the waveform window around the first EVENT, and only
# that; the run's console, exit status and disk image are those of a plain run.
# usage: testbench/test_trace_on.sh [path/to/umbra]
set -u

UMBRA=${1:-build/umbra}
UMBRA=$(cd "$(dirname "$UMBRA")" && pwd)/$(basename "$UMBRA")
FW=$(pwd)/build/fw
pass=0
fail=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/umbra-traceon-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2

ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# first and last FST time stamps in ns (10 ns per cycle)
fst_span() { fst2vcd "$1" 2>/dev/null | sed -n 's/^#\([0-9]*\)$/\1/p' | sed -n '1p;$p' | tr '\n' ' '; }

# 1: an exception: the window is [C-W, C+W] around the reported cycle; console and status as a plain run.
"$UMBRA" "$FW/tests/trap_exceptions.elf" >plain.out 2>plain.err; plain_rc=$?
"$UMBRA" --trace w1.fst --trace-on trap:2 --trace-window 100 "$FW/tests/trap_exceptions.elf" >t1.out 2>t1.err; rc=$?
c=$(sed -n 's/.*trace-on: trap:2 in cycle \([0-9]*\);.*/\1/p' t1.err)
span=$(fst_span w1.fst)
if [ "$rc" -eq "$plain_rc" ] && cmp -s plain.out t1.out && [ -n "$c" ] &&
   [ "$span" = "$(( (c - 100) * 10 )) $(( (c + 100) * 10 + 5 )) " ]; then
	ok "1-trap-window (event in cycle $c, FST ${span% })"
else
	bad 1-trap-window "status $rc (plain $plain_rc), event cycle '$c', FST span '$span'"
	tail -n 5 t1.err | sed 's/^/    /'
fi

# 2: no such event: no waveform, the run is the plain run (console printed once, same status).
"$UMBRA" --trace w2.fst --trace-on gwb-full "$FW/tests/isa_alu.elf" >t2.out 2>t2.err; rc=$?
"$UMBRA" "$FW/tests/isa_alu.elf" >p2.out 2>/dev/null; prc=$?
if [ "$rc" -eq "$prc" ] && [ ! -e w2.fst ] && cmp -s p2.out t2.out && grep -q "no gwb-full in this run" t2.err; then
	ok 2-no-event
else
	bad 2-no-event "status $rc (plain $prc); FST $( [ -e w2.fst ] && echo written || echo absent)"
fi

# 3: fail: a failing program keeps its exit code and gets a window that ends where it failed.
"$UMBRA" --quiet --trace w3.fst --trace-on fail --trace-window 20 "$FW/rvtest/rv32ui_fail.elf" >t3.out 2>t3.err; rc=$?
span=$(fst_span w3.fst)
if [ "$rc" -eq 3 ] && [ -n "$span" ] && tail -n 1 t3.err | grep -q "^FAIL rv32ui_fail.elf exit=3"; then
	ok "3-fail (FST ${span% })"
else
	bad 3-fail "status $rc, FST span '$span'"
fi

# 4: a --disk image ends as after a plain run, whether the event happens or not.
truncate -s 1M a.img b.img c.img
"$UMBRA" --quiet --disk a.img "$FW/tests/disk_blk.elf" >/dev/null 2>&1
"$UMBRA" --quiet --disk b.img --trace w4.fst --trace-on irq:11 --trace-window 50 "$FW/tests/disk_blk.elf" >/dev/null 2>t4.err; rc4=$?
"$UMBRA" --quiet --disk c.img --trace w5.fst --trace-on trap:24 "$FW/tests/disk_blk.elf" >/dev/null 2>t5.err; rc5=$?
if [ "$rc4" -eq 0 ] && [ "$rc5" -eq 0 ] && [ -e w4.fst ] && [ ! -e w5.fst ] && cmp -s a.img b.img && cmp -s a.img c.img &&
   [ -n "$(od -An -tx1 a.img | tr -d ' 0\n' | head -c 1)" ]; then
	ok 4-disk-image
else
	bad 4-disk-image "status $rc4/$rc5, images $(cmp -s a.img b.img && echo same || echo differ)/$(cmp -s a.img c.img && echo same || echo differ)"
	tail -n 3 t4.err t5.err | sed 's/^/    /'
fi

# 5: iocheck: a completion-delivery violation (a record perturbed by --inject-fault iolog@3) gets the
# window around the cycle the checker names; the run still fails as without --trace-on (126).
BOOT=$FW/../boot.elf
args=(--quiet --inject-fault iolog@3 --bootargs "pt=gwb irq=mature work=diskseq n=4" "$BOOT")
"$UMBRA" "${args[@]}" >p6.out 2>p6.err; prc=$?
"$UMBRA" --trace w6.fst --trace-on iocheck --trace-window 300 "${args[@]:1}" >t6.out 2>t6.err; rc=$?
c=$(sed -n 's/.*trace-on: iocheck in cycle \([0-9]*\);.*/\1/p' t6.err)
span=$(fst_span w6.fst)
if [ "$prc" -eq 126 ] && [ "$rc" -eq 126 ] && cmp -s p6.out t6.out && [ -n "$c" ] &&
   [ "$span" = "$(( (c - 300) * 10 )) $(( (c + 300) * 10 + 5 )) " ] &&
   tail -n 1 t6.err | grep -q 'reason=iocheck'; then
	ok "5-iocheck (violation in cycle $c, FST ${span% })"
else
	bad 5-iocheck "status $rc (plain $prc), event cycle '$c', FST span '$span'"
	tail -n 4 t6.err | sed 's/^/    /'
fi

# 6: iocheck with no violation: no waveform, the plain run's status.
"$UMBRA" --quiet --trace w7.fst --trace-on iocheck --bootargs "pt=gwb irq=immediate work=diskseq n=2" "$BOOT" >/dev/null 2>t7.err; rc=$?
if [ "$rc" -eq 0 ] && [ ! -e w7.fst ]; then
	ok 6-iocheck-none
else
	bad 6-iocheck-none "status $rc; FST $( [ -e w7.fst ] && echo written || echo absent)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
