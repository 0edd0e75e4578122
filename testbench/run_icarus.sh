#!/bin/bash
# run_icarus.sh: runs one ELF on the Icarus build of the SoC, like build/umbra; exit 0 only on PASS.
#
# usage: testbench/run_icarus.sh [--bootargs STR] ELF [plusargs...]
#   plusargs as testbench/tb_icarus.sv: +mem_latency=N +mtime_div=N
#   +max_cycles=N +seed=N +trace=FILE +vcd=FILE
# Builds what is missing (make -f testbench/icarus.mk icarus), converts ELF to
# $BUILD/icarus/<name>.hex, builds the device tree build/umbra would build for
# 4 MiB of RAM, runs vvp. The guest's console is on stdout; the bench's
# messages on stderr end with an info line on speed and the final line
# (PASS|FAIL|TIMEOUT ...), which matches build/umbra --ram-mb 4.
# Exit status as build/umbra: 0 pass, the guest's code (1..255, else 1) on
# fail, 124 timeout, 2 bad input; 1 if vvp ends without a final line.
set -u

bootargs=""
if [ "${1:-}" = "--bootargs" ]; then
	[ $# -ge 2 ] || { echo "run_icarus.sh: --bootargs needs a value" >&2; exit 2; }
	bootargs=$2
	shift 2
fi
if [ $# -lt 1 ]; then
	echo "usage: $0 [--bootargs STR] ELF [plusargs...]" >&2
	exit 2
fi
elf=$1
shift
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-build}
dir=$build/icarus
name=$(basename "$elf")
stem=${name%.elf}

mtime_div=10
for a in "$@"; do
	case $a in
	+mtime_div=*) mtime_div=${a#+mtime_div=} ;;
	esac
done

# ICARUS_BUILT=1: the caller has built it (parallel runs must not race in make).
[ -n "${ICARUS_BUILT:-}" ] ||
	make -s -C "$here" -f testbench/icarus.mk BUILD="$build" icarus >&2 || exit 2
python3 "$here/tools/elf2hex.py" "$elf" "$dir/$stem.hex" || exit 2
info=$(python3 "$here/tools/elf2hex.py" --info "$elf") || exit 2
fdt=$("$dir/icarus_fdt" 4 "$mtime_div" "$dir/$stem.fdt.hex" "$bootargs") || exit 2

args=(+ram_hex="$dir/$stem.hex" +fdt_hex="$dir/$stem.fdt.hex" +fdt="$fdt" +test="$name")
for kv in $info; do
	[ "${kv#*=}" = none ] || args+=("+$kv")
done

errlog=$dir/$stem.stderr
start=$(date +%s.%N)
# stdout: the guest's console; Icarus' own $fatal report is dropped.
vvp -n "$dir/umbra.vvp" "${args[@]}" "$@" 2>"$errlog" |
	grep --line-buffered -v "^FATAL: .*tb_icarus\.sv:\|^ *Time: [0-9]* *Scope: tb_icarus"
end=$(date +%s.%N)

final=$(grep -E "^(PASS|FAIL|TIMEOUT) " "$errlog" | tail -n1)
grep -v -x -F -e "$final" "$errlog" >&2
cycles=$(echo "$final" | sed -n 's/.* cycles=\([0-9]*\).*/\1/p')
awk -v c="${cycles:-0}" -v s="$start" -v e="$end" 'BEGIN {
	w = e - s; if (w <= 0) w = 0.001
	printf "tb_icarus: %d cycles in %.3f s (%.0f cycles/s)\n", c, w, c / w }' >&2
if [ -z "$final" ]; then
	echo "FAIL $name: vvp ended without a final line (see $errlog)" >&2
	exit 1
fi
echo "$final" >&2

case $final in
PASS*) exit 0 ;;
TIMEOUT*) exit 124 ;;
esac
code=$(echo "$final" | sed -n 's/^FAIL [^ ]* exit=\([0-9]*\).*/\1/p')
if [ -n "$code" ] && [ "$code" -ge 1 ] && [ "$code" -le 255 ]; then
	exit "$code"
fi
exit 1
