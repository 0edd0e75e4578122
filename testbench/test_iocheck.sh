#!/usr/bin/env bash
# test_iocheck.sh: the completion-delivery checker end to end on build/boot.elf: every delivery of a
# disk workload under each irq= policy passes it; a perturbed record (--inject-fault iolog@N) fails
# the run at that record (exit 126, FAIL ... reason=iocheck); --no-iocheck switches it off; the
# event log's figures agree with the hypervisor's own counters, on umbra and umbra-iss.
# usage: testbench/test_iocheck.sh [path/to/umbra]
set -u

UMBRA=${1:-build/umbra}
UMBRA=$(cd "$(dirname "$UMBRA")" && pwd)/$(basename "$UMBRA")
ISS=$(dirname "$UMBRA")/umbra-iss
BOOT=$(pwd)/build/boot.elf
pass=0
fail=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/umbra-iocheck-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2

ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# js FILE EXPR: a Python expression over the stats dict s.
js() { python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print($2)" "$1"; }

# 1-3: each policy: PASS, every record checked, the log's reasons equal the hypervisor's counters.
n=1
for pol in immediate nominal mature; do
	args=(--stats "s-$pol.json" --bootargs "pt=gwb irq=$pol work=diskseq n=4" "$BOOT")
	"$UMBRA" "${args[@]}" >out.txt 2>err.txt; rc=$?
	chk=$(js "s-$pol.json" "s.get('iocheck.records_checked', 0) > 0 and s['iocheck.records_checked'] == s['io.log_records'] == s['io.requests'] + s['io.rejected'] and s['iocheck.violations'] == 0 and s['io.log.immediate'] == s['io.delivered_immediate'] and s['io.log.maturity'] == s['io.delivered_mature'] and s['io.log.safepoint-idle'] == s['io.delivered_safepoint_idle'] and s['io.log.safepoint-poll'] == s['io.delivered_safepoint_poll'] and s['io.latency_p99_cycles'] >= s['io.latency_p50_cycles'] > 0" 2>&1)
	if [ "$rc" -eq 0 ] && [ "$chk" = True ] && grep -q "iocheck: .* event records checked .*all within the rules" err.txt; then
		ok "$n-$pol ($(grep -o '[0-9]* event records checked' err.txt), latency p50 $(js "s-$pol.json" "s['io.latency_p50_cycles']"))"
	else
		bad "$n-$pol" "status $rc, stats check $chk; reproduce: $UMBRA ${args[*]}"
		tail -n 4 err.txt | sed 's/^/    /'
	fi
	n=$((n + 1))
done

# 4: the checker can fail: SEQ 3's record, as the checker reads it, delivered 1 cycle after its issue.
args=(--quiet --inject-fault iolog@3 --bootargs "pt=gwb irq=mature work=diskseq n=4" "$BOOT")
"$UMBRA" "${args[@]}" >out.txt 2>err.txt; rc=$?
if [ "$rc" -eq 126 ] && tail -n 1 err.txt | grep -q '^FAIL boot.elf exit=126 reason=iocheck' &&
   grep -q '^umbra: iocheck: seq 3 (' err.txt; then
	ok "4-injected ($(grep -o 'seq 3 ([A-Z]*' err.txt), $(grep -o 'found in cycle [0-9]*' err.txt))"
else
	bad 4-injected "status $rc (want 126); reproduce: $UMBRA ${args[*]}"
	tail -n 4 err.txt | sed 's/^/    /'
fi

# 5: --no-iocheck: no checker (no iocheck.* keys), the log's latency figures still there.
"$UMBRA" --quiet --no-iocheck --stats off.json --bootargs "pt=gwb irq=mature work=diskseq n=4" "$BOOT" >/dev/null 2>err.txt; rc=$?
chk=$(js off.json "not any(k.startswith('iocheck.') for k in s) and s['io.latency_mean_cycles'] == $(js s-mature.json "s['io.latency_mean_cycles']")" 2>&1)
if [ "$rc" -eq 0 ] && [ "$chk" = True ]; then
	ok 5-no-iocheck
else
	bad 5-no-iocheck "status $rc, stats check $chk"
fi

# 6: umbra-iss reads the same log for its stats (its own timing: only the counts must agree).
"$ISS" --quiet --stats iss.json --bootargs "pt=gwb irq=nominal work=diskseq n=4" "$BOOT" >/dev/null 2>err.txt; rc=$?
chk=$(js iss.json "s['io.log_records'] == s['io.requests'] + s['io.rejected'] > 0 and s['io.log.maturity'] == s['io.delivered_mature'] and s['io.latency_p50_cycles'] > 0 and 'disk.requests' in s" 2>&1)
if [ "$rc" -eq 0 ] && [ "$chk" = True ]; then
	ok 6-iss-log
else
	bad 6-iss-log "status $rc, stats check $chk"
fi

# 7-9: a corrupt umbra_iolog (bad magic) is refused with one line: build/umbra fails the run
# (the checker cannot check), --no-iocheck and umbra-iss warn and leave the io.latency_* keys out.
cat >bad.S <<'ASM'
	.globl _start
_start:	li t0, 0x100000
	li t1, 0x5555
	sw t1, 0(t0)
1:	j 1b
	.data
	.balign 8
	.globl umbra_iolog
umbra_iolog:
	.word 0x12345678, 256, 3, 1, 0, 0, 0, 0
	.space 12288
ASM
riscv64-unknown-elf-gcc -march=rv32i -mabi=ilp32 -nostdlib -nostartfiles -Wl,-N -Wl,-Ttext=0x80000000 \
	-Wl,--no-warn-rwx-segments -o bad.elf bad.S || bad 7-corrupt-log "cannot build bad.elf"
"$UMBRA" --quiet bad.elf >/dev/null 2>err.txt; rc=$?
if [ "$rc" -eq 126 ] && grep -q '^umbra: iocheck: umbra_iolog at 0x[0-9a-f]*: magic 0x12345678, not 0x474c4f49$' err.txt &&
   tail -n 1 err.txt | grep -q 'reason=iocheck'; then
	ok 7-corrupt-log
else
	bad 7-corrupt-log "status $rc (want 126)"
	sed 's/^/    /' err.txt
fi
"$UMBRA" --quiet --no-iocheck --stats bad.json bad.elf >/dev/null 2>err.txt; rc=$?
if [ "$rc" -eq 0 ] && [ "$(grep -c 'warning: umbra_iolog at .*magic 0x12345678.*the event log is refused' err.txt)" -eq 1 ] &&
   ! grep -q 'io.latency' bad.json; then
	ok 8-corrupt-log-no-iocheck
else
	bad 8-corrupt-log-no-iocheck "status $rc"
	sed 's/^/    /' err.txt
fi
"$ISS" --quiet --stats bad.json bad.elf >/dev/null 2>err.txt; rc=$?
if [ "$rc" -eq 0 ] && [ "$(grep -c '^umbra-iss: warning: umbra_iolog at .*magic 0x12345678' err.txt)" -eq 1 ] &&
   ! grep -q 'io.latency' bad.json; then
	ok 9-corrupt-log-iss
else
	bad 9-corrupt-log-iss "status $rc"
	sed 's/^/    /' err.txt
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
