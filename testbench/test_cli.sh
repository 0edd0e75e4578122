#!/usr/bin/env bash
# test_cli.sh: black-box checks of build/umbra's handling of bad input (one error line, exit 2, no crash).
# usage: testbench/test_cli.sh [path/to/umbra]
set -u

UMBRA=${1:-build/umbra}
if [ ! -x "$UMBRA" ]; then
	echo "test_cli: $UMBRA is not built (make build/umbra)" >&2
	exit 2
fi
UMBRA=$(cd "$(dirname "$UMBRA")" && pwd)/$(basename "$UMBRA")
PROG=$(basename "$UMBRA")   # messages start "umbra: error:" (build/umbra) or "umbra-iss: error:"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/umbra-cli-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
ulimit -c 0

pass=0
fail=0
RUNAS=()   # a command prefix for check(): setpriv to an unprivileged user for the permission cases

# mkelf FILE [key=value ...]: a minimal ELF32 RISC-V executable, fields overridable.
mkelf() {
	python3 - "$@" <<'PY'
import struct, sys
out = sys.argv[1]
f = dict(cls=1, machine=243, type=2, paddr=0x80000000, entry=0x80000000, truncate=0)
for kv in sys.argv[2:]:
    k, v = kv.split("=")
    f[k] = int(v, 0)
code = struct.pack("<2I", 0x0000006f, 0)
if f["cls"] == 2:   # ELF64 header + one phdr
    eh = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), f["type"], f["machine"], 1,
                     f["entry"], 64, 0, 0, 64, 56, 1, 0, 0, 0)
    ph = struct.pack("<IIQQQQQQ", 1, 7, 120, f["paddr"], f["paddr"], len(code), len(code), 4)
else:
    eh = struct.pack("<16sHHIIIIIHHHHHH", b"\x7fELF\x01\x01\x01" + bytes(9), f["type"], f["machine"], 1,
                     f["entry"], 52, 0, 0, 52, 32, 1, 0, 0, 0)
    ph = struct.pack("<IIIIIIII", 1, 84, f["paddr"], f["paddr"], len(code), len(code), 7, 4)
data = eh + ph + code
if f["truncate"]:
    data = data[:f["truncate"]]
open(out, "wb").write(data)
PY
}

# check NAME ARGS...: umbra must fail with exactly one stderr line "umbra: error: ...", status 2.
check() {
	local name=$1 status lines first
	shift
	"${RUNAS[@]}" "$UMBRA" "$@" >out.txt 2>err.txt </dev/null
	status=$?
	lines=$(wc -l <err.txt)
	first=$(head -n 1 err.txt)
	if [ "$status" -ge 128 ]; then
		echo "FAIL $name: crashed (status $status)"
	elif [ "$status" -ne 2 ]; then
		echo "FAIL $name: exit status $status, want 2"
	elif [ "$lines" -ne 1 ] || [ "${first#"$PROG: error: "}" = "$first" ]; then
		echo "FAIL $name: stderr is not one '$PROG: error:' line:"
		sed 's/^/    /' err.txt
	elif [ -s out.txt ]; then
		echo "FAIL $name: wrote to stdout"
	else
		echo "PASS $name ($first)"
		pass=$((pass + 1))
		return
	fi
	fail=$((fail + 1))
}

# expect_in NAME TEXT: the last check's message must contain TEXT.
expect_in() {
	if ! grep -qF -- "$2" err.txt; then
		echo "FAIL $1: message lacks '$2'"
		fail=$((fail + 1))
		pass=$((pass - 1))
	fi
}

printf 'just some text\n' >text.elf
mkelf good.elf
mkelf elf64.elf cls=2
mkelf outside.elf paddr=0x1000
mkelf x86.elf machine=62
mkelf short.elf truncate=30
mkelf dyn.elf type=3
mkdir adir.elf

check 1-missing-file         nosuch.elf;                 expect_in 1-missing-file "cannot open nosuch.elf: No such file or directory"
check 2-not-elf              text.elf;                   expect_in 2-not-elf "text.elf: not an ELF file"
check 3-elf64                elf64.elf;                  expect_in 3-elf64 "ELF64 file, umbra runs RV32 (ELFCLASS32) programs"
check 4-outside-ram          outside.elf;                expect_in 4-outside-ram "segment 0x00001000-0x00001007 is outside RAM 0x80000000-0x87ffffff"
check 5-wrong-machine        x86.elf;                    expect_in 5-wrong-machine "machine 62, not RISC-V"
check 6-truncated            short.elf;                  expect_in 6-truncated "truncated"
check 7-not-exec             dyn.elf;                    expect_in 7-not-exec "ET_EXEC"
check 8-directory            adir.elf;                   expect_in 8-directory "Is a directory"
check 9-bad-option           --bogus good.elf;           expect_in 9-bad-option "unknown option '--bogus'"
check 10-disk-missing        --disk x.img good.elf;      expect_in 10-disk-missing "--disk x.img: cannot open"
check 11-unknown-option     --lock-step good.elf;     expect_in 11-unknown-option "unknown option '--lock-step'"
check 12-bad-number          --max-cycles lots good.elf; expect_in 12-bad-number "--max-cycles wants a number"
check 13-bad-number-eq       --seed=12x good.elf;        expect_in 13-bad-number-eq "--seed wants a number"
check 14-out-of-range        --mem-latency 0 good.elf;   expect_in 14-out-of-range "out of range"
check 15-ram-too-big         --ram-mb=4096 good.elf;     expect_in 15-ram-too-big "out of range"
check 16-missing-value       good.elf --seed;            expect_in 16-missing-value "--seed needs a value"
check 17-missing-elf         --quiet;                    expect_in 17-missing-elf "no ELF file given"
check 18-two-elfs            good.elf good.elf;          expect_in 18-two-elfs "more than one ELF"
check 19-flag-with-value     --quiet=yes good.elf;       expect_in 19-flag-with-value "takes no value"
check 20-trace-not-fst       --trace w.vcd good.elf;     expect_in 20-trace-not-fst ".fst"
check 21-stats-unwritable    --stats nodir/s.json good.elf; expect_in 21-stats-unwritable "cannot write stats nodir/s.json"
head -c 1000 /dev/zero >odd.img
: >empty.img
head -c 4096 /dev/zero >ok.img
check 23-disk-odd-size       --disk odd.img good.elf;    expect_in 23-disk-odd-size "size 1000 bytes is not a positive multiple of 512"
check 24-disk-empty          --disk empty.img good.elf;  expect_in 24-disk-empty "not a positive multiple of 512"
check 25-disk-directory      --disk adir.elf good.elf;   expect_in 25-disk-directory "adir.elf"
check 26-disk-size-with-disk --disk ok.img --disk-size-mb 2 good.elf; expect_in 26-disk-size-with-disk "--disk-size-mb sizes the temporary image"
check 27-disk-qdepth         --disk-qdepth 0 good.elf;   expect_in 27-disk-qdepth "out of range (1..256)"
check 28-disk-bandwidth      --disk-bandwidth 0 good.elf; expect_in 28-disk-bandwidth "out of range"
check 35-trace-on-event      --trace t.fst --trace-on foo good.elf; expect_in 35-trace-on-event "want trap:CAUSE, gwb-full"
check 36-trace-on-cause      --trace t.fst --trace-on trap:40 good.elf; expect_in 36-trace-on-cause "a cause is 0..31"
check 37-trace-on-no-trace   --trace-on fail good.elf;    expect_in 37-trace-on-no-trace "--trace-on needs --trace FILE.fst"
check 38-trace-on-window     --trace t.fst --trace-on fail --trace-start 5 good.elf; expect_in 38-trace-on-window "drop --trace-start"
check 39-trace-window-alone  --trace-window 9 good.elf;   expect_in 39-trace-window-alone "sizes the window of --trace-on"
check 32-fault-kind          --inject-fault pc@5 good.elf;  expect_in 32-fault-kind "want reg@N or mem@N"
check 33-fault-number        --inject-fault reg@x good.elf; expect_in 33-fault-number "N wants a number"
check 40-fault-iolog-seq     --inject-fault iolog@0 good.elf; expect_in 40-fault-iolog-seq "a SEQ is 1..4294967295"
check 41-fault-iolog-off     --no-iocheck --inject-fault iolog@2 good.elf; expect_in 41-fault-iolog-off "drop --no-iocheck"
check 42-trace-on-iocheck-off --no-iocheck --trace t.fst --trace-on iocheck good.elf; expect_in 42-trace-on-iocheck-off "needs the I/O checker"
if [ "$PROG" = umbra ]; then
	check 43-fault-iolog-none --inject-fault iolog@2 good.elf; expect_in 43-fault-iolog-none "has no umbra_iolog, nothing to perturb"
	check 44-trace-on-iocheck-none --trace t.fst --trace-on iocheck good.elf; expect_in 44-trace-on-iocheck-none "has no umbra_iolog"
fi
if [ "$PROG" = umbra-iss ]; then
	check 34-iss-fault       --inject-fault reg@5 good.elf; expect_in 34-iss-fault "corrupts the RTL"
fi
if [ "$PROG" = umbra-iss ]; then
	check 31-iss-lockstep    --lockstep good.elf;        expect_in 31-iss-lockstep "use build/umbra --lockstep"
fi
# Permission cases: root opens anything, so as root they run as nobody (setpriv, util-linux).
cp ok.img noread.img && chmod 000 noread.img
cp ok.img rdonly.img && chmod 444 rdonly.img
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$WORK"
	RUNAS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
if [ "$(id -u)" -ne 0 ] || [ ${#RUNAS[@]} -gt 0 ]; then
	check 29-disk-unreadable --disk noread.img good.elf; expect_in 29-disk-unreadable "Permission denied"
	check 32-disk-readonly-file --disk rdonly.img good.elf
	expect_in 32-disk-readonly-file "cannot open read-write: Permission denied (--disk-readonly opens it read-only)"
fi
RUNAS=()
ln -s nowhere.img dangling.img
mkfifo fifo.img
check 33-disk-not-a-dir      --disk ok.img/x.img good.elf; expect_in 33-disk-not-a-dir "--disk ok.img/x.img: cannot open"
check 34-disk-dangling-link  --disk dangling.img good.elf; expect_in 34-disk-dangling-link "--disk dangling.img: cannot open: No such file or directory"
check 35-disk-fifo           --disk fifo.img good.elf;     expect_in 35-disk-fifo "fifo.img: not a regular file"
check 36-disk-char-device    --disk /dev/null good.elf;    expect_in 36-disk-char-device "not a regular file"
check 37-disk-size-zero      --disk-size-mb 0 good.elf;    expect_in 37-disk-size-zero "out of range"

# --help: usage on stdout, nothing on stderr, status 0.
"$UMBRA" --help >out.txt 2>err.txt
status=$?
if [ "$status" -eq 0 ] && [ ! -s err.txt ] && grep -q -- "--mem-latency" out.txt && grep -q -- "--trace-end" out.txt; then
	echo "PASS 22-help"
	pass=$((pass + 1))
else
	echo "FAIL 22-help: status $status"
	fail=$((fail + 1))
fi

# A good disk: the run starts (good.elf spins: timeout), the image is untouched, the stats carry disk.* (and io.* mirroring it: no hypervisor).
cp ok.img ok2.img
"$UMBRA" --quiet --disk ok.img --disk-readonly --max-cycles 1000 --stats s.json good.elf >out.txt 2>err.txt
status=$?
if [ "$status" -eq 124 ] && cmp -s ok.img ok2.img && grep -q '"disk.requests": 0' s.json &&
   grep -q '"disk.latency_p99_cycles": 0' s.json && grep -q '"io.requests": 0' s.json &&
   grep -q '"disk.capacity_sectors": ' s.json && ! grep -q '"io.disk' s.json; then
	echo "PASS 30-disk-run"
	pass=$((pass + 1))
else
	echo "FAIL 30-disk-run: status $status"
	sed 's/^/    /' err.txt
	fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
